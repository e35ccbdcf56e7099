import { useEffect, useRef } from 'react';
import { Alert, Button, Space } from 'antd';
import type { SignResultDto } from '@contract/sign';
import { t } from '../../i18n';
import { useNav } from '../../shell/nav';
import { Verdict } from '../../ui/Verdict';

/**
 * The signed file where the clerk's eye is (under the sign button, scrolled into view): its verdict,
 * the number the sổ gave, and the next steps: the entry in Văn bản đi, the file itself, a download.
 */
export function SignResultPanel({ dto, url }: { dto: SignResultDto; url: string }) {
  const nav = useNav();
  const box = useRef<HTMLDivElement>(null);
  // Braces: Chromium's scrollIntoView now returns a promise, which React would take for a clean-up.
  useEffect(() => {
    void box.current?.scrollIntoView({ block: 'nearest' });
  }, [dto]);
  const reg = dto.registered;
  return (
    <div ref={box} className="sign-result" data-result-file={dto.name} data-registered={reg?.code ?? ''}>
      <h3>{t('sign.resultHeading')}</h3>
      {reg && <Alert type="success" showIcon title={t('sign.registered', { code: reg.code, book: reg.book })} />}
      <Verdict report={dto.verification} />
      <p>{t('sign.resultSigs', { n: dto.verification.signatures.length })}</p>
      <Space wrap>
        {reg && <Button type="primary" onClick={() => nav.openDocument(reg.docId)}>{t('sign.openEntry')}</Button>}
        <a className="button" href={url} target="_blank" rel="noreferrer">{t('sign.openFile')}</a>
        <a className="button" href={url} download={dto.name}>{t('sign.download', { name: dto.name })}</a>
      </Space>
    </div>
  );
}
