import { useState, type FormEvent } from 'react';
import type { Client } from '../../api/client';
import type { RegisterDocumentDto } from '@contract/register';
import { decree30Number } from '@contract/text';
import { VIETNAM_OFFSET } from '@contract/time';
import { formatDate, t, type MessageKey } from '../../i18n';
import { useAsync } from '../../ui/useAsync';
import { useNav } from '../../shell/nav';

const PAGE_SIZE = 20;

export function priorityKey(p: number): MessageKey {
  return `priority.${Math.max(0, Math.min(4, p))}` as MessageKey;
}

/** The register of one direction: search (accent-blind), year filter, urgency colours, due dates. */
export function RegisterList({ client, book, direction, year, refresh }: { client: Client; book: string; direction: 'den' | 'di'; year: number; refresh: number }) {
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const data = useAsync(
    () =>
      applied
        ? client.call('register.search', { text: applied, direction, year, page, pageSize: PAGE_SIZE })
        : client.call('register.list', { book, year, page, pageSize: PAGE_SIZE }),
    [applied, page, year, book, refresh],
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    setPage(1);
    setApplied(query.trim());
  }

  const pages = data.data ? Math.max(1, Math.ceil(data.data.total / PAGE_SIZE)) : 1;
  return (
    <div className="register-list">
      <form onSubmit={submit} className="register-search">
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('register.search')} aria-label={t('register.search')} name="q" data-shortcut="search" />
        <button type="submit">{t('register.searchButton')}</button>
        {applied && (
          <button type="button" onClick={() => (setQuery(''), setApplied(''), setPage(1))}>
            {t('register.clear')}
          </button>
        )}
      </form>
      {data.error && <p className="error" role="alert">{data.error}</p>}
      {data.data && data.data.items.length === 0 && <p>{t('register.empty')}</p>}
      {data.data && data.data.items.length > 0 && (
        <>
          <p>{t('register.total', { total: data.data.total })}</p>
          <table className="register-table">
            <thead>
              <tr>
                <th>{t('register.colNumber')}</th>
                <th>{t('register.colDate')}</th>
                <th>{t('register.colCode')}</th>
                <th>{t('register.colOrgan')}</th>
                <th>{t('register.colSubject')}</th>
                <th>{t('register.colPriority')}</th>
                <th>{t('register.colDue')}</th>
                <th>{t('register.colState')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data.items.map((d) => (
                <Row key={d.id} d={d} direction={direction} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t('register.prev')}
            </button>
            <span>{t('register.page', { page })}</span>
            <button disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t('register.next')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function Row({ d, direction }: { d: RegisterDocumentDto; direction: 'den' | 'di' }) {
  const nav = useNav();
  const date = direction === 'den' ? d.ArrivalDate : d.IssuedDate;
  return (
    <tr className={`priority-${d.Priority}`} data-doc-id={d.id}>
      <td>
        {/* The number opens the document: its page carries the state and the next step. */}
        <button type="button" className="link-button" onClick={() => nav.openDocument(d.id)}>
          {d.number === null ? t('register.open') : decree30Number(d.number)}
          <span className="visually-hidden">{t('register.openNamed', { name: d.code ?? d.Subject })}</span>
        </button>
      </td>
      <td>{date ? formatDate(`${date}T00:00:00${VIETNAM_OFFSET}`) : ''}</td>
      <td>{d.code ?? ''}</td>
      {/* Văn bản đến: who issued it; văn bản đi: where it goes (the first nơi nhận). */}
      <td>{direction === 'di' ? (d.recipients ?? []).join('; ') : d.OrganName ?? ''}</td>
      <td>{d.Subject}</td>
      <td>{t(priorityKey(d.Priority))}</td>
      <td>{d.DueDate ? formatDate(`${d.DueDate}T00:00:00${VIETNAM_OFFSET}`) : ''}</td>
      <td>{d.stateVi}</td>
    </tr>
  );
}
