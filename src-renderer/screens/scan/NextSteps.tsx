import { useState } from 'react';
import { Button } from 'antd';
import type { Client } from '../../api/client';
import type { DigitizeResultDto } from '@contract/scan';
import { t } from '../../i18n';
import { RegisterDigitized } from './RegisterDigitized';
import { SignDigitized } from './SignDigitized';

type Step = 'register' | 'issue' | 'copy';
const STEPS: Array<{ id: Step; label: 'scan.toRegister' | 'scan.toIssue' | 'scan.toCopy' }> = [
  { id: 'register', label: 'scan.toRegister' }, { id: 'issue', label: 'scan.toIssue' }, { id: 'copy', label: 'scan.toCopy' },
];

/** What a conforming PDF made here can become: a register entry, an issued document, an electronic copy. */
export function NextSteps({ client, result }: { client: Client; result: DigitizeResultDto }) {
  const [step, setStep] = useState<Step | null>(null);
  const file = { fileId: result.fileId, name: result.name };
  return (
    <section className="scan-next" aria-label={t('scan.next')}>
      <div className="row" style={{ gap: 8, margin: '8px 0' }}>
        {STEPS.map((s) => <Button key={s.id} type={step === s.id ? 'primary' : 'default'} aria-pressed={step === s.id} onClick={() => setStep(s.id)}>{t(s.label)}</Button>)}
      </div>
      {step === 'register' && <RegisterDigitized client={client} fileId={result.fileId} pageTexts={result.pageTexts} />}
      {(step === 'issue' || step === 'copy') && <SignDigitized key={step} client={client} file={file} mode={step} />}
    </section>
  );
}
