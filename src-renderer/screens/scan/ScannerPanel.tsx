import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { Button, Card } from 'antd';
import type { Client } from '../../api/client';
import type { ScanProgressDto } from '@contract/scan';
import { t } from '../../i18n';
import { errorText } from '../../ui/useAsync';
import { newJobId } from './job-id';

type Source = 'flatbed' | 'adf' | 'adf-duplex';
const FIELD: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 4 };
const FIELDS: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: 16, marginBottom: 12 };

/** The scanner choice and its settings (300 dpi colour A4 by default: the standard's profile); pages arrive live. */
export function ScannerPanel({ client, disabled, onPage, onError }: { client: Client; disabled: boolean; onPage: (fileId: string, page: number) => void; onError: (m: string | null) => void }) {
  const [devices, setDevices] = useState<Array<{ name: string; vendor: string; model: string }> | null>(null);
  const [device, setDevice] = useState('');
  const [dpi, setDpi] = useState(300);
  const [mode, setMode] = useState<'color' | 'gray'>('color');
  const [source, setSource] = useState<Source>('flatbed');
  const [job, setJob] = useState<string | null>(null);
  const [count, setCount] = useState(0);

  async function refresh() {
    onError(null);
    try {
      const r = await client.call('scan.devices', {});
      setDevices(r.devices);
      if (r.devices[0] && !device) setDevice(r.devices[0].name);
    } catch (e) {
      onError(errorText(e));
    }
  }
  useEffect(() => { void refresh(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // The running job and the pages already handed on live in a ref, not in state: a progress event can
  // arrive before React has re-rendered with the new job, or after scan.acquire has answered (events and
  // answers travel separately). The answer's page list is authoritative; events only make pages appear early.
  const live = useRef<{ jobId: string; delivered: Set<string> } | null>(null);
  const deliver = (fileId: string, page: number) => {
    const run = live.current;
    if (!run || run.delivered.has(fileId)) return;
    run.delivered.add(fileId);
    setCount(run.delivered.size);
    onPage(fileId, page);
  };
  useEffect(() => client.on('scan.progress', (p: ScanProgressDto) => {
    if (p.jobId !== live.current?.jobId || p.stage !== 'scan' || !p.fileId) return;
    deliver(p.fileId, p.page);
  }), [client, onPage]); // eslint-disable-line react-hooks/exhaustive-deps

  async function scan() {
    const jobId = newJobId();
    live.current = { jobId, delivered: new Set() };
    setJob(jobId);
    setCount(0);
    onError(null);
    try {
      const r = await client.call('scan.acquire', { jobId, device, dpi, mode, source, paper: 'a4' });
      r.pages.forEach((fileId, i) => deliver(fileId, i + 1));
    } catch (e) {
      onError(errorText(e));
    } finally {
      live.current = null;
      setJob(null);
    }
  }

  return (
    <Card className="scanner" size="small" title={t('scan.scanner')} style={{ marginBottom: 12 }}>
      {devices && devices.length === 0 && <p>{t('scan.noScanner')}</p>}
      <div style={FIELDS}>
      <label style={FIELD}>{t('scan.device')}
        <select name="device" value={device} onChange={(e) => setDevice(e.target.value)} disabled={disabled || !!job}>
          {devices?.map((d) => <option key={d.name} value={d.name}>{`${d.name} — ${d.vendor} ${d.model}`}</option>)}
        </select>
      </label>
      <label style={FIELD}>{t('scan.dpi')}
        <select name="dpi" value={dpi} onChange={(e) => setDpi(Number(e.target.value))} disabled={!!job}>
          {[200, 300, 400, 600].map((d) => <option key={d} value={d}>{d}</option>)}
        </select>
      </label>
      <label style={FIELD}>{t('scan.mode')}
        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as 'color' | 'gray')} disabled={!!job}>
          <option value="color">{t('scan.modeColor')}</option>
          <option value="gray">{t('scan.modeGray')}</option>
        </select>
      </label>
      <label style={FIELD}>{t('scan.source')}
        <select name="source" value={source} onChange={(e) => setSource(e.target.value as Source)} disabled={!!job}>
          <option value="flatbed">{t('scan.flatbed')}</option>
          <option value="adf">{t('scan.adf')}</option>
          <option value="adf-duplex">{t('scan.duplex')}</option>
        </select>
      </label>
      </div>
      <div className="row" style={{ gap: 8 }}>
        <Button type="primary" onClick={() => void scan()} disabled={disabled || !!job || !device}>{t('scan.scan')}</Button>
        {job && <Button onClick={() => void client.call('scan.cancel', { jobId: job })}>{t('scan.cancel')}</Button>}
        <Button onClick={() => void refresh()} disabled={!!job}>{t('scan.refresh')}</Button>
      </div>
      {job && <p role="status">{t('scan.scanning', { n: count })}</p>}
    </Card>
  );
}
