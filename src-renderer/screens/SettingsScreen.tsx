import { useEffect, useState } from 'react';
import { AutoComplete, Button, Card, Form, Input, InputNumber, Select } from 'antd';
import { DatePicker } from '../ui/DatePicker';
import type { Dayjs } from 'dayjs';
import { SEAL_MM_MAX, SEAL_MM_MIN } from '@contract/limits';
import { workstationSettingsSchema, type WorkstationSettings } from '@contract/settings';
import type { Client } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { DATE_FORMAT, dayValue, isoDay } from '../ui/dates';
import { showIssues } from '../ui/form-errors';
import { formatDateTime } from '../ui/format';
import { errorText, useAsync } from '../ui/useAsync';

/** The form's shape: dates as pickers' values, header lines as one text. */
type Values = Omit<WorkstationSettings, 'calendar' | 'print'> & { calendar: { holidays: Dayjs[]; workingWeekends: Dayjs[] }; print: { header: string } };

const toValues = (s: WorkstationSettings): Values => ({
  ...s,
  calendar: { holidays: s.calendar.holidays.map((d) => dayValue(d)!), workingWeekends: s.calendar.workingWeekends.map((d) => dayValue(d)!) },
  print: { header: s.print.headerLines.join('\n') },
});
const fromValues = (v: Values): unknown => ({
  ...v,
  seal: { image: v.seal.image?.trim() || null, mm: v.seal.mm },
  token: { driver: v.token.driver?.trim() || null },
  calendar: { holidays: (v.calendar.holidays ?? []).map((d) => isoDay(d)).sort(), workingWeekends: (v.calendar.workingWeekends ?? []).map((d) => isoDay(d)).sort() },
  print: { headerLines: v.print.header.split('\n').map((l) => l.trim()).filter(Boolean) },
});

/** Field label of a schema path (the form's names follow the schema; header lines are one text). */
const LABELS: Record<string, MessageKey> = {
  'agency.name': 'settings.agencyName', 'agency.parentName': 'settings.parentName', 'agency.organId': 'settings.organId', 'agency.placeName': 'settings.placeName',
  'seal.image': 'settings.sealImage', 'seal.mm': 'settings.sealMm', 'token.driver': 'settings.driver', 'trust.anchors': 'settings.anchors',
  'trust.intermediates': 'settings.intermediates', 'calendar.holidays': 'settings.holidays', 'calendar.workingWeekends': 'settings.workingWeekends', 'print.headerLines': 'settings.header',
};
function fieldOf(path: Array<string | number>) {
  const key = path.slice(0, 2).join('.');
  const label = LABELS[key];
  if (!label) return null;
  return { name: key === 'print.headerLines' ? ['print', 'header'] : path.slice(0, 2), label: t(label) };
}

