import type { MeReply, PasskeyListReply, SsoLogoutReply, SsoStartReply } from '@ward/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, stepUp } from '../api.ts';
import { queryClient, signOut } from './data.ts';
import { useStatus } from './status.tsx';

async function ssoRedirect(path: string): Promise<void> {
  const { authorizationUrl } = await api<SsoStartReply>('POST', path, {});
  location.assign(authorizationUrl);
}

/** Ends this session (and the IdP's for an SSO session: RP-initiated logout), then the sign-in page. */
export function endSession(me: MeReply): Promise<void> {
  return signOut(async () => {
    if (me.session.authMethod === 'oidc') {
      const { endSessionUrl } = await api<SsoLogoutReply>('POST', '/v1/auth/sso/logout', {});
      return endSessionUrl ?? '/sign-in';
    }
    await api('POST', '/v1/auth/logout', {});
    return '/sign-in';
  });
}

/** The signed-in home: who you are, your passkeys, re-verification, signing out everywhere else and SSO linking (R-AUTHN-1, R-SESS-1, R-SESS-3); Sign out is in the bar of every screen. */
export function Account({ me }: { me: MeReply }) {
  const status = useStatus();
  const passkeys = useQuery({ queryKey: ['passkeys'], queryFn: () => api<PasskeyListReply>('GET', '/v1/me/passkeys') });
  const run = (action: () => Promise<void>) => () => {
    status.say('');
    action().catch(status.fail);
  };
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['me'] }), queryClient.invalidateQueries({ queryKey: ['passkeys'] })]);
  const list = passkeys.data?.passkeys ?? [];
  // R-SESS-1: a session feared stolen ends here; this one goes on (a step-up within 5 minutes first).
  const signOutOthers = async () => {
    const { revokedSessions: n } = await api<{ revokedSessions: number }>('POST', '/v1/me/sessions/revoke-others', {});
    status.say(`${n === 0 ? 'No other session was open' : `${n} other session${n === 1 ? '' : 's'} ended`}; this one goes on.`);
  };
  const verify = async () => {
    // An SSO member without a passkey steps up at the IdP: a fresh login with MFA (R-SESS-3).
    if (me.session.authMethod === 'oidc' && list.length === 0) return ssoRedirect('/v1/auth/sso/step-up/start');
    await stepUp();
    await refresh();
    status.say('Verified.');
  };
  return (
    <section id="me" hidden={!passkeys.isSuccess} aria-labelledby="who">
      <h1 id="who">Signed in as {me.email} ({me.tenant.name})</h1>
      <h2>Your passkeys</h2>
      <ul id="passkeys">
        {list.map((p) => (
          <li key={p.id}>
            {p.name}, created {p.createdAt.slice(0, 10)}{' '}
            <button type="button" onClick={run(async () => {
              await api('DELETE', `/v1/me/passkeys/${p.id}`);
              await refresh();
            })}>Revoke {p.name}</button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={run(verify)}>Verify it's you</button>{' '}
        <button type="button" className="quiet" onClick={run(signOutOthers)}>End my other sessions</button>{' '}
        <button type="button" hidden={me.session.authMethod !== 'passkey'} onClick={run(() => ssoRedirect('/v1/auth/sso/link/start'))}>Link single sign-on</button>
      </div>
    </section>
  );
}
