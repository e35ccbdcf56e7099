import { useState } from 'react';
import { Alert, Button, Card, Input, InputNumber, Space } from 'antd';
import type { Client } from '../../api/client';
import { t } from '../../i18n';
import { errorText } from '../../ui/useAsync';

/** Gửi: an issued văn bản đi (its id in the register) to agencies by their exchange code. */
export function SendForm({ client, onSent }: { client: Client; onSent: (outboxId: number) => void }) {
  const [docId, setDocId] = useState<number | null>(null);
  const [codes, setCodes] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function send() {
    setError(null);
    const to = codes.split(/[,\s]+/).filter(Boolean).map((c) => ({ OrganId: c, OrganName: c }));
    try {
      const r = await client.call('exchange.send', { registerDocId: docId ?? 0, to });
      onSent(r.outboxId);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <Card title={t('exchange.sendTitle')}>
      <Space wrap>
        <InputNumber min={1} placeholder={t('exchange.docId')} value={docId} onChange={(v) => setDocId(v)} />
        <Input placeholder={t('exchange.recipients')} value={codes} onChange={(e) => setCodes(e.target.value)} style={{ width: 360 }} />
        <Button type="primary" disabled={!docId || !codes.trim()} onClick={send}>{t('exchange.send')}</Button>
      </Space>
      {error && <Alert type="error" title={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}
