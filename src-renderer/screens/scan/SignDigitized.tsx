import { useEffect, useState, type CSSProperties, type FormEvent } from 'react';
import { Button } from 'antd';
import type { Client } from '../../api/client';
import type { PageRectDto, SignInspectionDto, SignResultDto, TextBoxDto } from '@contract/sign';
import { decree30Day, decree30Month, decree30Number } from '@contract/text';
import { dateInVietnam } from '@contract/time';
import { COPY_FORMS, type CopyForm } from '@contract/vocabulary';
import { t } from '../../i18n';
import { PdfPage } from '../../pdf/PdfPage';
import { errorText, useAsync } from '../../ui/useAsync';
import { Verdict } from '../../ui/Verdict';
import { fetchFile } from '../../ui/files';
import { SignOverlays, type Positions } from '../SignOverlays';
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
  const [date, setDate] = useState(dateInVietnam());
  const [form, setForm] = useState<CopyForm>('SAO Y');
  const [agency, setAgency] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SignResultDto | null>(null);

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
        ? await client.call('sign.issue', { ...target, digitized: true, number: Number(number), notation, date, sealMm: inspection?.sealMm ?? 36, positions })
        : await client.call('sign.copy', { ...target, form, agency }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (tokens.data && !token) return <p data-need-login>{t('scan.sign.needLogin')}</p>;
  const [, m, d] = date.split('-').map(Number);
  const texts = { number: /^\d{1,7}$/.test(number) ? decree30Number(Number(number)) : '', day: d ? decree30Day(d) : '', month: m ? decree30Month(m) : '' };
  return (
    <form className={`scan-sign scan-sign-${mode}`} onSubmit={(e) => void sign(e)}>
      {token && <p>{t('scan.sign.token', { label: token.label })}</p>}
      {mode === 'issue' ? (
        <>
          <p>{t('scan.sign.issueNote')}</p>
          <div className="row" style={FIELDS}>
            <label style={FIELD}>{t('scan.sign.number')}<input name="number" value={number} onChange={(e) => setNumber(e.target.value)} inputMode="numeric" size={8} /></label>
            <label style={FIELD}>{t('scan.sign.notation')}<input name="notation" value={notation} onChange={(e) => setNotation(e.target.value)} /></label>
            <label style={FIELD}>{t('scan.sign.date')}<input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
          </div>
          {pdf && inspection && (
            <PdfPage bytes={pdf} page={0} width={PAGE_WIDTH} label={file.name}
              overlay={(geo) => <SignOverlays page={0} geo={geo} positions={positions} texts={texts} onMove={(k, v) => setPositions((p) => ({ ...p, [k]: v }))} />} />
          )}
        </>
      ) : (
        <>
          <div className="row" style={FIELDS}>
            <label style={FIELD}>{t('scan.sign.form')}
              <select name="form" value={form} onChange={(e) => setForm(e.target.value as CopyForm)}>{COPY_FORMS.map((f) => <option key={f} value={f}>{f}</option>)}</select>
            </label>
            <label style={FIELD}>{t('scan.sign.agency')}<input name="agency" value={agency} onChange={(e) => setAgency(e.target.value)} size={40} /></label>
          </div>
        </>
      )}
      <Button type="primary" htmlType="submit" disabled={busy || !token || (mode === 'issue' && !inspection)}>{t(mode === 'issue' ? 'scan.sign.issue' : 'scan.sign.copy')}</Button>
      {busy && <p role="status">{t('scan.sign.signing')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <div className="scan-signed" data-signed={result.fileId}>
          <p>{t('scan.sign.done', { name: result.name })}</p>
          <Verdict report={result.verification} />
          <Button onClick={() => void saveWorkspaceFile(client, result.fileId)}>{t('scan.download')}</Button>
        </div>
      )}
    </form>
  );
}
