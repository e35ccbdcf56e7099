import { useEffect, useState } from 'react';
import { Button, Form, Input, InputNumber, Select, Space, type FormInstance } from 'antd';
import { DatePicker } from '../../ui/DatePicker';
import type { Dayjs } from 'dayjs';
import type { RegisterDocumentDetailDto, RegisterDocumentDto } from '@contract/register';
import { ApiError, type Client } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import { DATE_FORMAT, dayValue, isoDay, todayValue } from '../../ui/dates';
import { errorText } from '../../ui/useAsync';

/** The step a clerk usually takes next from each state: the page's main button. */
const NEXT: Record<string, string> = {
  received: 'register', registered: 'submit', submitted: 'assign', assigned: 'handover', in_progress: 'complete',
  signed: 'number', numbered: 'issue', issued: 'send',
};
/** Steps that undo, stop or change what was written: the register requires the reason. */
const REASON = new Set(['return', 'recall', 'correct', 'cancel', 'amend']);
/** Steps with fields of their own: the button opens the form, the form's button takes the step. */
const WITH_FORM = new Set(['assign', 'handover', 'complete', ...REASON]);

interface Values {
  note?: string;
  reason?: string;
  leadUnit?: string;
  leadPerson?: string;
  partners?: string[];
  opinion?: string;
  due?: Dayjs | null;
  handedTo?: string;
  handedDate?: Dayjs | null;
  correctedBy?: number | null;
  Subject?: string;
  OrganName?: string;
  IssuedDate?: Dayjs | null;
  DueDate?: Dayjs | null;
}

/** The register names the field it refused (data.field); the form shows the error there and focuses it. */
const FIELD_OF: Record<string, keyof Values> = {
  lead: 'leadUnit', due: 'due', handedTo: 'handedTo', handedDate: 'handedDate', reason: 'reason', changes: 'Subject',
  Subject: 'Subject', OrganName: 'OrganName', IssuedDate: 'IssuedDate', DueDate: 'DueDate', ArrivalDate: 'IssuedDate',
};

const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

/** The transition's input from the form, for one action (only the fields that action takes). */
function inputFor(action: string, v: Values, d: RegisterDocumentDto): Record<string, unknown> {
  const out: Record<string, unknown> = { note: trimmed(v.note), reason: trimmed(v.reason) };
  if (action === 'assign') {
    const due = isoDay(v.due);
    out.assignments = [
      { role: 'chu_tri', unit: trimmed(v.leadUnit), person: trimmed(v.leadPerson), opinion: trimmed(v.opinion), dueDate: due },
      ...(v.partners ?? []).map((u) => u.trim()).filter(Boolean).map((unit) => ({ role: 'phoi_hop', unit })),
    ];
    out.DueDate = due;
  }
  if (action === 'handover') Object.assign(out, { handedTo: trimmed(v.handedTo), handedDate: isoDay(v.handedDate) });
  if (action === 'correct') out.correctedBy = v.correctedBy ?? undefined;
  if (action === 'amend') {
    const next = { Subject: trimmed(v.Subject), OrganName: trimmed(v.OrganName), IssuedDate: isoDay(v.IssuedDate), DueDate: isoDay(v.DueDate) };
    out.changes = Object.fromEntries(Object.entries(next).filter(([k, val]) => val !== undefined && val !== d[k as keyof RegisterDocumentDto]));
  }
  return Object.fromEntries(Object.entries(out).filter(([, val]) => val !== undefined));
}

/**
 * The document's handling: the next step as the main button, the other legal steps beside it, and the
 * form of the chosen step with its fields (giao xử lý, chuyển, lý do…), errors shown at the field.
 */
