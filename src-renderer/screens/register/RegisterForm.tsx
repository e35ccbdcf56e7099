import { useState } from 'react';
import { Alert, Button, Form, Input, Select } from 'antd';
import { DatePicker } from '../../ui/DatePicker';
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import type { Client } from '../../api/client';
import { ApiError } from '../../api/client';
import { NOTATION_MAX_CHARS } from '@contract/limits';
import { decree30Number } from '@contract/text';
import { dateInVietnam } from '@contract/time';
import { docTypeNames } from '@contract/doc-types';
import { t, type MessageKey } from '../../i18n';
import { DATE_FORMAT, dayValue, isoDay } from '../../ui/dates';
import { errorText } from '../../ui/useAsync';
import { priorityKey } from './RegisterList';

type Field = 'TypeName' | 'CodeNumber' | 'CodeNotation' | 'IssuedDate' | 'OrganName' | 'Subject' | 'ArrivalDate' | 'DueDate' | 'To' | 'Priority';
type Values = Partial<Record<'TypeName' | 'CodeNumber' | 'CodeNotation' | 'OrganName' | 'Subject', string>> & {
  IssuedDate?: Dayjs | null; ArrivalDate?: Dayjs | null; DueDate?: Dayjs | null; To?: string[]; Priority: number;
};

const FIELDS: Record<'den' | 'di', Field[]> = {
  den: ['TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate', 'OrganName', 'Subject', 'ArrivalDate', 'DueDate', 'Priority'],
  di: ['TypeName', 'CodeNotation', 'IssuedDate', 'Subject', 'To', 'DueDate', 'Priority'],
};
const REQUIRED: Record<'den' | 'di', Field[]> = { den: ['TypeName', 'OrganName', 'Subject', 'ArrivalDate'], di: ['TypeName', 'Subject'] };
/** Phụ lục VI lengths, checked here for the clerk's comfort; the register core enforces them. */
const MAX: Partial<Record<Field, number>> = { CodeNumber: 11, CodeNotation: NOTATION_MAX_CHARS, OrganName: 200, Subject: 500 };
const RECIPIENT_MAX = 200;

const label = (f: Field) => t(`register.form.${f}` as MessageKey);
const initial = (direction: 'den' | 'di'): Values => ({ Priority: 0, ...(direction === 'den' ? { ArrivalDate: dayValue(dateInVietnam()) } : {}) });

/** Date rules: nothing after today where the day has passed; Hạn never before Ngày ban hành or Ngày đến. */
function dateRules(f: Field, direction: 'den' | 'di'): Rule[] {
  const today = dateInVietnam();
  const notFuture: Rule = { validator: async (_, v: Dayjs | null) => { if (v && isoDay(v)! > today) throw new Error(t('register.form.future', { field: label(f) })); } };
  const notBefore = (other: Field): Rule => ({ getFieldValue }) => ({
    validator: async (_, v: Dayjs | null) => {
      const o = getFieldValue(other) as Dayjs | null | undefined;
      if (v && o && isoDay(v)! < isoDay(o)!) throw new Error(t('register.form.before', { field: label(f), other: label(other) }));
    },
  });
  // A picker's value is an object: "required" is judged here, with the other date rules, in one pass.
  const present: Rule = { validator: async (_, v: Dayjs | null) => { if (!v) throw new Error(t('form.required', { field: label(f) })); } };
  if (f === 'ArrivalDate') return [present, notFuture, notBefore('IssuedDate')];
  if (f === 'IssuedDate') return direction === 'den' ? [notFuture] : [];
  if (f === 'DueDate') return direction === 'den' ? [notBefore('IssuedDate'), notBefore('ArrivalDate')] : [notBefore('IssuedDate')];
  return [];
}

/** The record the register expects, Phụ lục VI tags; recipients of a văn bản đi as a list of agencies. */
function toRecord(book: string, direction: 'den' | 'di', v: Values): Record<string, unknown> {
  const rec: Record<string, unknown> = { book, Priority: v.Priority };
  for (const f of FIELDS[direction]) {
    const value = v[f as keyof Values];
    if (f === 'To') {
      const to = (v.To ?? []).map((s) => s.trim()).filter(Boolean);
      if (to.length) rec.To = to.map((OrganName) => ({ OrganName }));
    } else if (f === 'IssuedDate' || f === 'ArrivalDate' || f === 'DueDate') {
      const day = isoDay(value as Dayjs | null);
      if (day) rec[f] = day;
    } else if (typeof value === 'string' && value.trim()) rec[f] = value.trim();
  }
  return rec;
}

