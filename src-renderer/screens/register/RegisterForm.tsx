import { useState, type FormEvent } from 'react';
import type { Client } from '../../api/client';
import { NOTATION_MAX_CHARS } from '@contract/limits';
import { decree30Number } from '@contract/text';
import { dateInVietnam } from '@contract/time';
import { t, type MessageKey } from '../../i18n';
import { errorText } from '../../ui/useAsync';
import { priorityKey } from './RegisterList';

type Field = 'TypeName' | 'CodeNumber' | 'CodeNotation' | 'IssuedDate' | 'OrganName' | 'Subject' | 'ArrivalDate' | 'DueDate' | 'ToPlaces';

const FIELDS: Record<'den' | 'di', Field[]> = {
  den: ['TypeName', 'CodeNumber', 'CodeNotation', 'IssuedDate', 'OrganName', 'Subject', 'ArrivalDate', 'DueDate'],
  di: ['TypeName', 'CodeNotation', 'IssuedDate', 'Subject', 'ToPlaces', 'DueDate'],
};
const REQUIRED: Record<'den' | 'di', Field[]> = { den: ['TypeName', 'OrganName', 'Subject'], di: ['TypeName', 'Subject'] };
const DATE_FIELDS = new Set<Field>(['IssuedDate', 'ArrivalDate', 'DueDate']);
/** Phụ lục VI lengths, checked here for the clerk's comfort; the register core enforces them. */
const MAX: Partial<Record<Field, number>> = { TypeName: 100, CodeNumber: 11, CodeNotation: NOTATION_MAX_CHARS, OrganName: 200, Subject: 500, ToPlaces: 1000 };


export function RegisterForm({ client, book, direction, onDone }: { client: Client; book: string; direction: 'den' | 'di'; onDone: () => void }) {
  const [values, setValues] = useState<Partial<Record<Field, string>>>(direction === 'den' ? { ArrivalDate: dateInVietnam() } : { IssuedDate: dateInVietnam() });
  const [priority, setPriority] = useState(0);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'warning'; text: string }[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing = REQUIRED[direction].filter((f) => !values[f]?.trim());
    if (missing.length) {
      setMessage(missing.map((f) => ({ kind: 'error' as const, text: t('register.form.required', { field: t(`register.form.${f}` as MessageKey) }) })));
      return;
    }
    const record: Record<string, string | number> = { book, Priority: priority };
    for (const f of FIELDS[direction]) if (values[f]?.trim()) record[f] = values[f]!.trim();
    try {
      const r = await client.call('register.add', { record });
      const notes: { kind: 'ok' | 'warning'; text: string }[] = [{ kind: 'ok', text: t('register.form.ok', { number: r.document.number === null ? '' : decree30Number(r.document.number) }) }];
      for (const d of r.duplicates) notes.push({ kind: 'warning', text: t('register.form.duplicate', { code: String(d.id) }) });
      setMessage(notes);
      setValues(direction === 'den' ? { ArrivalDate: dateInVietnam() } : { IssuedDate: dateInVietnam() });
      setPriority(0);
      onDone();
    } catch (err) {
      setMessage([{ kind: 'error', text: errorText(err) }]);
    }
  }

  return (
    <form className="register-form" onSubmit={submit} aria-label={t('register.new')}>
      <h3>{t('register.new')}</h3>
      {FIELDS[direction].map((f) => (
        <label key={f}>
          {t(`register.form.${f}` as MessageKey)}
          {REQUIRED[direction].includes(f) && <span className="required">*</span>}
          {f === 'Subject' || f === 'ToPlaces' ? (
            <textarea name={f} maxLength={MAX[f]} value={values[f] ?? ''} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />
          ) : (
            <input
              name={f}
              type={DATE_FIELDS.has(f) ? 'date' : 'text'}
              maxLength={MAX[f]}
              value={values[f] ?? ''}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            />
          )}
        </label>
      ))}
      <label>
        {t('register.form.Priority')}
        <select name="Priority" value={priority} onChange={(e) => setPriority(Number(e.target.value))}>
          {[0, 1, 2, 3, 4].map((p) => (
            <option key={p} value={p}>
              {t(priorityKey(p))}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t('register.form.submit')}</button>
      {message.map((m, i) => (
        <p key={i} className={m.kind === 'ok' ? 'success' : m.kind} role={m.kind === 'error' ? 'alert' : 'status'}>
          {m.text}
        </p>
      ))}
    </form>
  );
}
