import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import type { PageRectDto, SignInspectionDto, SignResultDto, TextBoxDto } from '@contract/sign';
import { decree30Day, decree30Month } from '@contract/text';
import { t } from '../i18n';
import { FilePicker } from '../ui/FilePicker';
import { fetchFile } from '../ui/files';
import { dateInVietnam } from '@contract/time';
import { COPY_FORMS, type CopyForm } from '@contract/vocabulary';
import { AGENCY_NAME_MAX_CHARS, REF_MAX_CHARS } from '@contract/limits';
import { errorText, useAsync } from '../ui/useAsync';
import { SignOverlays, type Positions } from './SignOverlays';
import { PdfPage } from '../pdf/PdfPage';
import { BatchSign } from './sign/BatchSign';
import { ContextPinField } from './sign/ContextPinField';
import { useSigningKey } from './sign/useSigningKey';
import { IssueFields, outgoingBooks, useNextNumber, type IssueValues } from './sign/IssueFields';
import { LeaderCheck } from './sign/LeaderCheck';
import { SignResultPanel } from './sign/SignResultPanel';
import { useNav } from '../shell/nav';

type Mode = 'issue' | 'appendix' | 'copy';
const PAGE_WIDTH = 560;

interface Opened { file: StoredFileDto; bytes: Uint8Array }

/**
 * Enter adds a Nơi nhận, confirms a date or moves on; it never signs: only the sign button does (a
 * browser submits a form on Enter in any of its fields).
 */
function enterOnlyOnButtons(e: KeyboardEvent<HTMLFormElement>) {
  const el = e.target as HTMLElement;
  if (e.key === 'Enter' && el.tagName !== 'BUTTON' && el.tagName !== 'TEXTAREA') e.preventDefault();
}

