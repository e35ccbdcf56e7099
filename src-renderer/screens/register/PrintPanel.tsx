import { useState } from 'react';
import type { Client } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import { errorText } from '../../ui/useAsync';
import { downloadBase64 } from './download';

type Kind = 'so-den' | 'so-di' | 'theo-doi' | 'bao-cao-den' | 'bao-cao-di';
const KINDS: Record<'den' | 'di', Array<[Kind, MessageKey]>> = {
  den: [['so-den', 'register.print'], ['theo-doi', 'register.printTrack'], ['bao-cao-den', 'register.printReport']],
  di: [['so-di', 'register.print'], ['bao-cao-di', 'register.printReport']],
};

/** Prints the register on the official forms (PDF made by the backend) and offers it for saving. */
export function PrintPanel({ client, direction, year }: { client: Client; direction: 'den' | 'di'; year: number }) {
  const [result, setResult] = useState<{ name: string; base64: string; pages: number; rows: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function print(kind: Kind) {
    setBusy(true);
    setError(null);
    try {
      setResult(await client.call('register.print', { kind, year }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="print-panel">
      {KINDS[direction].map(([kind, label]) => (
        <button key={kind} disabled={busy} onClick={() => void print(kind)} data-print-kind={kind}>
          {t(label)}
        </button>
      ))}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <p className="success" role="status">
          {t('register.printReady', { pages: result.pages, rows: result.rows })}{' '}
          <button onClick={() => downloadBase64(result.name, result.base64)}>{t('register.download')}</button>
        </p>
      )}
    </div>
  );
}
