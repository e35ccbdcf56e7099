import { useEffect, useState } from 'react';
import { Button } from 'antd';
import type { RegisterDocumentDetailDto } from '@contract/register';
import type { VerificationReportDto } from '@contract/verify';
import type { Client } from '../../api/client';
import { t } from '../../i18n';
import { PdfPage } from '../../pdf/PdfPage';
import { base64ToBytes, readAsBase64 } from '../../ui/files';
import { FilePicker } from '../../ui/FilePicker';
import { Verdict } from '../../ui/Verdict';
import { errorText } from '../../ui/useAsync';

const PREVIEW_WIDTH = 520;

type Attachment = RegisterDocumentDetailDto['attachments'][number];
interface Shown { attachment: Attachment; bytes: Uint8Array; report: VerificationReportDto | null; error: string | null }

/**
 * The document's file: the PDF attached to the entry, drawn, with its signatures' verdict on top;
 * a PDF can be attached here (kept as it came, its text searchable).
 */
export function DocumentFile({ client, docId, detail, onAttached }: { client: Client; docId: number; detail: RegisterDocumentDetailDto; onAttached: () => void }) {
  const pdfs = detail.attachments.filter((a) => a.mime === 'application/pdf');
  const [chosen, setChosen] = useState<number | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [page, setPage] = useState(0);
  const [pages, setPages] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = pdfs.find((a) => a.id === chosen) ?? pdfs.at(-1) ?? null;

  const currentId = current?.id ?? null;
  useEffect(() => {
    if (!current) return;
    let live = true;
    setPage(0);
    // The pager's count comes from PdfPage once it opens the file; a damaged file keeps one page.
    setPages(1);
    void (async () => {
      try {
        const f = await client.call('register.attachment', { id: docId, attachmentId: current.id });
        const bytes = base64ToBytes(f.base64);
        if (live) setShown({ attachment: current, bytes, report: null, error: null });
        // The verdict comes from the verifier over the stored bytes, as on "Kiểm tra chữ ký".
        const stored = await client.call('file.put', { name: f.name, base64: f.base64 });
        const report = await client.call('verify.file', { fileId: stored.fileId });
        if (live) setShown({ attachment: current, bytes, report, error: null });
      } catch (e) {
        if (live) setShown((s) => ({ attachment: current, bytes: s?.bytes ?? new Uint8Array(), report: null, error: errorText(e) }));
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `current` is looked up again from its id each render
  }, [client, docId, currentId]);

  async function attach(name: string, bytes: Uint8Array) {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('register.attach', { id: docId, name, base64: await readAsBase64(new Blob([bytes.slice()])) });
      setChosen(r.attachment.id);
      onAttached();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="document-file">
      <h3>{t('doc.file')}</h3>
      {pdfs.length > 1 && (
        <ul className="attachment-list">
          {pdfs.map((a) => (
            <li key={a.id}>
              <Button type="link" aria-current={a.id === current?.id ? 'true' : undefined} onClick={() => setChosen(a.id)}>{a.name}</Button>
            </li>
          ))}
        </ul>
      )}
      {!current && <p className="muted">{t('doc.noFile')}</p>}
      {shown && current && shown.attachment.id === current.id && (
        <>
          <p className="file-name">{current.name}</p>
          {shown.report ? <Verdict report={shown.report} /> : !shown.error && <p role="status">{t('doc.verifying')}</p>}
          {shown.error && <p className="error" role="alert">{shown.error}</p>}
          {shown.bytes.length > 0 && (
            <>
              <div className="pager">
                <Button size="small" disabled={page <= 0} onClick={() => setPage(page - 1)}>{t('register.prev')}</Button>
                <span>{t('register.previewPage', { page: page + 1, pages })}</span>
                <Button size="small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>{t('register.next')}</Button>
              </div>
              <PdfPage bytes={shown.bytes} page={page} width={PREVIEW_WIDTH} label={t('doc.preview', { name: current.name })} onPages={setPages} />
            </>
          )}
        </>
      )}
      <div className="attach">
        <span className="attach-label">{t('doc.attach')}</span>
        <FilePicker client={client} disabled={busy} onPicked={(f, bytes) => void attach(f.name, bytes)} />
        {busy && <span role="status">{t('doc.attaching')}</span>}
        {error && <p className="error" role="alert">{error}</p>}
      </div>
    </div>
  );
}
