import { useEffect, useId, useState, type ChangeEvent, type FormEvent } from 'react';
import type { Client } from '../../api/client';
import type { StoredFileDto } from '@contract/files';
import type { BatchItemDto, BatchJobDto, BatchResultDto, SignProgressDto } from '@contract/sign';
import { t, type MessageKey } from '../../i18n';
import { uploadFile } from '../../ui/files';
import { dateInVietnam } from '@contract/time';
import { COPY_FORMS, type CopyForm } from '@contract/vocabulary';
import { DatePicker } from '../../ui/DatePicker';
import { AGENCY_NAME_MAX_CHARS, MAX_BATCH_JOBS, REF_MAX_CHARS } from '@contract/limits';
import { DATE_FORMAT, dayValue, isoDay } from '../../ui/dates';
import { errorText } from '../../ui/useAsync';
import { outgoingBooks, useNextNumber, type Books } from './IssueFields';
import { saveWorkspaceFile } from './save-file';

type Kind = 'appendix' | 'copy' | 'issue';
// Labels of its own: the single-file form above names its kinds the same way, and one label must name one control.
const KIND_LABEL: Record<Kind, MessageKey> = { appendix: 'sign.batch.kindAppendix', copy: 'sign.batch.kindCopy', issue: 'sign.batch.kindIssue' };
const STATUS_LABEL: Record<BatchItemDto['status'] | 'pending', MessageKey> = {
  signed: 'sign.batch.status.signed', skipped: 'sign.batch.status.skipped', failed: 'sign.batch.status.failed',
  stopped: 'sign.batch.status.stopped', pending: 'sign.batch.status.pending',
};

interface Row { status: BatchItemDto['status'] | 'pending'; errorVi?: string; result?: BatchItemDto['result'] }

export interface BatchSignProps {
  client: Client;
  /** The sign screen's sổ (asked once there). */
  books: Books;
  tokenRef: string;
  /** The signature PIN, when the chosen key asks for one ('' otherwise). */
  contextPin: string;
  defaultAgency: string;
}

/**
 * "Ký hàng loạt": many PDFs, one kind of agency signature, one token session. Progress comes from
 * sign.progress events of this screen's own operation; "Ký lại các tệp chưa xong" sends the same jobs
 * again and the backend skips those already signed.
 */
