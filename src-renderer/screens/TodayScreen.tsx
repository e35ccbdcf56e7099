import { useState } from 'react';
import { Button, Card, Empty, Pagination, Tag } from 'antd';
import type { AlertDto, TODAY_GROUPS } from '@contract/register';
import type { Client } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { useNav } from '../shell/nav';
import { formatDue } from '../ui/format';
import { useAsync } from '../ui/useAsync';
import { priorityKey } from './register/RegisterList';

type GroupId = (typeof TODAY_GROUPS)[number];

/** Each group's heading; the groups and their order come from the register (contract TODAY_GROUPS). */
const TITLES: Record<GroupId, MessageKey> = {
  urgent: 'today.urgent',
  due_today: 'today.dueToday',
  overdue: 'today.overdue',
  to_register: 'today.toRegister',
  to_issue: 'today.toIssue',
};

/** Documents drawn per page of a group: the count on its heading is exact, the pages reach every one. */
const PAGE_SIZE = 20;

/** "Hôm nay": the clerk's first screen, every alert naming its document and opening it. */
export function TodayScreen({ client }: { client: Client }) {
  const alerts = useAsync(() => client.call('register.alerts', { pageSize: PAGE_SIZE }), []);
  const groups = alerts.data?.groups ?? [];

  return (
    <section className="today-screen" aria-labelledby="today-heading">
      <h2 id="today-heading">{t('today.heading')}</h2>
      {alerts.error && <p className="error" role="alert">{alerts.error}</p>}
      {!alerts.data && !alerts.error && <p role="status">{t('common.loading')}</p>}
      {alerts.data && groups.length === 0 && <Empty description={t('today.nothing')} />}
      <div className="today-groups">
        {groups.map((g) => (
          <TodayGroup key={g.id} client={client} id={g.id} total={g.total} first={g.alerts} />
        ))}
      </div>
    </section>
  );
}

/** One group: its first page came with the counts; later pages are asked for when the clerk turns to them. */
function TodayGroup({ client, id, total, first }: { client: Client; id: GroupId; total: number; first: AlertDto[] }) {
  const nav = useNav();
  const [page, setPage] = useState(1);
  const more = useAsync(() => (page === 1 ? Promise.resolve(null) : client.call('register.alerts', { group: id, page, pageSize: PAGE_SIZE })), [page]);
  const items = page === 1 ? first : (more.data?.groups[0]?.alerts ?? []);
  const title = t(TITLES[id], { n: total });
  return (
    <Card className={`today-group today-${id}`} data-group={id} data-total={total} title={<h3>{title}</h3>} size="small">
      {more.error && <p className="error" role="alert">{more.error}</p>}
      <ul className="today-list">
        {items.map((a) => (
          <li key={`${a.kind}-${a.docId}`} data-doc-id={a.docId} className={a.overdue ? 'overdue' : ''}>
            <div className="today-doc">
              <Tag className={`priority-tag priority-${a.priority}`}>{t(priorityKey(a.priority))}</Tag>
              <Tag>{t(a.direction === 'den' ? 'today.den' : 'today.di')}</Tag>
              <strong>{a.code ?? t('today.noCode')}</strong>
              <span className="today-subject">{a.subject}</span>
            </div>
            <div className="today-why">
              <span>{a.messageVi}</span>
              <span className={a.overdue ? 'error' : 'muted'}>{t(a.overdue ? 'today.wasDue' : 'today.due', { at: formatDue(a.dueAt) })}</span>
            </div>
            <Button size="small" onClick={() => nav.openDocument(a.docId)} aria-label={t('today.openNamed', { name: a.code ?? a.subject })}>
              {t('today.open')}
            </Button>
          </li>
        ))}
      </ul>
      {total > PAGE_SIZE && (
        <nav aria-label={t('today.pages', { name: title })}>
          <Pagination size="small" simple current={page} pageSize={PAGE_SIZE} total={total} showSizeChanger={false} onChange={setPage} />
        </nav>
      )}
    </Card>
  );
}
