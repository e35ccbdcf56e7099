import { useEffect, useState, type CSSProperties } from 'react';
import { Button, Card, Progress } from 'antd';
import type { Client } from '../../api/client';
import type { ConformanceReportDto, DigitizeResultDto, ScanProgressDto } from '@contract/scan';
import { t } from '../../i18n';
import { FilePicker } from '../../ui/FilePicker';
import { uploadFile, fetchFile } from '../../ui/files';
import { errorText } from '../../ui/useAsync';
import { saveWorkspaceFile } from '../sign/save-file';
import { ScannerPanel } from './ScannerPanel';
import { ConformanceTable } from './ConformanceTable';
import { newJobId } from './job-id';
import { NextSteps } from './NextSteps';

/** One page (or, for a PDF or TIFF, one file of pages) waiting to be assembled, in the clerk's order. */
export interface PageItem { fileId: string; name: string; thumb: string | null; multiPage: boolean; rotate: 0 | 90 | 180 | 270 }

const PAGES_STYLE: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: 12, listStyle: 'none', padding: 0 };
const PAGE_STYLE: CSSProperties = { border: '1px solid #d9d9d9', borderRadius: 6, padding: 8, width: 150, textAlign: 'center', background: '#fff' };
const THUMB_BOX: CSSProperties = { height: 150, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' };

const IMAGE_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };
function thumbOf(name: string, bytes: Uint8Array<ArrayBuffer>): string | null {
  const type = IMAGE_TYPES[name.toLowerCase().split('.').pop() ?? ''];
  return type ? URL.createObjectURL(new Blob([bytes], { type })) : null;
}

/**
 * "Số hóa": scan (SANE) or import images and PDFs, arrange the pages (order, rotation, deletion), make
 * the PDF at 100 % with optional Vietnamese OCR, and read the conformance report before saving.
 */
