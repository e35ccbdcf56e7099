import { useState, type CSSProperties, type FormEvent } from 'react';
import { Button } from 'antd';
import type { Client } from '../../api/client';
import type { DigitizedRegistrationDto } from '@contract/scan';
import { dateInVietnam } from '@contract/time';
import { t } from '../../i18n';
import { useNav } from '../../shell/nav';
import { errorText, useAsync } from '../../ui/useAsync';

/** Each label's text and field take a column of the form's grid. */
const CELLS: CSSProperties = { display: 'contents' };

/** The first line of the recognised text that reads like a trích yếu (long enough), to start the form with. */
function suggestedSubject(pageTexts: readonly string[]): string {
  const line = (pageTexts[0] ?? '').split('\n').map((l) => l.trim()).find((l) => l.length >= 20) ?? '';
  return line.slice(0, 500);
}

/**
 * "Vào sổ" of a digitised PDF: a short incoming entry, prefilled from the OCR text, sent with the file
 * through digitize.register — which checks the standard again and writes the provenance in the entry.
 */
export function RegisterDigitized({ client, fileId, pageTexts }: { client: Client; fileId: string; pageTexts: readonly string[] }) {
  const nav = useNav();
  const books = useAsync(() => client.call('register.books', {}), []);
  const [form, setForm] = useState({ book: 'den', TypeName: 'Công văn', Subject: suggestedSubject(pageTexts), OrganName: '', ArrivalDate: dateInVietnam(), Description: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<DigitizedRegistrationDto | null>(null);
  const field = (k: keyof typeof form) => ({ name: k, value: form[k], onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value })) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const record = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== ''));
      setDone(await client.call('digitize.register', { fileId, record }));
      nav.changed();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="scan-registered" role="status" data-doc-id={done.document.id}>
        <p>{t('scan.reg.done', { number: done.document.number ?? '', provenance: t(done.digitizedHere ? 'scan.reg.here' : 'scan.reg.elsewhere') })}</p>
        <Button onClick={() => nav.openDocument(done.document.id)}>{t('scan.reg.open')}</Button>
      </div>
    );
  }
  return (
    <form className="scan-register" style={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 32em)', gap: '6px 12px', alignItems: 'center', margin: '8px 0' }} onSubmit={(e) => void submit(e)}>
      <label style={CELLS}>{t('scan.reg.book')}
        <select {...field('book')}>
          {(books.data?.books ?? []).filter((b) => b.direction === 'den').map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      </label>
      <label style={CELLS}>{t('scan.reg.type')}<input {...field('TypeName')} required maxLength={100} /></label>
      <label style={CELLS}>{t('scan.reg.subject')}<textarea {...field('Subject')} required maxLength={500} rows={2} /></label>
      <label style={CELLS}>{t('scan.reg.organ')}<input {...field('OrganName')} maxLength={200} /></label>
      <label style={CELLS}>{t('scan.reg.arrival')}<input {...field('ArrivalDate')} type="date" /></label>
      <label style={CELLS}>{t('scan.reg.note')}<input {...field('Description')} maxLength={400} /></label>
      <Button type="primary" htmlType="submit" disabled={busy} style={{ gridColumn: 2, justifySelf: 'start' }}>{t('scan.reg.submit')}</Button>
      {error && <p className="error" role="alert" style={{ whiteSpace: 'pre-line', gridColumn: '1 / -1' }}>{error}</p>}
    </form>
  );
}
