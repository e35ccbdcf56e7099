import { useEffect, useState, type CSSProperties, type FormEvent } from 'react';
import { Button } from 'antd';
import { DatePicker } from '../../ui/DatePicker';
import type { Client } from '../../api/client';
import type { PageRectDto, SignInspectionDto, SignResultDto, TextBoxDto } from '@contract/sign';
import { decree30Day, decree30Month, decree30Number } from '@contract/text';
import { dateInVietnam } from '@contract/time';
import { COPY_FORMS, type CopyForm } from '@contract/vocabulary';
import { t } from '../../i18n';
import { PdfPage } from '../../pdf/PdfPage';
import { useNav } from '../../shell/nav';
import { errorText, useAsync } from '../../ui/useAsync';
import { DATE_FORMAT, dayValue, isoDay } from '../../ui/dates';
import { Verdict } from '../../ui/Verdict';
import { fetchFile } from '../../ui/files';
import { SignOverlays, type Positions } from '../SignOverlays';
import { useNextNumber } from '../sign/IssueFields';
import { saveWorkspaceFile } from '../sign/save-file';

const PAGE_WIDTH = 520;
const FIELDS: CSSProperties = { gap: 16, flexWrap: 'wrap', margin: '8px 0' };
const FIELD: CSSProperties = { display: 'inline-flex', gap: 6, alignItems: 'center' };
const MM = 72 / 25.4;

/**
 * Where number, day, month and seal start when page 1's text does not show them (a scan's OCR rarely
 * reads the blank after "Số:"): the Decree-30 places on an A4 page, for the clerk to drag onto the scan.
 */
function startingPlaces(i: SignInspectionDto): Required<Positions> {
  const { width: w, height: h } = i.firstPage;
  const text = (x: number, width: number): TextBoxDto => ({ page: 0, x: w * x, width, baseline: h * 0.87, size: 13 });
  const s = i.sealMm * MM;
  const seal: PageRectDto = { page: 0, x: w * 0.55, y: h * 0.2, width: s, height: s };
  return { number: i.proposed.number ?? text(0.1, 60), day: i.proposed.day ?? text(0.66, 30), month: i.proposed.month ?? text(0.76, 30), seal: i.proposed.seal ?? seal };
}

/**
 * "Ký phát hành" (Điều 14.4, 17.4.c: the agency signature on a document it digitised, no leader
 * signature) and "Sao y" (sign.copy) of the PDF just made, on a token already logged in. The signer's
 * own gate checks that these bytes were digitised here; the verifier's verdict on the result is shown.
 */
