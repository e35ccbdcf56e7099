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
  const alerts = useAsync(() => client.call('register.alerts', { pageSize: 1 }), [refresh]);
  // Each sổ of this direction has its own series (Quyết định apart, copies, secret): the clerk picks one.
  const books_here = books.data?.books.filter((b) => b.direction === direction) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const book = books_here.find((b) => b.id === chosen) ?? books_here.find((b) => b.kind === 'normal');
  // The exact count of this direction's documents on "Hôm nay" (the alerts list itself is one page).
  const waiting = alerts.data?.counts[direction] ?? 0;

  return (
    <section className="register-screen">
      <h2>{t(direction === 'den' ? 'register.headingDen' : 'register.headingDi')}</h2>
      <div className="register-toolbar">
        {books_here.length > 1 && book && (
          <label>
            {t('register.book')}
            <select name="book" value={book.id} onChange={(e) => setChosen(e.target.value)}>
              {books_here.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
            </select>
          </label>
        )}
        <label>
          {t('register.year')}
          <input type="number" min={YEAR_MIN} max={YEAR_MAX} value={year} onChange={(e) => setYear(Number(e.target.value) || yearInVietnam())} name="year" />
        </label>
        {/* The deadlines live on "Hôm nay", each naming its document; here only their count, one line. */}
        {waiting > 0 && (
          <Button type="link" className="alerts-link" onClick={() => nav.go('today')}>
            {t('register.alertsCount', { n: waiting })}
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
      {book && <PrintPanel client={client} direction={direction} book={book.id} year={year} />}
    </section>
  );
}

export const IncomingScreen = ({ client }: { client: Client }) => <RegisterScreen client={client} direction="den" />;
export const OutgoingScreen = ({ client }: { client: Client }) => <RegisterScreen client={client} direction="di" />;
