import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Tag } from 'antd';
import type { Client } from './api/client';
import { screens, type CountOf } from './screens';
import { t } from './i18n';
import { useAsync } from './ui/useAsync';
import { NavContext, ScreenShown, type Nav, type NavState } from './shell/nav';
import { useShortcuts } from './shell/useShortcuts';

const COUNTS_REFRESH_MS = 60_000;

export function App({ client }: { client: Client }) {
  const [state, setState] = useState<NavState>({ screen: screens[0]!.id });
  // Screens once opened stay mounted (hidden): the open document and its form survive tab switches;
  // the count of showings makes their loads fresh each time they come back.
  const [shown, setShown] = useState<Record<string, number>>(() => ({ [screens[0]!.id]: 1 }));
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const info = useAsync(() => client.call('app.info', {}), []);
  const alerts = useAsync(() => client.call('register.alerts', { pageSize: 1 }), [tick]);

  const nav: Nav = useMemo(
    () => ({
      state,
      go: (screen) => {
        setState({ screen });
        setTick((n) => n + 1);
        setShown((c) => ({ ...c, [screen]: (c[screen] ?? 0) + 1 }));
      },
      openDocument: (docId) => {
        setState({ screen: 'document', docId });
        setShown((c) => ({ ...c, document: (c.document ?? 0) + 1 }));
      },
      changed: () => setTick((n) => n + 1),
    }),
    [state],
  );
  useShortcuts(nav);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), COUNTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(
    () =>
      client.on('token.changed', (p) => {
        setNotice(t(p.kind === 'inserted' ? 'event.inserted' : 'event.removed', { label: p.label ?? '' }));
      }),
    [client],
  );

  const count = useCallback(
    (of: CountOf | undefined) => {
      // Exact counts kept by the register (not the length of a page of alerts).
      const counts = alerts.data?.counts;
      if (!of || !counts) return 0;
      return counts[of === 'all' ? 'total' : of];
    },
    [alerts.data],
  );

  return (
    <NavContext.Provider value={nav}>
      <div className="app">
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <header className="app-header">
          <h1>{t('app.title')}</h1>
          {info.data && <span className="agency">{t('app.agency', { name: info.data.agency.name })}</span>}
          {info.data?.demo && <Tag className="demo-badge">{t('app.demo')}</Tag>}
        </header>
        <div className="app-body">
          <nav className="app-nav" aria-label={t('app.navigation')}>
            <ul>
              {screens
                .filter((s) => !s.hidden)
                .map((s) => {
                  const current = s.id === state.screen;
                  const n = count(s.count);
                  return (
                    <li key={s.id}>
                      <button
                        type="button"
                        className={current ? 'nav-item active' : 'nav-item'}
                        aria-current={current ? 'page' : undefined}
                        aria-keyshortcuts={`Alt+${s.key.toUpperCase()}`}
                        data-screen={s.id}
                        onClick={() => nav.go(s.id)}
                      >
                        <span>{t(s.title)}</span>
                        {n > 0 && <Badge count={n} overflowCount={999} className="nav-count" title={t('nav.countTitle', { n })} />}
                      </button>
                    </li>
                  );
                })}
            </ul>
            <p className="nav-hint">{t('nav.shortcutsHint', { screens: screens.filter((s) => !s.hidden).map((s) => `Alt+${s.key.toUpperCase()} ${t(s.title)}`).join(', ') })}</p>
          </nav>
          <main id="main" className="app-main" tabIndex={-1}>
            {notice && <Alert className="notice" type="info" role="status" title={notice} closable={{ onClose: () => setNotice(null) }} />}
            {screens
              .filter((s) => shown[s.id])
              .map((s) => (
                <div key={s.id} hidden={s.id !== state.screen} data-screen-panel={s.id}>
                  <ScreenShown.Provider value={shown[s.id]!}>
                    <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
                      <s.component client={client} />
                    </Suspense>
                  </ScreenShown.Provider>
                </div>
              ))}
          </main>
        </div>
      </div>
    </NavContext.Provider>
  );
}
