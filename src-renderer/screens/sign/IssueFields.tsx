import { useEffect, useState } from 'react';
import { Form, Input, InputNumber, Select } from 'antd';
import { DatePicker } from '../../ui/DatePicker';
import type { Client } from '../../api/client';
import type { NextNumberDto } from '@contract/issuing';
import type { BookDto as Book } from '@contract/register';
import { docTypeNames } from '@contract/doc-types';
import { NOTATION_MAX_CHARS, SEAL_MM_MAX, SEAL_MM_MIN } from '@contract/limits';
import { t } from '../../i18n';
import { DATE_FORMAT, dayValue, isoDay } from '../../ui/dates';
import { errorText } from '../../ui/useAsync';

/** What the clerk sets for issuing: the sổ đi (the number comes from it) and the register entry's fields. */
export interface IssueValues {
  book: string | null;
  notation: string;
  typeName: string;
  subject: string;
  recipients: string[];
  /** Ngày ban hành, YYYY-MM-DD. */
  date: string;
  sealMm: number | null;
}

const TYPE_OPTIONS = docTypeNames('di').map((n) => ({ value: n, label: n }));

/** The register's sổ as the sign screen asks them once (each showing) and hands them to its parts. */
export type Books = { data: { books: Book[] } | null; error: string | null };

/** The sổ đi that number a series' documents: copies and secret documents have sổ of their own. */
export function outgoingBooks(books: Books): Book[] {
  return (books.data?.books ?? []).filter((b) => b.direction === 'di' && b.kind === 'normal');
}

/**
 * The number the sổ will give, asked again whenever the sổ, the date's year or the ký hiệu change
 * (`refresh` after an issue); shown before any PIN. The register reserves it only at signing. `kind`:
 * an issue's series or a copy's (the copies sổ numbers copies only).
 */
export function useNextNumber(client: Client, v: Pick<IssueValues, 'book' | 'date' | 'notation'> & { kind?: 'issue' | 'copy' }, refresh: number): { next: NextNumberDto | null; error: string | null } {
  const [state, setState] = useState<{ next: NextNumberDto | null; error: string | null }>({ next: null, error: null });
  const notation = v.notation.trim();
  const kind = v.kind;
  useEffect(() => {
    if (!v.book) return setState({ next: null, error: null });
    let live = true;
    client.call('sign.nextNumber', { book: v.book, date: v.date, ...(notation ? { notation } : {}), ...(kind ? { kind } : {}) }).then(
      (next) => live && setState({ next, error: null }),
      (e: unknown) => live && setState({ next: null, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, v.book, v.date, notation, kind, refresh]);
  return state;
}

/** The issue form: sổ đi, the number it gives, ký hiệu, Loại văn bản, trích yếu, Nơi nhận, Ngày ban hành, seal size. */
export function IssueFields({ books, values, onChange, next, nextError, disabled }: {
  books: Books;
  values: IssueValues;
  onChange: (v: Partial<IssueValues>) => void;
  next: NextNumberDto | null;
  nextError: string | null;
  disabled: boolean;
}) {
  const options = outgoingBooks(books).map((b) => ({ value: b.id, label: b.name }));
  return (
    <Form layout="vertical" component="div" className="issue-fields">
      <Form.Item label={t('sign.book')} htmlFor="sign-book" validateStatus={books.error ? 'error' : undefined} help={books.error ?? undefined}>
        <Select id="sign-book" data-field="book" value={values.book ?? undefined} options={options} disabled={disabled} onChange={(book: string) => onChange({ book })}
          placeholder={t('sign.bookPlaceholder')} />
      </Form.Item>
      <div className="next-number" data-next-number={next?.code ?? ''} aria-live="polite">
        {next ? t('sign.nextNumber', { code: next.code, year: next.year }) : nextError ? <span className="error">{nextError}</span> : t('sign.nextNumberNone')}
      </div>
      <Form.Item label={t('sign.notation')} htmlFor="sign-notation">
        <Input id="sign-notation" name="notation" value={values.notation} maxLength={NOTATION_MAX_CHARS} disabled={disabled} onChange={(e) => onChange({ notation: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('sign.typeName')} htmlFor="sign-type" required>
        <Select id="sign-type" data-field="typeName" showSearch value={values.typeName || undefined} options={TYPE_OPTIONS} disabled={disabled} onChange={(typeName: string) => onChange({ typeName })} />
      </Form.Item>
      <Form.Item label={t('sign.subject')} htmlFor="sign-subject" required>
        <Input.TextArea id="sign-subject" name="subject" value={values.subject} maxLength={500} rows={3} disabled={disabled} onChange={(e) => onChange({ subject: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('sign.recipients')} htmlFor="sign-recipients" extra={t('sign.recipientsHint')}>
        <Select id="sign-recipients" data-field="recipients" mode="tags" value={values.recipients} tokenSeparators={[';']} disabled={disabled} open={false}
          onChange={(recipients: string[]) => onChange({ recipients: recipients.map((r) => r.trim()).filter(Boolean) })} />
      </Form.Item>
      <Form.Item label={t('sign.date')} htmlFor="sign-date">
        <DatePicker id="sign-date" data-field="date" format={DATE_FORMAT} allowClear={false} value={dayValue(values.date)} disabled={disabled}
          onChange={(d) => { const iso = isoDay(d); if (iso) onChange({ date: iso }); }} />
      </Form.Item>
      <Form.Item label={t('sign.sealMm')} htmlFor="sign-seal">
        <InputNumber id="sign-seal" name="sealMm" min={SEAL_MM_MIN} max={SEAL_MM_MAX} value={values.sealMm} disabled={disabled} onChange={(mm) => onChange({ sealMm: mm ?? null })} />
      </Form.Item>
    </Form>
  );
}
