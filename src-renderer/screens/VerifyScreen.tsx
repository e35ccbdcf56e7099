import { useState } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import type { SignatureReportDto, VerificationReportDto } from '@contract/verify';
import { t, type MessageKey } from '../i18n';
import { formatDateTime } from '../ui/format';
import { FilePicker } from '../ui/FilePicker';
import { Verdict } from '../ui/Verdict';
import { fetchFile } from '../ui/files';
import { errorText } from '../ui/useAsync';
import { PdfPage } from '../pdf/PdfPage';

interface Opened { file: StoredFileDto; bytes: Uint8Array }

/**
 * Signatures as a clerk reads a document: the person who approved it, then the agency's issuing
 * signature (số, ngày, dấu), then document time-stamps; one group each instead of a row of cards.
 */
const GROUPS: Array<{ id: string; title: MessageKey; take: (s: SignatureReportDto) => boolean }> = [
  { id: 'timestamp', title: 'verify.groupTimestamp', take: (s) => s.isDocTimestamp === true },
  { id: 'leader', title: 'verify.groupLeader', take: (s) => !s.signerIsOrganisation },
  { id: 'agency', title: 'verify.groupAgency', take: () => true },
];
const ORDER = ['leader', 'agency', 'timestamp'];
export function groupSignatures(sigs: SignatureReportDto[]): Array<{ id: string; title: MessageKey; items: SignatureReportDto[] }> {
  const out = GROUPS.map((g) => ({ id: g.id, title: g.title, items: [] as SignatureReportDto[] }));
  for (const s of sigs) out[GROUPS.findIndex((g) => g.take(s))]!.items.push(s);
  return out.filter((g) => g.items.length > 0).sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
}

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
      {report && groupSignatures(report.signatures).map((g) => (
        <section key={g.id} className="signature-group" data-group={g.id} aria-label={t(g.title)}>
          <h3>{t(g.title)}</h3>
          {g.items.map((s) => <SignatureCard key={s.index} sig={s} onShowRevision={() => void showRevision(s)} />)}
        </section>
      ))}
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
      <h4>{t('verify.signatureN', { n: sig.index + 1 })}</h4>
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
      </dl>
      {sig.changesAfter.some((c) => !c.allowed) && <ChangeList sig={sig} />}
      <details className="technical">
        <summary>{t('verify.technical')}</summary>
        <dl>
          <dt>{t('verify.indication')}</dt>
          <dd className="mono">{sig.subIndication ? `${sig.indication} / ${sig.subIndication}` : sig.indication}</dd>
          {sig.revocation && (
            <>
              <dt>{t('verify.revocation')}</dt>
              <dd className="mono">{`${sig.revocation.status}${sig.revocation.source ? ` (${sig.revocation.source})` : ''}`}</dd>
            </>
          )}
          {sig.subFilter && (
            <>
              <dt>{t('verify.format')}</dt>
              <dd className="mono">{sig.subFilter}</dd>
            </>
          )}
        </dl>
        {sig.reasons.length > 0 && (
          <ul className="mono">
            {sig.reasons.map((r, i) => <li key={i}>{r}</li>)}
          </ul>
        )}
        {!sig.changesAfter.some((c) => !c.allowed) && <ChangeList sig={sig} />}
      </details>
      <button onClick={onShowRevision}>{t('verify.showSigned')}</button>
    </article>
  );
}

function ChangeList({ sig }: { sig: SignatureReportDto }) {
  return (
    <>
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
    </>
  );
}
