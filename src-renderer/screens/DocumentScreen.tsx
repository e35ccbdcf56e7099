import { useState } from 'react';
import { Button, DatePicker, Descriptions, Form, Input, Space, Tag } from 'antd';
import type { RegisterDocumentDto } from '@contract/register';
import type { Client } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { useNav } from '../shell/nav';
import { DATE_FORMAT, isoDay, showDay } from '../ui/dates';
import { errorText, useAsync } from '../ui/useAsync';
import { priorityKey } from './register/RegisterList';

/**
 * The next step a clerk usually takes from each state, offered as the main button. Which steps are
 * legal is the register's rule: an illegal one is refused by the backend with its own message.
 */
const NEXT: Record<string, string> = {
  received: 'register', registered: 'submit', submitted: 'assign', assigned: 'complete', in_progress: 'complete',
  signed: 'number', numbered: 'issue', issued: 'send',
};
const ACTIONS: Record<'den' | 'di', string[]> = {
  den: ['register', 'submit', 'assign', 'progress', 'complete', 'return', 'recall'],
  di: ['number', 'issue', 'send', 'recall', 'correct', 'cancel'],
};
/** Steps that undo or stop a document carry a reason, which the audit trail keeps. */
const NEEDS_REASON = new Set(['return', 'recall', 'correct', 'cancel']);

/** One document: its register entry, its state and the next action as the main button. */
export function DocumentScreen({ client }: { client: Client }) {
  const nav = useNav();
  const id = nav.state.docId;
  const [tick, setTick] = useState(0);
  const doc = useAsync(() => (id ? client.call('register.get', { id }) : Promise.resolve(null)), [id, tick]);
  if (!id) return <p>{t('doc.none')}</p>;
  const d = doc.data?.document;
  return (
    <section className="document-screen" aria-labelledby="doc-heading">
      <h2 id="doc-heading">{d ? t('doc.heading', { name: d.code ?? d.Subject }) : t('common.loading')}</h2>
      {doc.error && <p className="error" role="alert">{doc.error}</p>}
      {d && <DocumentBody client={client} d={d} onChanged={() => (setTick((n) => n + 1), nav.changed())} />}
    </section>
  );
}

function DocumentBody({ client, d, onChanged }: { client: Client; d: RegisterDocumentDto; onChanged: () => void }) {
  const [action, setAction] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [form] = Form.useForm<{ note?: string; reason?: string; due?: Parameters<typeof isoDay>[0] }>();
  const next = NEXT[d.state];

  async function run(a: string) {
    const v = form.getFieldsValue();
    if (NEEDS_REASON.has(a) && !v.reason?.trim()) {
      setAction(a);
      form.setFields([{ name: 'reason', errors: [t('doc.reasonRequired')] }]);
      form.getFieldInstance('reason')?.focus?.();
      return;
    }
    setError(null);
    try {
      const due = isoDay(v.due);
      await client.call('register.transition', {
        id: d.id, action: a, ...(v.note?.trim() ? { note: v.note.trim() } : {}), ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}), ...(due ? { DueDate: due } : {}),
      });
      setDone(t('doc.done', { action: t(`action.${a}` as MessageKey) }));
      setAction(null);
      form.resetFields();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <Descriptions bordered size="small" column={2} className="doc-meta">
        <Descriptions.Item label={t('register.colState')}>
          <Tag className="state-tag" data-state={d.state}>{d.stateVi}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('register.colPriority')}>
          <Tag className={`priority-tag priority-${d.Priority}`}>{t(priorityKey(d.Priority))}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('register.colNumber')}>{d.number ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('register.colCode')}>{d.code ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('register.form.TypeName')}>{d.TypeName}</Descriptions.Item>
        <Descriptions.Item label={t('register.form.OrganName')}>{d.OrganName ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('register.form.IssuedDate')}>{showDay(d.IssuedDate)}</Descriptions.Item>
        <Descriptions.Item label={t(d.direction === 'den' ? 'register.form.ArrivalDate' : 'register.form.DueDate')}>
          {showDay(d.direction === 'den' ? d.ArrivalDate : d.DueDate)}
        </Descriptions.Item>
        {d.direction === 'den' && <Descriptions.Item label={t('register.form.DueDate')}>{showDay(d.DueDate)}</Descriptions.Item>}
        <Descriptions.Item label={t('register.form.Subject')} span="filled">{d.Subject}</Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical" className="doc-actions" aria-label={t('doc.actions')}>
        {(action === 'assign' || next === 'assign') && (
          <>
            <Form.Item name="note" label={t('doc.note')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <Form.Item name="due" label={t('register.form.DueDate')}>
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
          </>
        )}
        {action && NEEDS_REASON.has(action) && (
          <Form.Item name="reason" label={t('doc.reason')} required>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
        <Space wrap>
          {next && (
            <Button type="primary" data-shortcut="submit" onClick={() => void run(next)}>
              {t(`action.${next}` as MessageKey)}
            </Button>
          )}
          {ACTIONS[d.direction].filter((a) => a !== next).map((a) => (
            <Button key={a} data-action={a} onClick={() => (NEEDS_REASON.has(a) && action !== a ? setAction(a) : void run(a))}>
              {t(`action.${a}` as MessageKey)}
            </Button>
          ))}
        </Space>
      </Form>
      {done && <p className="success" role="status">{done}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
