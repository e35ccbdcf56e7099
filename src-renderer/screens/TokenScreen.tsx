import { useId, useState, type FormEvent } from 'react';
import type { Client } from '../api/client';
import type { TokenDto } from '@contract/token';
import { formatDate, t } from '../i18n';
import { errorText, useAsync } from '../ui/useAsync';

export function TokenScreen({ client }: { client: Client }) {
  const tokens = useAsync(() => client.call('token.list', {}), []);
  return (
    <section>
      <h2>{t('token.heading')}</h2>
      <button onClick={tokens.reload}>{t('token.refresh')}</button>
      {tokens.error && <p className="error" role="alert">{tokens.error}</p>}
      {!tokens.data && !tokens.error && <p>{t('common.loading')}</p>}
      {tokens.data?.tokens.length === 0 && <p>{t('token.none')}</p>}
      {tokens.data?.tokens.map((tok) => <TokenCard key={tok.ref} token={tok} client={client} onChange={tokens.reload} />)}
    </section>
  );
}

function TokenCard({ token, client, onChange }: { token: TokenDto; client: Client; onChange: () => void }) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const certs = useAsync(() => client.call('token.certificates', { token: token.ref }), [token.ref, token.loggedIn]);
  const triesId = useId();

  async function login(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await client.call('token.login', { token: token.ref, pin });
      setMessage({ kind: 'ok', text: t('token.loginOk') });
      onChange();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      // The PIN leaves the page's state whatever happened: never kept for a retry.
      setPin('');
      setBusy(false);
      // A wrong PIN changes the token's counters: the tries-left line must show it at once.
      onChange();
    }
  }

  async function logout() {
    try {
      await client.call('token.logout', { token: token.ref });
      setMessage({ kind: 'ok', text: t('token.logoutOk') });
      onChange();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  }

  return (
    <article className="token-card" data-token-label={token.label}>
      <h3>{token.label}</h3>
      <dl>
        <dt>{t('token.serial')}</dt>
        <dd>{token.serial}</dd>
        <dt>{t('token.manufacturer')}</dt>
        <dd>{token.manufacturer}</dd>
      </dl>
      <p className={token.loggedIn ? 'status ok' : 'status'}>{t(token.loggedIn ? 'token.loggedIn' : 'token.notLoggedIn')}</p>
      {token.loggedIn ? (
        <button onClick={logout}>{t('token.logout')}</button>
      ) : (
        <form onSubmit={login} className="pin-form">
          <label>
            {t('token.pin')}
            <input type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} name="pin" aria-describedby={triesId} disabled={token.pinLocked} />
          </label>
          <button type="submit" disabled={busy || pin.length < 4 || token.pinLocked} data-shortcut="submit">
            {t('token.login')}
          </button>
          <PinTries id={triesId} token={token} />
        </form>
      )}
      {message && (
        <p className={message.kind === 'ok' ? 'success' : 'error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <h4>{t('token.certificates')}</h4>
      {certs.error && <p className="error">{certs.error}</p>}
      {certs.data?.certificates.length === 0 && <p>{t('token.certsNone')}</p>}
      {certs.data && certs.data.certificates.length > 0 && (
        <table className="certs">
          <thead>
            <tr>
              <th>{t('cert.subject')}</th>
              <th>{t('cert.organisation')}</th>
              <th>{t('cert.title')}</th>
              <th>{t('cert.issuer')}</th>
              <th>{t('cert.validity')}</th>
              <th>{t('cert.key')}</th>
            </tr>
          </thead>
          <tbody>
            {certs.data.certificates.map((c) => (
              <tr key={`${c.keyId}-${c.serial}`} className={c.outOfValidity ? 'invalid' : ''} data-cert-cn={c.commonName}>
                <td>{c.commonName}</td>
                <td>{c.organisation ?? ''}</td>
                <td>{c.title ?? ''}</td>
                <td>{c.issuer}</td>
                <td>
                  {formatDate(c.notBefore)} – {formatDate(c.notAfter)}
                  {c.outOfValidity && <span className="badge">{t('cert.outOfValidity')}</span>}
                </td>
                <td>{t(c.privateKey === 'present' ? 'cert.keyPresent' : c.privateKey === 'absent' ? 'cert.keyAbsent' : 'cert.keyUnknown')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

/**
 * What the token says about the PIN tries, beside the PIN field before the first try. PKCS#11 gives
 * no number, only three flags: none set, some wrong tries recorded, the next wrong PIN locks it.
 */
function PinTries({ id, token }: { id: string; token: TokenDto }) {
  const [cls, key] = token.pinLocked
    ? ['error', 'token.locked' as const]
    : token.pinFinalTry
      ? ['warning', 'token.finalTry' as const]
      : token.pinCountLow
        ? ['warning', 'token.countLow' as const]
        : ['muted', 'token.triesOk' as const];
  return (
    <p id={id} className={`pin-tries ${cls}`} aria-live="polite" data-pin-state={key}>
      {t(key)}
    </p>
  );
}