export function HandlingPanel({ client, d, detail, onChanged }: { client: Client; d: RegisterDocumentDto; detail: RegisterDocumentDetailDto; onChanged: () => void }) {
  const [action, setAction] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const legal = detail.actions;
  const next = legal.includes(NEXT[d.state] ?? '') ? NEXT[d.state]! : null;
  const lead = detail.assignments.filter((a) => a.role === 'chu_tri').at(-1);

  // A new state (after a step) closes the form: its fields belonged to the step just taken.
  useEffect(() => setAction(null), [d.state]);

  function open(a: string) {
    setError(null);
    setDone(null);
    setAction(a);
  }

  /** Each form opens fresh (keyed by its step) with what the register already knows. */
  const initial: Values = {
    handedTo: lead?.unit ?? lead?.person ?? detail.ToPlaces ?? undefined, handedDate: todayValue(),
    Subject: d.Subject, OrganName: d.OrganName ?? undefined, IssuedDate: dayValue(d.IssuedDate), DueDate: dayValue(d.DueDate),
  };

  async function run(a: string, values: Values = {}, form?: FormInstance<Values>) {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      await client.call('register.transition', { id: d.id, action: a, ...inputFor(a, values, d) });
      setDone(t('doc.done', { action: t(`action.${a}` as MessageKey) }));
      setAction(null);
      onChanged();
    } catch (e) {
      const field = e instanceof ApiError && typeof e.data?.field === 'string' ? FIELD_OF[e.data.field] : undefined;
      if (field && form) {
        form.setFields([{ name: field, errors: [errorText(e)] }]);
        form.focusField(field);
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const click = (a: string) => (WITH_FORM.has(a) ? open(a) : void run(a));
  return (
    <div className="handling-panel">
      <Space wrap className="doc-buttons">
        {next && (
          <Button type="primary" data-action={next} data-shortcut={action ? undefined : 'submit'} loading={busy && action === null} onClick={() => click(next)}>
            {t(`action.${next}` as MessageKey)}
          </Button>
        )}
        {legal.filter((a) => a !== next).map((a) => (
          <Button key={a} data-action={a} danger={a === 'cancel' || a === 'recall'} onClick={() => click(a)}>
            {t(`action.${a}` as MessageKey)}
          </Button>
        ))}
      </Space>
      {action && (
        <ActionForm key={action} action={action} initial={initial} busy={busy} onSubmit={(v, form) => void run(action, v, form)} onClose={() => setAction(null)} />
      )}
      {done && <p className="success" role="status">{done}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** The chosen step's fields, in a form of its own (a fresh store each time a step is opened). */
function ActionForm({ action, initial, busy, onSubmit, onClose }: { action: string; initial: Values; busy: boolean; onSubmit: (v: Values, form: FormInstance<Values>) => void; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const required = (key: MessageKey) => [{ required: true, whitespace: true, message: t('form.required', { field: t(key) }) }];
  return (
<Form form={form} initialValues={initial} layout="vertical" className="doc-form" aria-label={t(`action.${action}` as MessageKey)} onFinish={(v) => onSubmit(v, form)} scrollToFirstError={{ focus: true, block: 'center' }}>
      <h3>{t(`action.${action}` as MessageKey)}</h3>
      {action === 'assign' && (
        <div className="form-grid">
          <Form.Item name="leadUnit" label={t('doc.leadUnit')} rules={required('doc.leadUnit')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="leadPerson" label={t('doc.leadPerson')}><Input maxLength={100} /></Form.Item>
          <Form.Item name="partners" label={t('doc.partners')} extra={t('doc.partnersHint')}><Select mode="tags" open={false} /></Form.Item>
          <Form.Item name="due" label={t('doc.due')}>
            <DatePicker format={DATE_FORMAT} disabledDate={(day) => day.isBefore(todayValue(), 'day')} />
          </Form.Item>
          <Form.Item name="opinion" label={t('doc.opinion')} className="span-2"><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        </div>
      )}
      {action === 'handover' && (
        <div className="form-grid">
          <Form.Item name="handedTo" label={t('doc.handedTo')} rules={required('doc.handedTo')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="handedDate" label={t('doc.handedDate')} rules={[{ required: true, message: t('form.required', { field: t('doc.handedDate') }) }]}>
            <DatePicker format={DATE_FORMAT} disabledDate={(day) => day.isAfter(todayValue(), 'day')} />
          </Form.Item>
        </div>
      )}
      {action === 'amend' && (
        <div className="form-grid">
          <Form.Item name="Subject" label={t('register.form.Subject')} className="span-2" rules={required('register.form.Subject')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          <Form.Item name="OrganName" label={t('register.form.OrganName')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="IssuedDate" label={t('register.form.IssuedDate')}><DatePicker format={DATE_FORMAT} /></Form.Item>
          <Form.Item name="DueDate" label={t('register.form.DueDate')}><DatePicker format={DATE_FORMAT} /></Form.Item>
        </div>
      )}
      {action === 'correct' && (
        <Form.Item name="correctedBy" label={t('doc.correctedBy')} rules={[{ required: true, message: t('form.required', { field: t('doc.correctedBy') }) }]}>
          <InputNumber min={1} />
        </Form.Item>
      )}
      {action === 'complete' && <Form.Item name="note" label={t('doc.replyCode')}><Input maxLength={2000} /></Form.Item>}
      {REASON.has(action) && (
        <Form.Item name="reason" label={t('doc.reason')} rules={[{ required: true, whitespace: true, message: t('doc.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-shortcut="submit">{t('doc.confirm', { action: t(`action.${action}` as MessageKey) })}</Button>
        <Button onClick={onClose}>{t('doc.cancelForm')}</Button>
      </Space>
    </Form>
  );
}