export function ScanScreen({ client }: { client: Client }) {
  const [items, setItems] = useState<PageItem[]>([]);
  const [ocr, setOcr] = useState(true);
  const [busy, setBusy] = useState(false);
  const [ocrDone, setOcrDone] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<DigitizeResultDto | null>(null);
  const [checked, setChecked] = useState<{ name: string; report: ConformanceReportDto; here: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<string | null>(null);

  useEffect(() => client.on('scan.progress', (p: ScanProgressDto) => {
    if (p.jobId === job && p.stage === 'ocr' && p.pageCount) setOcrDone({ done: p.done, total: p.pageCount });
  }), [client, job]);

  async function addFiles(files: FileList | null) {
    setError(null);
    for (const f of Array.from(files ?? [])) {
      try {
        const { stored, bytes } = await uploadFile(client, f);
        const thumb = thumbOf(stored.name, bytes);
        setItems((xs) => [...xs, { fileId: stored.fileId, name: stored.name, thumb, multiPage: thumb === null, rotate: 0 }]);
      } catch (e) {
        setError(errorText(e));
      }
    }
  }

  async function scannedPage(fileId: string, page: number) {
    const f = await fetchFile(client, fileId);
    setItems((xs) => [...xs, { fileId, name: t('scan.pageName', { n: page }), thumb: thumbOf('p.png', f.bytes), multiPage: false, rotate: 0 }]);
  }

  function move(i: number, by: number) {
    setItems((xs) => {
      const j = i + by;
      if (j < 0 || j >= xs.length) return xs;
      const out = xs.slice();
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    });
  }
  const rotate = (i: number) => setItems((xs) => xs.map((x, k) => (k === i ? { ...x, rotate: (((x.rotate + 90) % 360) as PageItem['rotate']) } : x)));
  const remove = (i: number) => setItems((xs) => xs.filter((_, k) => k !== i));

  async function assemble() {
    const jobId = newJobId();
    setJob(jobId);
    setBusy(true);
    setError(null);
    setResult(null);
    setOcrDone(null);
    try {
      // Page-level arrangement only when every item is one page; a PDF or TIFF keeps its own pages.
      const arrangement = items.some((x) => x.multiPage) ? undefined : items.map((x, index) => ({ index, rotate: x.rotate }));
      setResult(await client.call('digitize.assemble', { jobId, files: items.map((x) => x.fileId), ocr, ...(arrangement ? { arrangement } : {}) }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      setJob(null);
    }
  }

  async function checkPdf(fileId: string, name: string) {
    setError(null);
    try {
      const [report, prov] = await Promise.all([client.call('digitize.check', { fileId }), client.call('digitize.provenance', { fileId })]);
      setChecked({ name, report, here: prov.digitizedHere });
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="scan-screen">
      <h2>{t('scan.heading')}</h2>
      <ScannerPanel client={client} disabled={busy} onPage={(id, n) => void scannedPage(id, n)} onError={setError} />
      <div className="file-picker" data-drop-zone onDragOver={(e) => e.preventDefault()} onDrop={(e) => { e.preventDefault(); void addFiles(e.dataTransfer.files); }}>
        <input id="scan-import" className="visually-hidden" type="file" multiple accept="image/jpeg,image/png,image/tiff,application/pdf,.tif,.tiff,.pdf" onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} disabled={busy} />
        <label htmlFor="scan-import" className="file-button">{t('scan.import')}</label>
      </div>
      <ol className="scan-pages" aria-label={t('scan.pages')} style={PAGES_STYLE}>
        {items.map((x, i) => (
          <li key={`${x.fileId}-${i}`} data-page={i + 1} style={PAGE_STYLE}>
            <div style={THUMB_BOX}>
              {x.thumb ? <img src={x.thumb} alt={x.name} style={{ maxWidth: 130, maxHeight: 130, transform: `rotate(${x.rotate}deg)`, boxShadow: '0 0 3px #999' }} /> : <span className="file-name">{x.name}</span>}
            </div>
            <div>{t('scan.pageNumber', { n: i + 1 })}</div>
            <div className="row" style={{ justifyContent: 'center', gap: 4 }}>
              <Button size="small" onClick={() => move(i, -1)} disabled={busy || i === 0} title={t('scan.up')} aria-label={t('scan.up')}>↑</Button>
              <Button size="small" onClick={() => move(i, 1)} disabled={busy || i === items.length - 1} title={t('scan.down')} aria-label={t('scan.down')}>↓</Button>
              <Button size="small" onClick={() => rotate(i)} disabled={busy || x.multiPage} title={t('scan.rotate')} aria-label={t('scan.rotate')}>⟳</Button>
              <Button size="small" danger onClick={() => remove(i)} disabled={busy} title={t('scan.remove')} aria-label={t('scan.remove')}>✕</Button>
            </div>
          </li>
        ))}
      </ol>
      {items.length === 0 && <p>{t('scan.noPages')}</p>}
      <label className="inline">
        <input type="checkbox" name="ocr" checked={ocr} onChange={(e) => setOcr(e.target.checked)} disabled={busy} />
        {t('scan.ocr')}
      </label>
      <div className="row" style={{ gap: 8, margin: '8px 0' }}>
        <Button type="primary" onClick={() => void assemble()} disabled={busy || items.length === 0}>{t('scan.assemble')}</Button>
        {busy && job && <Button onClick={() => void client.call('scan.cancel', { jobId: job })}>{t('scan.cancel')}</Button>}
      </div>
      {busy && <p role="status">{ocrDone ? t('scan.ocrProgress', { done: ocrDone.done, total: ocrDone.total }) : t('scan.assembling')}</p>}
      {busy && ocrDone && <Progress percent={Math.round((ocrDone.done / ocrDone.total) * 100)} />}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <Card className="scan-result" size="small" title={t('scan.resultTitle')}>
          <ConformanceTable report={result.report} />
          <p>{result.report.conforms ? t('scan.recordedHere') : t('scan.notUsable')}</p>
          <Button onClick={() => void saveWorkspaceFile(client, result.fileId)}>{t('scan.download')}</Button>
          {result.report.conforms && <NextSteps key={result.fileId} client={client} result={result} />}
        </Card>
      )}
      <h3>{t('scan.checkHeading')}</h3>
      <FilePicker client={client} onPicked={(f) => void checkPdf(f.fileId, f.name)} disabled={busy} />
      {checked && (
        <Card className="scan-check" size="small" title={checked.name}>
          <ConformanceTable report={checked.report} />
          <p>{checked.here ? t('scan.digitizedHere') : t('scan.notDigitizedHere')}</p>
        </Card>
      )}
    </section>
  );
}