export function BatchSign({ client, books, tokenRef, contextPin, defaultAgency }: BatchSignProps) {
  const inputId = useId();
  const [files, setFiles] = useState<StoredFileDto[]>([]);
  const [kind, setKind] = useState<Kind>('appendix');
  const [ref, setRef] = useState('');
  const [form, setForm] = useState<CopyForm>('SAO Y');
  const [agency, setAgency] = useState(defaultAgency);
  const [book, setBook] = useState<string | null>(null);
  const [date, setDate] = useState(dateInVietnam());
  const [batches, setBatches] = useState(0);
  const outgoing = outgoingBooks(books);
  // Each file takes the sổ's next number in turn (cấp số at signing); the first is shown before signing.
  const { next } = useNextNumber(client, { book, date, notation: '' }, batches);
  const [sealMm, setSealMm] = useState('36');
  const [uploading, setUploading] = useState(false);
  const [operation, setOperation] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [sentJobs, setSentJobs] = useState<BatchJobDto[] | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = operation !== null;

  useEffect(() => {
    if (agency === '' && defaultAgency !== '') setAgency(defaultAgency);
  }, [agency, defaultAgency]);

  useEffect(() => {
    if (!operation) return;
    return client.on('sign.progress', (p: SignProgressDto) => {
      if (p.operationId !== operation) return;
      setProgress({ done: p.done, total: p.total });
      setRows((old) => old.map((r, i) => (i === p.index ? { status: p.status, ...(p.errorVi ? { errorVi: p.errorVi } : {}) } : r)));
    });
  }, [client, operation]);

  async function picked(e: ChangeEvent<HTMLInputElement>) {
    const list = [...(e.target.files ?? [])].slice(0, MAX_BATCH_JOBS);
    e.target.value = '';
    if (list.length === 0) return;
    setUploading(true);
    setError(null);
    try {
      const stored: StoredFileDto[] = [];
      for (const f of list) stored.push((await uploadFile(client, f)).stored);
      setFiles(stored);
      setRows(stored.map(() => ({ status: 'pending' })));
      setSentJobs(null);
      setProgress(null);
      setStopped(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setUploading(false);
    }
  }

  function jobsFromForm(): BatchJobDto[] {
    return files.map((f): BatchJobDto => {
      if (kind === 'appendix') return { kind, fileId: f.fileId, ref };
      if (kind === 'copy') return { kind, fileId: f.fileId, form, agency };
      return { kind, fileId: f.fileId, book: book!, date, sealMm: Number(sealMm) };
    });
  }

  async function run(jobs: BatchJobDto[]) {
    const operationId = crypto.randomUUID();
    setOperation(operationId);
    setSentJobs(jobs);
    setProgress({ done: 0, total: jobs.length });
    setRows(jobs.map(() => ({ status: 'pending' })));
    setStopped(null);
    setError(null);
    try {
      const r: BatchResultDto = await client.call('sign.batch', { token: tokenRef, operationId, jobs, ...(contextPin ? { contextPin } : {}) });
      setRows(r.items.map((it) => ({ status: it.status, ...(it.error ? { errorVi: it.error.message } : {}), ...(it.result ? { result: it.result } : {}) })));
      setProgress({ done: r.items.filter((it) => it.status !== 'stopped').length, total: r.items.length });
      setStopped(r.stopped ? r.stopped.message : null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBatches((n) => n + 1);
      setOperation(null);
    }
  }

  async function download(result: NonNullable<Row['result']>) {
    try {
      await saveWorkspaceFile(client, result.fileId);
    } catch (err) {
      setError(errorText(err));
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(jobsFromForm());
  }

  const fieldsOk = kind === 'appendix' ? ref.trim() !== '' : kind === 'copy' ? agency.trim() !== '' : book !== null && date !== '';
  const canSign = files.length > 0 && fieldsOk && !busy && !uploading;
  const unfinished = sentJobs !== null && !busy && rows.some((r) => r.status === 'failed' || r.status === 'stopped');

  return (
    <section className="batch-sign" aria-labelledby={`${inputId}-h`}>
      <h3 id={`${inputId}-h`}>{t('sign.batch.heading')}</h3>
      <form className="sign-form" onSubmit={submit}>
        {/* Drawn like the single-file picker: the browser's own words ("Choose Files") follow its language. */}
        <div className="file-picker">
          <input id={inputId} className="visually-hidden" name="batchFiles" type="file" multiple accept="application/pdf,.pdf" onChange={picked} disabled={busy || uploading} />
          <label htmlFor={inputId} className="file-button">{t('sign.batch.pick')}</label>
          <span className="file-chosen">{files.length > 0 ? t('sign.batch.files', { n: files.length }) : t('file.none')}</span>
          {uploading && <span role="status">{t('file.uploading')}</span>}
        </div>
        <fieldset>
          <legend>{t('sign.batch.kind')}</legend>
          {(['appendix', 'copy', 'issue'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="batchKind" value={k} checked={kind === k} onChange={() => setKind(k)} disabled={busy} />
              {t(KIND_LABEL[k])}
            </label>
          ))}
        </fieldset>
        {kind === 'appendix' && (
          <label>{t('sign.ref')}<input name="batchRef" value={ref} onChange={(e) => setRef(e.target.value)} maxLength={REF_MAX_CHARS} placeholder={t('sign.refPlaceholder')} /></label>
        )}
        {kind === 'copy' && (
          <>
            <label>
              {t('sign.copyForm')}
              <select name="batchCopyForm" value={form} onChange={(e) => setForm(e.target.value as CopyForm)}>
                {COPY_FORMS.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </label>
            <label>{t('sign.copyAgency')}<input name="batchCopyAgency" value={agency} onChange={(e) => setAgency(e.target.value)} maxLength={AGENCY_NAME_MAX_CHARS} /></label>
          </>
        )}
        {kind === 'issue' && (
          <>
            <label>
              {t('sign.book')}
              <select name="batchBook" value={book ?? ''} onChange={(e) => setBook(e.target.value || null)} disabled={busy}>
                <option value="">{t('sign.bookPlaceholder')}</option>
                {outgoing.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
              </select>
            </label>
            {next && <p className="next-number" data-batch-next-number={next.code}>{t('sign.batch.nextNumber', { code: next.code })}</p>}
            <label htmlFor={`${inputId}-date`}>{t('sign.date')}</label>
            <DatePicker id={`${inputId}-date`} format={DATE_FORMAT} allowClear={false} value={dayValue(date)} disabled={busy}
              onChange={(d) => { const iso = isoDay(d); if (iso) setDate(iso); }} />
            <label>{t('sign.sealMm')}<input name="batchSealMm" type="number" min={10} max={80} value={sealMm} onChange={(e) => setSealMm(e.target.value)} /></label>
            <p className="hint">{t('sign.batch.issueHint')}</p>
          </>
        )}
        <button type="submit" disabled={!canSign}>{t(busy ? 'sign.batch.signing' : 'sign.batch.submit')}</button>
        {unfinished && (
          <button type="button" className="batch-resume" onClick={() => void run(sentJobs)}>{t('sign.batch.resume')}</button>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </form>

      {progress && (
        <div className="batch-progress" data-done={progress.done} data-total={progress.total}>
          <progress value={progress.done} max={progress.total} />
          <span role="status">{t('sign.batch.progress', { done: progress.done, total: progress.total })}</span>
        </div>
      )}
      {stopped && <p className="error" role="alert">{t('sign.batch.stopped', { message: stopped })}</p>}
      {rows.length > 0 && files.length > 0 && (
        <ol className="batch-results">
          {rows.map((r, i) => (
            <li key={files[i]?.fileId ?? i} className={`batch-item batch-${r.status}`} data-status={r.status}>
              <span className="batch-name">{files[i]?.name ?? ''}</span>
              <span className="batch-status">{t(STATUS_LABEL[r.status])}</span>
              {r.result && (
                <a className="button" href="#" download={r.result.name} onClick={(e) => (e.preventDefault(), void download(r.result!))}>
                  {t('sign.download', { name: r.result.name })}
                </a>
              )}
              {r.result && <span className="hint">{r.result.summaryVi}</span>}
              {r.errorVi && <span className="error">{r.errorVi}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