/** "Ký số văn bản": the agency's issuing, appendix and copy signatures on a token already logged in. */
export function SignScreen({ client }: { client: Client }) {
  const nav = useNav();
  const tokens = useAsync(() => client.call('token.list', {}), []);
  const info = useAsync(() => client.call('app.info', {}), []);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [inspection, setInspection] = useState<SignInspectionDto | null>(null);
  const [positions, setPositions] = useState<Positions>({});
  const [moved, setMoved] = useState<Set<keyof Positions>>(new Set());
  const [mode, setMode] = useState<Mode>('issue');
  const [issue, setIssue] = useState<IssueValues>({ book: null, notation: '', typeName: '', subject: '', recipients: [], date: dateInVietnam(), sealMm: null });
  const changeIssue = (v: Partial<IssueValues>) => setIssue((old) => ({ ...old, ...v }));
  const sealMm = issue.sealMm;
  // Điều 3.2: the clerk's explicit confirmation when the leader's revocation status is unknown.
  const [confirmUnknown, setConfirmUnknown] = useState(false);
  const [issuedCount, setIssuedCount] = useState(0);
  const { next, error: nextError } = useNextNumber(client, issue, issuedCount);
  const [ref, setRef] = useState('');
  const [copyForm, setCopyForm] = useState<CopyForm>('SAO Y');
  const [copyAgency, setCopyAgency] = useState('');
  // Asked once per showing of the screen; the issue form, the batch and the sổ picked for a printed ký hiệu share it.
  const books = useAsync(() => client.call('register.books', {}), []);
  const [printedNotation, setPrintedNotation] = useState<string | null>(null);
  const copyBook = books.data?.books.find((b) => b.direction === 'di' && b.kind === 'copies') ?? null;
  const [tokenRef, setTokenRef] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ dto: SignResultDto; url: string } | null>(null);

  const loggedIn = useMemo(() => tokens.data?.tokens.filter((tk) => tk.loggedIn) ?? [], [tokens.data]);
  const chosenToken = loggedIn.find((tk) => tk.ref === tokenRef) ?? loggedIn[0] ?? null;
  const signingKey = useSigningKey(client, chosenToken?.ref ?? null);
  const needsContextPin = signingKey?.alwaysAuthenticate === true;
  const [contextPin, setContextPin] = useState('');
  const pinReady = !needsContextPin || contextPin.length >= 4;

  useEffect(() => {
    if (info.data && copyAgency === '') setCopyAgency(info.data.agency.name);
  }, [info.data, copyAgency]);

  // Re-inspect when the file, the seal size or the clerk's revocation choice changes: the proposal and
  // the leader's verdict depend on them. The choice is always sent, so no profile default decides for the clerk.
  useEffect(() => {
    if (!opened) return;
    let live = true;
    client.call('sign.inspect', { fileId: opened.file.fileId, acceptUnknownRevocation: confirmUnknown, ...(sealMm ? { sealMm } : {}) }).then(
      (i) => {
        if (!live) return;
        setInspection(i);
        // What page 1 says fills the entry's fields the clerk has not set; the sổ follows the printed ký hiệu.
        setIssue((v) => ({
          ...v, sealMm: v.sealMm ?? i.sealMm, notation: v.notation || (i.record.notation ?? ''), typeName: v.typeName || (i.record.typeName ?? ''), subject: v.subject || (i.record.subject ?? ''),
        }));
        setPrintedNotation(i.record.notation ?? null);
        setPositions((old) => ({
          number: moved.has('number') ? old.number : i.proposed.number ?? undefined,
          day: moved.has('day') ? old.day : i.proposed.day ?? undefined,
          month: moved.has('month') ? old.month : i.proposed.month ?? undefined,
          seal: moved.has('seal') && old.seal && i.proposed.seal ? { ...old.seal, width: i.proposed.seal.width, height: i.proposed.seal.height } : i.proposed.seal ?? undefined,
        }));
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
    // `moved` is read, not watched: moving a box must not re-run the inspection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, opened, sealMm, confirmUnknown]);

  // The sổ đi whose default ký hiệu is the printed one, else the general sổ đi, unless the clerk chose one.
  useEffect(() => {
    if (!printedNotation) return;
    const out = outgoingBooks(books);
    const hit = out.find((b) => b.notation === printedNotation) ?? out.find((b) => b.id === 'di') ?? out[0];
    if (hit) setIssue((v) => (v.book ? v : { ...v, book: hit.id }));
  }, [printedNotation, books]);

  useEffect(() => () => void (result && URL.revokeObjectURL(result.url)), [result]);

  function picked(file: StoredFileDto, bytes: Uint8Array) {
    setOpened({ file, bytes });
    setInspection(null);
    setMoved(new Set());
    setPositions({});
    setResult(null);
    setError(null);
    setConfirmUnknown(false);
    setIssue((v) => ({ ...v, sealMm: null, notation: '', typeName: '', subject: '', recipients: [] }));
  }

  function move(key: keyof Positions, value: TextBoxDto | PageRectDto) {
    setPositions((p) => ({ ...p, [key]: value }));
    setMoved((m) => new Set(m).add(key));
  }

  async function sign(e: FormEvent) {
    e.preventDefault();
    if (!opened || !chosenToken) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const target = { fileId: opened.file.fileId, token: chosenToken.ref, ...(needsContextPin ? { contextPin } : {}) };
      let dto: SignResultDto;
      if (mode === 'issue') {
        const explicit = Object.fromEntries([...moved].map((k) => [k, positions[k]]).filter(([, v]) => v !== undefined));
        dto = await client.call('sign.issue', {
          ...target, book: issue.book!, date: issue.date, sealMm: sealMm ?? 36, positions: explicit, acceptUnknownRevocation: confirmUnknown,
          typeName: issue.typeName, subject: issue.subject.trim(), ...(issue.notation.trim() ? { notation: issue.notation.trim() } : {}), ...(issue.recipients.length ? { recipients: issue.recipients } : {}),
        });
        setIssuedCount((n) => n + 1);
        nav.changed();
      } else if (mode === 'appendix') {
        dto = await client.call('sign.appendix', { ...target, ref });
      } else {
        // Copies take their numbers from the copies sổ (SY, SL, TrS), and only of an issued or digitised-here source.
        dto = await client.call('sign.copy', { ...target, form: copyForm, agency: copyAgency, ...(copyBook ? { book: copyBook.id } : {}) });
        setIssuedCount((n) => n + 1);
        nav.changed();
      }
      const f = await fetchFile(client, dto.fileId);
      const url = URL.createObjectURL(new Blob([f.bytes], { type: 'application/pdf' }));
      setResult({ dto, url });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const [, m, d] = issue.date.split('-').map(Number);
  const texts = { number: next?.numberText ?? '', day: d ? decree30Day(d) : '', month: m ? decree30Month(m) : '' };
  const canSign = !!opened && !!chosenToken && !busy && pinReady &&
    (mode === 'issue' ? !!next && issue.typeName !== '' && issue.subject.trim() !== '' && inspection?.leader.verified === true
      : mode === 'appendix' ? ref.trim() !== '' : copyAgency.trim() !== '');
  const pages = [...new Set([0, ...(mode === 'issue' && positions.seal ? [positions.seal.page] : [])])];

  return (
    <section className="sign-screen">
      <h2>{t('sign.heading')}</h2>
      {tokens.error && <p className="error" role="alert">{tokens.error}</p>}
      {tokens.data && loggedIn.length === 0 && (
        <p className="warning" role="alert" data-need-login>
          {t('sign.needLogin')} <button onClick={tokens.reload}>{t('token.refresh')}</button>
        </p>
      )}
      {loggedIn.length > 1 && (
        <label>
          {t('sign.token')}
          <select value={chosenToken?.ref ?? ''} onChange={(e) => setTokenRef(e.target.value)}>
            {loggedIn.map((tk) => <option key={tk.ref} value={tk.ref}>{tk.label}</option>)}
          </select>
        </label>
      )}
      {chosenToken && <p className="status ok">{t('sign.usingToken', { label: chosenToken.label })}</p>}
      {needsContextPin && <ContextPinField value={contextPin} onChange={setContextPin} />}

      <FilePicker client={client} onPicked={picked} disabled={busy} />

      {opened && (
        <div className="sign-layout">
          <div className="sign-pages">
            {pages.map((p) => (
              <PdfPage key={`${opened.file.fileId}-${p}`} bytes={opened.bytes} page={p} width={PAGE_WIDTH} label={t('sign.pageN', { page: p + 1 })}
                overlay={mode === 'issue' ? (geo) => <SignOverlays page={p} geo={geo} positions={positions} texts={texts} onMove={move} /> : undefined} />
            ))}
          </div>
          <form className="sign-form" onSubmit={sign} onKeyDown={enterOnlyOnButtons}>
            <fieldset>
              <legend>{t('sign.mode')}</legend>
              {(['issue', 'appendix', 'copy'] as const).map((md) => (
                <label key={md}>
                  <input type="radio" name="mode" value={md} checked={mode === md} onChange={() => setMode(md)} />
                  {t(md === 'issue' ? 'sign.modeIssue' : md === 'appendix' ? 'sign.modeAppendix' : 'sign.modeCopy')}
                </label>
              ))}
            </fieldset>
            {mode === 'issue' && inspection && <LeaderCheck leader={inspection.leader} confirmed={confirmUnknown} onConfirm={setConfirmUnknown} disabled={busy} />}
            {mode === 'issue' && (
              <>
                <IssueFields books={books} values={issue} onChange={changeIssue} next={next} nextError={nextError} disabled={busy} />
                <p className="hint">{t('sign.dragHint')}</p>
                {inspection && (!positions.number || !positions.day || !positions.seal) && <p className="warning">{t('sign.placeMissing')}</p>}
              </>
            )}
            {mode === 'appendix' && (
              <label>{t('sign.ref')}<input name="ref" value={ref} onChange={(e) => setRef(e.target.value)} maxLength={REF_MAX_CHARS} placeholder={t('sign.refPlaceholder')} /></label>
            )}
            {mode === 'copy' && (
              <>
                <label>
                  {t('sign.copyForm')}
                  <select name="copyForm" value={copyForm} onChange={(e) => setCopyForm(e.target.value as CopyForm)}>
                    {COPY_FORMS.map((f) => <option key={f} value={f}>{f}</option>)}
                  </select>
                </label>
                <label>{t('sign.copyAgency')}<input name="copyAgency" value={copyAgency} onChange={(e) => setCopyAgency(e.target.value)} maxLength={AGENCY_NAME_MAX_CHARS} /></label>
                {copyBook && <p className="hint" data-copy-book={copyBook.id}>{t('sign.copyBook', { book: copyBook.name })}</p>}
              </>
            )}
            <button type="submit" disabled={!canSign} data-shortcut="submit">{t(busy ? 'sign.signing' : 'sign.submit')}</button>
            {error && <p className="error" role="alert">{error}</p>}
            {result && <SignResultPanel dto={result.dto} url={result.url} />}
          </form>
        </div>
      )}

      {chosenToken && (
        <BatchSign client={client} books={books} tokenRef={chosenToken.ref} contextPin={needsContextPin ? contextPin : ''} defaultAgency={info.data?.agency.name ?? ''} />
      )}
    </section>
  );
}