/** "Cài đặt": the agency profile and the workstation's configuration, saved through settings.save. */
export function SettingsScreen({ client }: { client: Client }) {
  const [form] = Form.useForm<Values>();
  const loaded = useAsync(() => client.call('settings.get', {}), []);
  const books = useAsync(() => client.call('register.books', {}), []);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data) form.setFieldsValue(toValues(loaded.data.settings));
  }, [loaded.data, form]);

  async function save(values: Values) {
    setStatus(null);
    const parsed = workstationSettingsSchema.safeParse(fromValues(values));
    if (!parsed.success) {
      const general = showIssues(form, parsed.error.issues, fieldOf);
      if (general.length) setStatus({ kind: 'error', text: general.join(' ') });
      return;
    }
    setBusy(true);
    try {
      const r = await client.call('settings.save', { settings: parsed.data });
      setStatus({ kind: 'ok', text: t('settings.saved', { at: formatDateTime(r.savedAt) }) });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  const required = (key: MessageKey) => [{ required: true, whitespace: true, message: t('form.required', { field: t(key) }) }];
  return (
    <section className="settings-screen" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.heading')}</h2>
      {loaded.error && <p className="error" role="alert">{loaded.error}</p>}
      <Form form={form} layout="vertical" onFinish={save} scrollToFirstError={{ focus: true, block: 'center' }} aria-label={t('settings.heading')} className="settings-form">
        <Card title={<h3>{t('settings.agency')}</h3>} size="small">
          <div className="form-grid">
            <Form.Item name={['agency', 'name']} label={t('settings.agencyName')} rules={required('settings.agencyName')}><Input maxLength={120} /></Form.Item>
            <Form.Item name={['agency', 'parentName']} label={t('settings.parentName')}><Input maxLength={120} /></Form.Item>
            <Form.Item name={['agency', 'organId']} label={t('settings.organId')} extra={t('settings.organIdHint')}><Input maxLength={20} /></Form.Item>
            <Form.Item name={['agency', 'placeName']} label={t('settings.placeName')} extra={t('settings.placeNameHint')} rules={required('settings.placeName')}><Input maxLength={60} /></Form.Item>
          </div>
        </Card>
        <Card title={<h3>{t('settings.books')}</h3>} size="small">
          <p className="muted">{t('settings.booksReadOnly')}</p>
          {/* A plain table: antd's Table measures the scroll bar with an injected <style>, which the CSP refuses. */}
          <table className="plain-table">
            <thead>
              <tr><th>{t('settings.bookName')}</th><th>{t('settings.bookDirection')}</th><th>{t('settings.bookNotation')}</th></tr>
            </thead>
            <tbody>
              {(books.data?.books ?? []).map((b) => (
                <tr key={b.id}><td>{b.name}</td><td>{t(b.direction === 'den' ? 'today.den' : 'today.di')}</td><td>{b.notation ?? ''}</td></tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={<h3>{t('settings.sealAndToken')}</h3>} size="small">
          <div className="form-grid">
            <Form.Item name={['seal', 'image']} label={t('settings.sealImage')} extra={t('settings.pathHint')}><Input /></Form.Item>
            <Form.Item name={['seal', 'mm']} label={t('settings.sealMm')} extra={t('settings.sealMmHint', { min: SEAL_MM_MIN, max: SEAL_MM_MAX })}>
              <InputNumber min={SEAL_MM_MIN} max={SEAL_MM_MAX} step={0.5} />
            </Form.Item>
            <Form.Item name={['token', 'driver']} label={t('settings.driver')} extra={t('settings.driverHint', { n: loaded.data?.detectedDrivers.length ?? 0 })}>
              <AutoComplete options={(loaded.data?.detectedDrivers ?? []).map((d) => ({ value: d.path, label: `${d.vendor} — ${d.path}` }))} />
            </Form.Item>
          </div>
        </Card>
        <Card title={<h3>{t('settings.trust')}</h3>} size="small">
          <Form.Item name={['trust', 'anchors']} label={t('settings.anchors')} extra={t('settings.pathListHint')}><Select mode="tags" open={false} /></Form.Item>
          <Form.Item name={['trust', 'intermediates']} label={t('settings.intermediates')} extra={t('settings.pathListHint')}><Select mode="tags" open={false} /></Form.Item>
        </Card>
        <Card title={<h3>{t('settings.calendar')}</h3>} size="small">
          <div className="form-grid">
            <Form.Item name={['calendar', 'holidays']} label={t('settings.holidays')}><DatePicker multiple format={DATE_FORMAT} maxTagCount="responsive" /></Form.Item>
            <Form.Item name={['calendar', 'workingWeekends']} label={t('settings.workingWeekends')}><DatePicker multiple format={DATE_FORMAT} maxTagCount="responsive" /></Form.Item>
          </div>
        </Card>
        <Card title={<h3>{t('settings.print')}</h3>} size="small">
          <Form.Item name={['print', 'header']} label={t('settings.header')} extra={t('settings.headerHint')}><Input.TextArea rows={3} /></Form.Item>
        </Card>
        <div className="form-actions">
          <Button type="primary" htmlType="submit" loading={busy} data-shortcut="submit">{t('settings.save')}</Button>
          {loaded.data?.savedAt && <span className="muted">{t('settings.lastSaved', { at: formatDateTime(loaded.data.savedAt) })}</span>}
        </div>
        {status && <p className={status.kind === 'ok' ? 'success' : 'error'} role={status.kind === 'ok' ? 'status' : 'alert'}>{status.text}</p>}
      </Form>
    </section>
  );
}
