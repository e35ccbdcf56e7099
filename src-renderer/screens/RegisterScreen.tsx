import { useState } from 'react';
import { Button } from 'antd';
import { YEAR_MAX, YEAR_MIN } from '@contract/limits';
import { yearInVietnam } from '@contract/time';
import type { Client } from '../api/client';
import { t } from '../i18n';
import { useAsync } from '../ui/useAsync';
import { useNav } from '../shell/nav';
import { PrintPanel } from './register/PrintPanel';
import { RegisterForm } from './register/RegisterForm';
import { RegisterList } from './register/RegisterList';


function RegisterScreen({ client, direction }: { client: Client; direction: 'den' | 'di' }) {
  const [year, setYear] = useState(yearInVietnam());
  const [refresh, setRefresh] = useState(0);
  const nav = useNav();
  const books = useAsync(() => client.call('register.books', {}), []);
  const alerts = useAsync(() => client.call('register.alerts', {}), [refresh]);
  const book = books.data?.books.find((b) => b.direction === direction && b.kind === 'normal');
  const mine = alerts.data?.alerts.filter((a) => a.direction === direction) ?? [];

  return (
    <section className="register-screen">
      <h2>{t(direction === 'den' ? 'register.headingDen' : 'register.headingDi')}</h2>
      <div className="register-toolbar">
        <label>
          {t('register.year')}
          <input type="number" min={YEAR_MIN} max={YEAR_MAX} value={year} onChange={(e) => setYear(Number(e.target.value) || yearInVietnam())} name="year" />
        </label>
        {/* The deadlines live on "Hôm nay", each naming its document; here only their count, one line. */}
        {mine.length > 0 && (
          <Button type="link" className="alerts-link" onClick={() => nav.go('today')}>
            {t('register.alertsCount', { n: mine.length })}
          </Button>
        )}
      </div>
      {books.error && <p className="error">{books.error}</p>}
      {book && (
        <div className="register-layout">
          <RegisterList client={client} book={book.id} direction={direction} year={year} refresh={refresh} />
          <aside>
            <RegisterForm client={client} book={book.id} direction={direction} onDone={() => (setRefresh((n) => n + 1), nav.changed())} />
          </aside>
        </div>
      )}
      {book && <PrintPanel client={client} direction={direction} year={year} />}
    </section>
  );
}

export const IncomingScreen = ({ client }: { client: Client }) => <RegisterScreen client={client} direction="den" />;
export const OutgoingScreen = ({ client }: { client: Client }) => <RegisterScreen client={client} direction="di" />;
