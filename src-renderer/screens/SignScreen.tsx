import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import type { PageRectDto, SignInspectionDto, SignResultDto, TextBoxDto } from '@contract/sign';
import { decree30Day, decree30Month, decree30Number } from '@contract/text';
import { t } from '../i18n';
import { FilePicker } from '../ui/FilePicker';
import { Verdict } from '../ui/Verdict';
import { fetchFile } from '../ui/files';
import { dateInVietnam } from '@contract/time';
import { COPY_FORMS, type CopyForm } from '@contract/vocabulary';
import { AGENCY_NAME_MAX_CHARS, NOTATION_MAX_CHARS, REF_MAX_CHARS } from '@contract/limits';
import { errorText, useAsync } from '../ui/useAsync';
import { SignOverlays, type Positions } from './SignOverlays';
import { PdfPage } from '../pdf/PdfPage';
import { BatchSign } from './sign/BatchSign';
import { ContextPinField } from './sign/ContextPinField';
import { useSigningKey } from './sign/useSigningKey';

type Mode = 'issue' | 'appendix' | 'copy';
const PAGE_WIDTH = 560;

interface Opened { file: StoredFileDto; bytes: Uint8Array }

/** "Ký số văn bản": the agency's issuing, appendix and copy signatures on a token already logged in. */
export function SignScreen({ client }: { client: Client }) {
  const tokens = useAsync(() => client.call('token.list', {}), []);
  const info = useAsync(() => client.call('app.info', {}), []);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [inspection, setInspection] = useState<SignInspectionDto | null>(null);
  const [positions, setPositions] = useState<Positions>({});
  const [moved, setMoved] = useState<Set<keyof Positions>>(new Set());
  const [mode, setMode] = useState<Mode>('issue');
  const [number, setNumber] = useState('1');
  const [notation, setNotation] = useState('QĐ-UBND');
  const [date, setDate] = useState(dateInVietnam());
  const [sealMm, setSealMm] = useState<number | null>(null);
  const [ref, setRef] = useState('');
  const [copyForm, setCopyForm] = useState<CopyForm>('SAO Y');
  const [copyAgency, setCopyAgency] = useState('');
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

  // Re-inspect when the file or the seal size changes: the proposal depends on both.
  useEffect(() => {
    if (!opened) return;
    let live = true;
    client.call('sign.inspect', { fileId: opened.file.fileId, ...(sealMm ? { sealMm } : {}) }).then(
      (i) => {
        if (!live) return;
        setInspection(i);
        if (sealMm === null) setSealMm(i.sealMm);
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
  }, [client, opened, sealMm]);

  useEffect(() => () => void (result && URL.revokeObjectURL(result.url)), [result]);

  function picked(file: StoredFileDto, bytes: Uint8Array) {
    setOpened({ file, bytes });
    setInspection(null);
    setMoved(new Set());
    setPositions({});
    setResult(null);
    setError(null);
    setSealMm(null);
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
        dto = await client.call('sign.issue', { ...target, number: Number(number), notation, date, sealMm: sealMm ?? 36, positions: explicit });
      } else if (mode === 'appendix') {
        dto = await client.call('sign.appendix', { ...target, ref });
      } else {
        dto = await client.call('sign.copy', { ...target, form: copyForm, agency: copyAgency });
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

  const numberValid = /^\d{1,7}$/.test(number) && Number(number) >= 1;
  const [y, m, d] = date.split('-').map(Number);
  const texts = { number: numberValid ? decree30Number(Number(number)) : '', day: d ? decree30Day(d) : '', month: m ? decree30Month(m) : '' };
  const canSign = !!opened && !!chosenToken && !busy && pinReady &&
    (mode === 'issue' ? numberValid && notation.trim() !== '' && !!y && inspection?.leader.verified === true
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
          <form className="sign-form" onSubmit={sign}>
            <fieldset>
              <legend>{t('sign.mode')}</legend>
              {(['issue', 'appendix', 'copy'] as const).map((md) => (
                <label key={md}>
                  <input type="radio" name="mode" value={md} checked={mode === md} onChange={() => setMode(md)} />
                  {t(md === 'issue' ? 'sign.modeIssue' : md === 'appendix' ? 'sign.modeAppendix' : 'sign.modeCopy')}
                </label>
              ))}
            </fieldset>
            {mode === 'issue' && inspection && (
              <p className={inspection.leader.verified ? 'success' : 'error'} data-leader-verified={inspection.leader.verified}>
                {inspection.leader.verified ? t('sign.leaderOk', { name: inspection.leader.signerName ?? '' }) : inspection.leader.summaryVi}
              </p>
            )}
            {mode === 'issue' && (
              <>
                <label>{t('sign.number')}<input name="number" inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value.trim())} /></label>
                <label>{t('sign.notation')}<input name="notation" value={notation} onChange={(e) => setNotation(e.target.value)} maxLength={NOTATION_MAX_CHARS} /></label>
                <label>{t('sign.date')}<input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
                <label>{t('sign.sealMm')}<input name="sealMm" type="number" min={10} max={80} value={sealMm ?? ''} onChange={(e) => setSealMm(Number(e.target.value) || null)} /></label>
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
              </>
            )}
            <button type="submit" disabled={!canSign} data-shortcut="submit">{t(busy ? 'sign.signing' : 'sign.submit')}</button>
            {error && <p className="error" role="alert">{error}</p>}
          </form>
        </div>
      )}

      {result && (
        <div className="sign-result" data-result-file={result.dto.name}>
          <h3>{t('sign.resultHeading')}</h3>
          <Verdict report={result.dto.verification} />
          <p>{t('sign.resultSigs', { n: result.dto.verification.signatures.length })}</p>
          <a className="button" href={result.url} download={result.dto.name}>{t('sign.download', { name: result.dto.name })}</a>
        </div>
      )}

      {chosenToken && (
        <BatchSign client={client} tokenRef={chosenToken.ref} contextPin={needsContextPin ? contextPin : ''} defaultAgency={info.data?.agency.name ?? ''} />
      )}
    </section>
  );
}
