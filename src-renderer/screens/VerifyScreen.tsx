import { useState } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import type { SignatureReportDto, VerificationReportDto } from '@contract/verify';
import { t } from '../i18n';
import { formatDateTime } from '../ui/format';
import { FilePicker } from '../ui/FilePicker';
import { Verdict } from '../ui/Verdict';
import { fetchFile } from '../ui/files';
import { errorText } from '../ui/useAsync';
import { PdfPage } from '../pdf/PdfPage';

interface Opened { file: StoredFileDto; bytes: Uint8Array }

/** "Kiểm tra chữ ký": pick a PDF, verify every signature, compare a signed revision with the current file. */
export function VerifyScreen({ client }: { client: Client }) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [report, setReport] = useState<VerificationReportDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState<{ index: number; bytes: Uint8Array; page: number } | null>(null);

  async function verify(file: StoredFileDto, bytes: Uint8Array) {
    setOpened({ file, bytes });
    setReport(null);
    setRevision(null);
    setError(null);
    setBusy(true);
    try {
      setReport(await client.call('verify.file', { fileId: file.fileId, offline }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function showRevision(sig: SignatureReportDto) {
    if (!opened) return;
    setError(null);
    try {
      const rev = await client.call('verify.signedRevision', { fileId: opened.file.fileId, index: sig.index });
      const f = await fetchFile(client, rev.fileId);
      setRevision({ index: sig.index, bytes: f.bytes, page: sig.widget?.page ?? 0 });
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="verify-screen">
      <h2>{t('verify.heading')}</h2>
      <label className="inline">
        <input type="checkbox" name="offline" checked={offline} onChange={(e) => setOffline(e.target.checked)} />
        {t('verify.offline')}
      </label>
      <FilePicker client={client} onPicked={verify} disabled={busy} />
      {opened && <p className="file-name">{t('verify.file', { name: opened.file.name })}</p>}
      {busy && <p role="status">{t('verify.running')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {report && <Verdict report={report} />}
      {report?.signatures.map((s) => <SignatureCard key={s.index} sig={s} onShowRevision={() => void showRevision(s)} />)}
      {opened && revision && (
        <div className="side-by-side" data-revision={revision.index}>
          <div className="pager">
            <button onClick={() => setRevision({ ...revision, page: Math.max(0, revision.page - 1) })}>{t('verify.prevPage')}</button>
            <span>{t('verify.page', { page: revision.page + 1 })}</span>
            <button onClick={() => setRevision({ ...revision, page: revision.page + 1 })}>{t('verify.nextPage')}</button>
          </div>
          <PdfPage bytes={revision.bytes} page={revision.page} width={420} label={t('verify.signedVersion', { n: revision.index + 1 })} />
          <PdfPage bytes={opened.bytes} page={revision.page} width={420} label={t('verify.currentVersion')} />
        </div>
      )}
    </section>
  );
}

function SignatureCard({ sig, onShowRevision }: { sig: SignatureReportDto; onShowRevision: () => void }) {
  const state = sig.indication === 'TOTAL_PASSED' ? 'ok' : sig.indication === 'TOTAL_FAILED' ? 'bad' : 'unknown';
  return (
    <article className={`signature-card ${state}`} data-signature-index={sig.index}>
      <h3>{t('verify.signatureN', { n: sig.index + 1 })}</h3>
      <p className="sentence">{sig.summaryVi}</p>
      <dl>
        <dt>{t('verify.signer')}</dt>
        <dd>{sig.signerName ?? t('verify.unknown')}</dd>
        <dt>{t('cert.organisation')}</dt>
        <dd>{sig.signerOrganisation ?? ''}</dd>
        <dt>{t('cert.title')}</dt>
        <dd>{sig.signerTitle ?? ''}</dd>
        <dt>{t('verify.time')}</dt>
        <dd>
          {sig.signingTime ? formatDateTime(sig.signingTime) : t('verify.unknown')}
          {sig.signingTimeSource && <span className="hint">{t(sig.signingTimeSource === 'timestamp' ? 'verify.timeFromTimestamp' : 'verify.timeClaimed')}</span>}
        </dd>
        <dt>{t('verify.indication')}</dt>
        <dd className="mono">{sig.subIndication ? `${sig.indication} / ${sig.subIndication}` : sig.indication}</dd>
      </dl>
      <h4>{t('verify.changesAfter')}</h4>
      {sig.changesAfter.length === 0 ? (
        <p>{t('verify.noChanges')}</p>
      ) : (
        <ul className="changes">
          {sig.changesAfter.map((c, i) => (
            <li key={i} className={c.allowed ? 'allowed' : 'disallowed'}>
              {c.descriptionVi}
              {!c.allowed && <span className="badge">{t('verify.notAllowed')}</span>}
            </li>
          ))}
        </ul>
      )}
      <button onClick={onShowRevision}>{t('verify.showSigned')}</button>
    </article>
  );
}