/** The field an API refusal names ("record.Subject", "record.To.0.OrganName"), when it is on this form. */
function fieldOfRefusal(e: unknown, direction: 'den' | 'di'): Field | null {
  if (!(e instanceof ApiError) || e.code !== 'INPUT_INVALID') return null;
  const paths = String(e.data?.fields ?? '').split(',').map((p) => p.trim().replace(/^record\./, '').split('.')[0]);
  return (FIELDS[direction] as string[]).find((f) => paths.includes(f)) as Field | undefined ?? null;
}

export function RegisterForm({ client, book, direction, onDone }: { client: Client; book: string; direction: 'den' | 'di'; onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'warning'; text: string }[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(values: Values) {
    setBusy(true);
    setMessage([]);
    try {
      const r = await client.call('register.add', { record: toRecord(book, direction, values) as never });
      const notes: typeof message = [{ kind: 'success', text: t('register.form.ok', { number: r.document.number === null ? '' : decree30Number(r.document.number) }) }];
      for (const d of r.duplicates) notes.push({ kind: 'warning', text: t('register.form.duplicate', { code: String(d.id) }) });
      setMessage(notes);
      form.resetFields();
      onDone();
    } catch (err) {
      const field = fieldOfRefusal(err, direction);
      if (field) {
        form.setFields([{ name: field, errors: [`${t('form.invalid', { field: label(field) })} ${errorText(err)}`] }]);
        form.focusField(field);
      } else setMessage([{ kind: 'error', text: errorText(err) }]);
    } finally {
      setBusy(false);
    }
  }

  const rulesFor = (f: Field): Rule[] => [
    ...(REQUIRED[direction].includes(f) && f !== 'ArrivalDate' ? [{ required: true, whitespace: true, message: t('form.required', { field: label(f) }) }] : []),
    ...(MAX[f] ? [{ max: MAX[f], message: t('form.tooBig', { field: label(f), max: MAX[f]! }) }] : []),
    ...(f === 'To' ? [{ type: 'array' as const, max: RECIPIENT_MAX, message: t('form.tooBig', { field: label(f), max: RECIPIENT_MAX }) }] : []),
    ...dateRules(f, direction),
  ];

  function control(f: Field) {
    switch (f) {
      case 'TypeName':
        return <Select showSearch options={docTypeNames(direction).map((value) => ({ value, label: value }))} />;
      case 'Priority':
        return <Select options={[0, 1, 2, 3, 4].map((p) => ({ value: p, label: t(priorityKey(p)) }))} />;
      case 'To':
        return <Select mode="tags" open={false} tokenSeparators={[';', '\n']} />;
      case 'Subject':
        return <Input.TextArea rows={3} maxLength={MAX.Subject} showCount />;
      case 'IssuedDate': case 'ArrivalDate': case 'DueDate':
        return <DatePicker format={DATE_FORMAT} className="full-width" />;
      default:
        return <Input maxLength={MAX[f]} />;
    }
  }

  return (
    <Form form={form} name={`register-${direction}`} layout="vertical" className="register-form" aria-label={t('register.new')} initialValues={initial(direction)}
      onFinish={submit} scrollToFirstError={{ focus: true, block: 'center' }} requiredMark>
      <h3>{t('register.new')}</h3>
      {FIELDS[direction].map((f) => (
        <Form.Item key={f} name={f} label={label(f)} rules={rulesFor(f)} required={REQUIRED[direction].includes(f)} dependencies={f === 'DueDate' ? ['IssuedDate', 'ArrivalDate'] : f === 'ArrivalDate' ? ['IssuedDate'] : undefined}
          extra={f === 'To' ? t('register.form.ToHint') : undefined}>
          {control(f)}
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit" loading={busy} data-shortcut="submit">{t('register.form.submit')}</Button>
      {message.map((m, i) => (
        <Alert key={i} type={m.kind} title={m.text} role={m.kind === 'error' ? 'alert' : 'status'} className="form-message" />
      ))}
    </Form>
  );
}
