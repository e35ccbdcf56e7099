import { Button, Card, Empty, Tag } from 'antd';
import type { z } from 'zod';
import type { alertDto } from '@contract/register';
import type { Client } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { useNav } from '../shell/nav';
import { formatDue } from '../ui/format';
import { useAsync } from '../ui/useAsync';
import { priorityKey } from './register/RegisterList';

type AlertDto = z.infer<typeof alertDto>;

/** The day's groups in the order a clerk handles them: urgency first, then by kind of deadline. */
const GROUPS: Array<{ id: string; title: MessageKey; take: (a: AlertDto) => boolean }> = [
  { id: 'urgent', title: 'today.urgent', take: (a) => a.priority >= 1 },
  { id: 'due_today', title: 'today.dueToday', take: (a) => a.kind === 'due_today' },
  { id: 'overdue', title: 'today.overdue', take: (a) => a.kind === 'overdue' },
  { id: 'to_register', title: 'today.toRegister', take: (a) => a.kind === 'ack_receipt' },
  { id: 'to_issue', title: 'today.toIssue', take: (a) => a.kind === 'issue_deadline' },
  { id: 'other', title: 'today.other', take: () => true },
];

/** Items drawn per group: the count says how many there are; the register screens hold the rest. */
const SHOWN_PER_GROUP = 50;

/** Each alert lands in the first group that takes it, so a document is never counted twice. */
export function groupAlerts(alerts: AlertDto[]): Array<{ id: string; title: MessageKey; items: AlertDto[] }> {
  const out = GROUPS.map((g) => ({ id: g.id, title: g.title, items: [] as AlertDto[] }));
  for (const a of alerts) out[GROUPS.findIndex((g) => g.take(a))]!.items.push(a);
  return out.filter((g) => g.items.length > 0);
}

/** "Hôm nay": the clerk's first screen, every alert naming its document and opening it. */
export function TodayScreen({ client }: { client: Client }) {
  const nav = useNav();
  const alerts = useAsync(() => client.call('register.alerts', {}), []);
  const groups = alerts.data ? groupAlerts(alerts.data.alerts) : [];

  return (
    <section className="today-screen" aria-labelledby="today-heading">
      <h2 id="today-heading">{t('today.heading')}</h2>
      {alerts.error && <p className="error" role="alert">{alerts.error}</p>}
      {!alerts.data && !alerts.error && <p role="status">{t('common.loading')}</p>}
      {alerts.data && groups.length === 0 && <Empty description={t('today.nothing')} />}
      <div className="today-groups">
        {groups.map((g) => (
          <Card key={g.id} className={`today-group today-${g.id}`} data-group={g.id} title={<h3>{t(g.title, { n: g.items.length })}</h3>} size="small">
            <ul className="today-list">
              {g.items.slice(0, SHOWN_PER_GROUP).map((a) => (
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
            {g.items.length > SHOWN_PER_GROUP && <p className="muted">{t('today.more', { n: g.items.length - SHOWN_PER_GROUP })}</p>}
          </Card>
        ))}
      </div>
    </section>
  );
}