export function SignDigitized({ client, file, mode }: { client: Client; file: { fileId: string; name: string }; mode: 'issue' | 'copy' }) {
  const tokens = useAsync(() => client.call('token.list', {}), []);
  const info = useAsync(() => client.call('app.info', {}), []);
  const token = tokens.data?.tokens.find((tk) => tk.loggedIn) ?? null;
  const [pdf, setPdf] = useState<Uint8Array | null>(null);
  const [inspection, setInspection] = useState<SignInspectionDto | null>(null);
  const [positions, setPositions] = useState<Positions>({});
  const [number, setNumber] = useState('1');
  const [notation, setNotation] = useState('QĐ-UBND');
  // For the sổ đi entry; page 1 of a scan rarely tells them (its OCR text, when there is one, may).
  const [typeName, setTypeName] = useState('');
  const [subject, setSubject] = useState('');
  const [date, setDate] = useState(dateInVietnam());
  const [form, setForm] = useState<CopyForm>('SAO Y');
  const [agency, setAgency] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SignResultDto | null>(null);
  // Cấp số: the sổ đi (issue) or the copies sổ (copy) whose series numbers the document; none: a typed number.
  const nav = useNav();
  const books = useAsync(() => client.call('register.books', {}), []);
  const series = (books.data?.books ?? []).filter((b) => (mode === 'copy' ? b.kind === 'copies' : b.direction === 'di' && b.kind === 'normal'));
  const [book, setBook] = useState<string | null>(null);
  // A copy of a paper original is numbered only when the clerk picks the copies sổ: sign.copy takes no
  // Loại văn bản, which that sổ's entry needs and a scan's page 1 seldom tells.
  useEffect(() => { if (book === null && books.data) setBook(mode === 'issue' ? series[0]?.id ?? '' : ''); }, [books.data, series, book, mode]);
  const { next } = useNextNumber(client, { book, date, notation: mode === 'issue' ? notation : '', kind: mode }, 0);

  useEffect(() => { if (info.data && agency === '') setAgency(info.data.agency.name); }, [info.data, agency]);
  useEffect(() => {
    if (mode !== 'issue') return;
    let live = true;
    void fetchFile(client, file.fileId).then((f) => live && setPdf(f.bytes), (e: unknown) => live && setError(errorText(e)));
    client.call('sign.inspect', { fileId: file.fileId }).then((i) => {
      if (!live) return;
      setInspection(i);
      setPositions(startingPlaces(i));
      if (i.record.notation) setNotation(i.record.notation);
      setTypeName(i.record.typeName ?? '');
      setSubject(i.record.subject ?? '');
    }, (e: unknown) => live && setError(errorText(e)));
    return () => { live = false; };
  }, [client, file.fileId, mode]);

  async function sign(e: FormEvent) {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const target = { fileId: file.fileId, token: token.ref };
      setResult(mode === 'issue'
        ? await client.call('sign.issue', { ...target, digitized: true, ...(book ? { book } : { number: Number(number) }), notation, date,
            ...(typeName.trim() ? { typeName } : {}), ...(subject.trim() ? { subject } : {}), sealMm: inspection?.sealMm ?? 36, positions })
        : await client.call('sign.copy', { ...target, form, agency, ...(book ? { book } : {}) }));
      nav.changed();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (tokens.data && !token) return <p data-need-login>{t('scan.sign.needLogin')}</p>;
  const [, m, d] = date.split('-').map(Number);
  const typed = /^\d{1,7}$/.test(number) ? Number(number) : null;
  const shownNumber = book ? next?.number ?? null : typed;
  const bookField = (
    <label style={FIELD}>{t('scan.sign.book')}
      <select name="book" value={book ?? ''} onChange={(e) => setBook(e.target.value)}>
        {series.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        <option value="">{t('scan.sign.noBook')}</option>
      </select>
      {book && next && <span data-next-number>{t('scan.sign.next', { code: next.code })}</span>}
    </label>
  );
  const texts = { number: shownNumber ? decree30Number(shownNumber) : '', day: d ? decree30Day(d) : '', month: m ? decree30Month(m) : '' };
  return (
    <form className={`scan-sign scan-sign-${mode}`} onSubmit={(e) => void sign(e)}>
      {token && <p>{t('scan.sign.token', { label: token.label })}</p>}
      {mode === 'issue' ? (
        <>
          <p>{t('scan.sign.issueNote')}</p>
          <div className="row" style={FIELDS}>
            {bookField}
            {!book && <label style={FIELD}>{t('scan.sign.number')}<input name="number" value={number} onChange={(e) => setNumber(e.target.value)} inputMode="numeric" size={8} /></label>}
            <label style={FIELD}>{t('scan.sign.notation')}<input name="notation" value={notation} onChange={(e) => setNotation(e.target.value)} /></label>
            <label style={FIELD} htmlFor="scan-sign-date">{t('scan.sign.date')}<DatePicker id="scan-sign-date" format={DATE_FORMAT} allowClear={false} value={dayValue(date)} onChange={(d) => { const iso = isoDay(d); if (iso) setDate(iso); }} /></label>
          </div>
          {book && (
            <div className="row" style={FIELDS}>
              <label style={FIELD}>{t('scan.reg.type')}<input name="typeName" value={typeName} onChange={(e) => setTypeName(e.target.value)} maxLength={100} /></label>
              <label style={FIELD}>{t('scan.reg.subject')}<input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={500} size={50} /></label>
            </div>
          )}
          {pdf && inspection && (
            <PdfPage bytes={pdf} page={0} width={PAGE_WIDTH} label={file.name}
              overlay={(geo) => <SignOverlays page={0} geo={geo} positions={positions} texts={texts} onMove={(k, v) => setPositions((p) => ({ ...p, [k]: v }))} />} />
          )}
        </>
      ) : (
        <>
          <div className="row" style={FIELDS}>
            {bookField}
            <label style={FIELD}>{t('scan.sign.form')}
              <select name="form" value={form} onChange={(e) => setForm(e.target.value as CopyForm)}>{COPY_FORMS.map((f) => <option key={f} value={f}>{f}</option>)}</select>
            </label>
            <label style={FIELD}>{t('scan.sign.agency')}<input name="agency" value={agency} onChange={(e) => setAgency(e.target.value)} size={40} /></label>
          </div>
        </>
      )}
      <Button type="primary" htmlType="submit" disabled={busy || !token || book === null || (mode === 'issue' && (!inspection || (!book && typed === null)))}>{t(mode === 'issue' ? 'scan.sign.issue' : 'scan.sign.copy')}</Button>
      {busy && <p role="status">{t('scan.sign.signing')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <div className="scan-signed" data-signed={result.fileId}>
          <p>{t('scan.sign.done', { name: result.name })}</p>
          {result.issued?.digitized && <p>{t('scan.sign.digitizedIssue')}</p>}
          {result.registered && (
            <p data-registered={result.registered.docId}>
              {t('scan.sign.registered', { code: result.registered.code })}{' '}
              <Button onClick={() => nav.openDocument(result.registered!.docId)}>{t('scan.reg.open')}</Button>
            </p>
          )}
          <Verdict report={result.verification} />
          <Button onClick={() => void saveWorkspaceFile(client, result.fileId)}>{t('scan.download')}</Button>
        </div>
      )}
    </form>
  );
}
