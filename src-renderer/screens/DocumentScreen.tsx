import { useState } from 'react';
import { Descriptions, Tag } from 'antd';
import type { RegisterDocumentDetailDto, RegisterDocumentDto } from '@contract/register';
import { decree30Number } from '@contract/text';
import type { Client } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { useNav } from '../shell/nav';
import { showDay } from '../ui/dates';
import { formatDateTime } from '../ui/format';
import { useAsync } from '../ui/useAsync';
import { DocumentFile } from './register/DocumentFile';
import { HandlingPanel } from './register/HandlingPanel';
import { priorityKey } from './register/RegisterList';

/** One document on one page: its PDF and verdict, its register entry, the next step, its history. */
export function DocumentScreen({ client }: { client: Client }) {
  const nav = useNav();
  const id = nav.state.docId;
  const [tick, setTick] = useState(0);
  const doc = useAsync(() => (id ? client.call('register.get', { id }) : Promise.resolve(null)), [id, tick]);
  if (!id) return <p>{t('doc.none')}</p>;
  const d = doc.data?.document.id === id ? doc.data.document : null;
  const detail = d ? doc.data!.detail : null;
  const changed = () => (setTick((n) => n + 1), nav.changed());
  return (
    <section className="document-screen" aria-labelledby="doc-heading">
      <h2 id="doc-heading">{d ? t('doc.heading', { name: d.code ?? d.Subject }) : t('common.loading')}</h2>
      {doc.error && <p className="error" role="alert">{doc.error}</p>}
      {d && detail && (
        <div className="document-layout">
          <DocumentFile client={client} docId={d.id} detail={detail} onAttached={changed} />
          <div className="document-side">
            <Meta d={d} detail={detail} />
            <HandlingPanel client={client} d={d} detail={detail} onChanged={changed} />
            <History detail={detail} />
          </div>
        </div>
      )}
    </section>
  );
}

function Meta({ d, detail }: { d: RegisterDocumentDto; detail: RegisterDocumentDetailDto }) {
  const incoming = d.direction === 'den';
  return (
    // The details sit in the page's narrower column: one pair a row until the window is wide enough for two.
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 1, xxl: 2 }} className="doc-meta">
      <Descriptions.Item label={t('register.colState')}>
        <Tag className="state-tag" data-state={d.state}>{d.stateVi}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('register.colPriority')}>
        <Tag className={`priority-tag priority-${d.Priority}`}>{t(priorityKey(d.Priority))}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t(incoming ? 'doc.arrivalNumber' : 'register.colNumber')}>{d.number === null ? '' : decree30Number(d.number)}</Descriptions.Item>
      <Descriptions.Item label={t('register.colCode')}>{d.code ?? ''}</Descriptions.Item>
      <Descriptions.Item label={t('register.form.TypeName')}>{d.TypeName}</Descriptions.Item>
      <Descriptions.Item label={t('register.form.OrganName')}>{d.OrganName ?? ''}</Descriptions.Item>
      <Descriptions.Item label={t('register.form.IssuedDate')}>{showDay(d.IssuedDate)}</Descriptions.Item>
      {incoming && <Descriptions.Item label={t('register.form.ArrivalDate')}>{showDay(d.ArrivalDate)}</Descriptions.Item>}
      <Descriptions.Item label={t('doc.due')}>{showDay(d.DueDate)}</Descriptions.Item>
      {incoming && <Descriptions.Item label={t('doc.handedTo')}>{detail.ToPlaces ?? ''}</Descriptions.Item>}
      {incoming && <Descriptions.Item label={t('doc.handedDate')}>{showDay(detail.handedAt?.slice(0, 10))}</Descriptions.Item>}
      {!incoming && detail.recipients.length > 0 && (
        <Descriptions.Item label={t('doc.recipients')} span="filled">{detail.recipients.map((r) => r.OrganName).join('; ')}</Descriptions.Item>
      )}
      <Descriptions.Item label={t('register.form.Subject')} span="filled">{d.Subject}</Descriptions.Item>
    </Descriptions>
  );
}

const ROLE: Record<string, MessageKey> = { chu_tri: 'doc.roleLead', phoi_hop: 'doc.rolePartner', de_biet: 'doc.roleInfo' };

/** Every step with who, when and why, and the assignments as the leader gave them. */
function History({ detail }: { detail: RegisterDocumentDetailDto }) {
  return (
    <div className="doc-history">
      {detail.assignments.length > 0 && (
        <>
          <h3>{t('doc.assignments')}</h3>
          <ul className="assignment-list">
            {detail.assignments.map((a) => (
              <li key={a.id}>
                <strong>{t(ROLE[a.role]!)}:</strong> {[a.unit, a.person].filter(Boolean).join(' — ')}
                {a.opinion && <span className="muted"> — {a.opinion}</span>}
                {a.dueDate && <span> ({t('doc.dueShort', { day: showDay(a.dueDate) })})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('doc.history')}</h3>
      <table className="plain-table history-table">
        <thead>
          <tr><th>{t('doc.historyAt')}</th><th>{t('doc.historyStep')}</th><th>{t('doc.historyActor')}</th><th>{t('doc.historyNote')}</th></tr>
        </thead>
        <tbody>
          {detail.transitions.map((s) => (
            <tr key={s.id}>
              <td>{formatDateTime(s.at)}</td>
              <td>{s.from === s.to ? t('doc.amended', { state: s.toVi }) : s.toVi}</td>
              <td>{s.actor}</td>
              <td>{s.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
