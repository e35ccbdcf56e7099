import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Space, Tag } from 'antd';
import type { Client } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import { errorText, useAsync } from '../../ui/useAsync';
import { SendForm } from './SendForm';

const KNOWN_CODES = new Set(['01', '02', '03', '04', '05', '06', '13', '15', '16']);
/** The nine codes by name; any other code arrives raw and is shown raw. */
const codeText = (code: string | null) => (code === null ? '—' : KNOWN_CODES.has(code) ? t(`exchange.code.${code}` as MessageKey) : code);

/**
 * "Liên thông": the sync indicator (last success, last failure in Vietnamese, Đồng bộ ngay), the
 * packages that arrived (check signatures; answer a recall or update), and what was sent with each
 * recipient's status and history (Gửi lại, Thu hồi), plus sending an issued document.
 */
export function ExchangeScreen({ client }: { client: Client }) {
  const status = useAsync(() => client.call('exchange.status', {}), []);
  const inbox = useAsync(() => client.call('exchange.inbox', {}), []);
  const outbox = useAsync(() => client.call('exchange.outbox', {}), []);
  const [progress, setProgress] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const reloadAll = () => {
    status.reload();
    inbox.reload();
    outbox.reload();
  };

  useEffect(() => {
    const offs = [
      client.on('exchange.progress', (p) => setProgress(t('exchange.syncing', { done: p.done, total: p.total }))),
      client.on('exchange.arrived', (p) => setNotice(t('exchange.arrived', { subject: p.subject }))),
      client.on('exchange.statusChanged', () => outbox.reload()),
    ];
    return () => offs.forEach((off) => off());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
      reloadAll();
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function verify(inboxId: number) {
    await act(async () => {
      const r = await client.call('exchange.verifyArrived', { inboxId });
      setNotice(r.attachments.map((a) => t('exchange.verifyResult', { name: a.name, summary: a.report?.summaryVi ?? t('exchange.notPdf') })).join(' · '));
    });
  }

  const s = status.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('exchange.title')} extra={<Button type="primary" onClick={() => act(() => client.call('exchange.syncNow', {}).finally(() => setProgress(null)))}>{t('exchange.syncNow')}</Button>}>
        {s && !s.configured && <Alert type="warning" title={t('exchange.notConfigured')} />}
        {s && <p data-testid="sync-indicator">{t('exchange.lastSuccess', { at: s.lastSuccessAt ?? t('exchange.never') })}</p>}
        {s?.lastFailureVi && <Alert type="error" title={t('exchange.lastFailure', { at: s.lastFailureAt ?? '', reason: s.lastFailureVi })} />}
        {s && <p>{t('exchange.evidence', { n: s.evidence.records, state: s.evidence.ok ? t('exchange.evidenceOk') : t('exchange.evidenceBad') })}</p>}
        {progress && <p>{progress}</p>}
        {notice && <Alert type="info" title={notice} closable onClose={() => setNotice(null)} />}
        {(error ?? status.error) && <Alert type="error" title={error ?? status.error} />}
      </Card>

      <Card title={t('exchange.inbox')}>
        <Input placeholder={t('exchange.reasonPrompt')} value={reason} onChange={(e) => setReason(e.target.value)} style={{ maxWidth: 400, marginBottom: 8 }} />
        <table className="plain-table">
          <thead><tr><th>{t('exchange.col.state')}</th><th>{t('exchange.col.from')}</th><th>{t('exchange.col.subject')}</th><th>{t('exchange.col.received')}</th><th>{t('exchange.col.actions')}</th></tr></thead>
          <tbody>
            {(inbox.data?.items ?? []).map((r) => (
              <tr key={r.id}>
                <td><Tag>{r.stateVi}</Tag>{r.kind === 'status' && <Tag color="blue">{codeText(r.statusCode)}</Tag>}</td>
                <td>{r.from}</td>
                <td>{r.subject ?? r.documentId}{r.reason && <div className="muted">{r.reason}</div>}</td>
                <td>{r.receivedAt}</td>
                <td>
                  {r.kind === 'edoc' && r.state === 'RECEIVED' && <Button size="small" onClick={() => verify(r.id)}>{t('exchange.verify')}</Button>}
                  {r.state === 'PENDING_DECISION' && (
                    <Space>
                      <Button size="small" onClick={() => act(() => client.call('exchange.answer', { inboxId: r.id, accept: true }))}>{t('exchange.accept')}</Button>
                      <Button size="small" danger onClick={() => act(() => client.call('exchange.answer', { inboxId: r.id, accept: false, reason }))}>{t('exchange.refuse')}</Button>
                    </Space>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {inbox.data?.items.length === 0 && <p>{t('exchange.empty')}</p>}
      </Card>

      <Card title={t('exchange.outbox')}>
        <table className="plain-table">
          <thead><tr><th>{t('exchange.col.state')}</th><th>{t('exchange.col.subject')}</th><th>{t('exchange.col.recipients')}</th><th>{t('exchange.col.sentAt')}</th><th>{t('exchange.col.actions')}</th></tr></thead>
          <tbody>
            {(outbox.data?.items ?? []).filter((r) => r.kind === 'edoc').map((r) => (
              <tr key={r.id}>
                <td><Tag color={r.state === 'SENT' ? 'green' : r.state === 'FAILED_PERMANENT' ? 'red' : 'gold'}>{r.stateVi}</Tag>{r.errorVi && <div className="muted">{r.errorVi}</div>}</td>
                <td>{r.documentId}</td>
                <td>{r.recipients.map((x) => <div key={x.organId} title={x.history.map((h) => `${codeText(h.code)} ${h.at}`).join('\n')}>{x.organId}: {codeText(x.statusCode)}</div>)}</td>
                <td>{r.sentAt ?? '—'}</td>
                <td>
                  <Space>
                    {r.state === 'FAILED_PERMANENT' && <Button size="small" onClick={() => act(() => client.call('exchange.resend', { outboxId: r.id }))}>{t('exchange.resend')}</Button>}
                    {r.state === 'SENT' && r.registerDocId !== null && <Button size="small" danger onClick={() => act(() => client.call('exchange.recall', { registerDocId: r.registerDocId!, reason }))}>{t('exchange.recall')}</Button>}
                  </Space>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <SendForm client={client} onSent={(id) => { setNotice(t('exchange.queued', { id })); reloadAll(); }} />
    </Space>
  );
}
