import { useEffect, useState } from 'react';
import type { Client } from './api/client';
import { screens } from './screens';
import { t } from './i18n';
import { useAsync } from './ui/useAsync';

export function App({ client }: { client: Client }) {
  const [active, setActive] = useState(screens[0]!.id);
  const [notice, setNotice] = useState<string | null>(null);
  const info = useAsync(() => client.call('app.info', {}), []);

  useEffect(
    () =>
      client.on('token.changed', (p) => {
        setNotice(t(p.kind === 'inserted' ? 'event.inserted' : 'event.removed', { label: p.label ?? '' }));
      }),
    [client],
  );

  const Screen = screens.find((s) => s.id === active)!.component;
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        {info.data && <span className="agency">{t('app.agency', { name: info.data.agency.name })}</span>}
        {info.data?.demo && <span className="demo-badge">{t('app.demo')}</span>}
      </header>
      <nav className="app-nav" aria-label={t('app.title')}>
        {screens.map((s) => (
          <button key={s.id} className={s.id === active ? 'active' : ''} onClick={() => setActive(s.id)}>
            {t(s.title)}
          </button>
        ))}
      </nav>
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      <main>
        <Screen client={client} />
      </main>
    </div>
  );
}
