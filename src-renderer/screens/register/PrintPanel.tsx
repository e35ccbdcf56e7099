import { useMemo, useState } from 'react';
import type { PrintKind as Kind } from '@contract/vocabulary';
import type { Client } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import { PdfPage } from '../../pdf/PdfPage';
import { base64ToBytes } from '../../ui/files';
import { errorText } from '../../ui/useAsync';

const KINDS: Record<'den' | 'di', Array<[Kind, MessageKey]>> = {
  den: [['so-den', 'register.print'], ['theo-doi', 'register.printTrack'], ['bao-cao-den', 'register.printReport']],
  di: [['so-di', 'register.print'], ['bao-cao-di', 'register.printReport']],
};
const PREVIEW_WIDTH = 760;

/** Prints the register on the official forms (PDF made by the backend), previews it and offers it for saving. */
export function PrintPanel({ client, direction, book, year }: { client: Client; direction: 'den' | 'di'; book: string; year: number }) {
  const [result, setResult] = useState<{ name: string; base64: string; pages: number; rows: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [page, setPage] = useState(0);
  const bytes = useMemo(() => (result ? base64ToBytes(result.base64) : null), [result]);
  const href = useMemo(() => (bytes ? URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })) : null), [bytes]);

  async function print(kind: Kind) {
    setBusy(true);
    setError(null);
    try {
      setResult(await client.call('register.print', { kind, book, year }));
      setPage(0);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="print-panel">
      {KINDS[direction].map(([kind, label], i) => (
        <button key={kind} disabled={busy} onClick={() => void print(kind)} data-print-kind={kind} data-shortcut={i === 0 ? 'print' : undefined}>
          {t(label)}
        </button>
      ))}
      {error && <p className="error" role="alert">{error}</p>}
      {result && bytes && href && (
        <div className="print-preview">
          <p className="success" role="status">
            {t('register.printReady', { pages: result.pages, rows: result.rows })}{' '}
            <a href={href} download={result.name}>
              {t('register.download')}
            </a>
          </p>
          <div className="pager">
            <button disabled={page <= 0} onClick={() => setPage(page - 1)}>
              {t('register.prev')}
            </button>
            <span>{t('register.previewPage', { page: page + 1, pages: result.pages })}</span>
            <button disabled={page >= result.pages - 1} onClick={() => setPage(page + 1)}>
              {t('register.next')}
            </button>
          </div>
          <PdfPage bytes={bytes} page={page} width={PREVIEW_WIDTH} label={t('register.preview')} />
        </div>
      )}
    </div>
  );
}
