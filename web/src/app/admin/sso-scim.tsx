import type {
  MeReply, ScimTokenApproved, ScimTokenIssued, ScimTokenRequestItem, ScimTokenRequestsReply, ScimTokensReply, SsoChangeRequestItem, SsoChangeRequestsReply,
  SsoConnectionView,
} from '@ward/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, day, Failed, Said, type Line } from './kit.tsx';
import { PendingChanges } from './pending-changes.tsx';

/**
 * R-AUTHN-2, R-AUTHN-5, R-UX-1: the tenant's OpenID Connect connection and its SCIM tokens. The
 * client secret is write-only (never rendered back: leave it empty to keep the stored one); the
 * server checks the issuer by discovery before anything is written. A change that keeps the issuer and
 * client applies at once; another issuer or client (or a first connection) and a disconnection are
 * proposed and applied only when a second Owner or Admin approves them here (R-AUTHZ-5). A SCIM token takes two people (R-AUTHZ-5, R-ELEV-1): one Owner or Admin proposes it, the card
 * says who must approve next, and a second one approves it here and is shown the token once, never
 * again; "end the live tokens" rotates. The server asks for a recent passkey verification
 * (policy.manage, R-SESS-3), which the console runs when asked.
 */
function SsoForm() {
  const q = useGet<SsoConnectionView>(['sso-connection'], '/v1/sso/connection');
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [linkBy, setLinkBy] = useState<'email' | 'subject'>('subject');
  const [acr, setAcr] = useState('');
  const [line, setLine] = useState<Line>({ text: '' });
  useEffect(() => {
    if (!q.data?.configured) return;
    setIssuer(q.data.issuer ?? '');
    setClientId(q.data.clientId ?? '');
    setLinkBy(q.data.linkBy ?? 'subject');
    setAcr(q.data.mfaAcr.join(', '));
  }, [q.data]);
  if (q.error) return <Failed error={q.error} queryKey="sso-connection" />;
  if (!q.data) return <p aria-busy="true">Loading the SSO connection…</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void attempt(setLine, async () => {
      const mfaAcr = acr.split(',').map((s) => s.trim()).filter(Boolean);
      const body = { issuer: issuer.trim(), clientId: clientId.trim(), linkBy, mfaAcr, ...(secret ? { clientSecret: secret } : {}) };
      // Another issuer or client (or a first connection), or an added MFA acr value, waits for a second
      // Owner or Admin (the server decides the same).
      const same = q.data?.configured && q.data.issuer?.replace(/\/$/, '') === body.issuer.replace(/\/$/, '') && q.data.clientId === body.clientId
        && mfaAcr.every((v) => q.data?.mfaAcr.includes(v));
      if (!same) {
        const r = await api<SsoChangeRequestItem>('POST', '/v1/sso/connection-requests', body);
        setSecret('');
        return `Proposed: ${r.issuer} answered discovery. Next: a second Owner or Admin approves it here; until then sign-in is unchanged.`;
      }
      const r = await api<SsoConnectionView>('PUT', '/v1/sso/connection', body);
      setSecret('');
      return `Saved: ${r.issuer} answered discovery. Same issuer and client: applies to the next sign-in; no second approval.`;
    }, ['sso-connection', 'sso-requests']);
  };
  const disconnect = () => void attempt(setLine, async () => {
    await api<SsoChangeRequestItem>('POST', '/v1/sso/disconnect-requests', {});
    return 'Disconnection proposed. Next: a second Owner or Admin approves it here; until then sign-in is unchanged.';
  }, ['sso-requests']);
  return (
    <form className="sso" onSubmit={submit} aria-labelledby="sso-title" data-ready="sso">
      <h3 id="sso-title">OpenID Connect</h3>
      <p className="muted">{q.data.configured ? `Connected; last changed ${day(q.data.updatedAt ?? '')}.` : 'Not connected: members sign in with passkeys only.'} Redirect URI to register with the provider: <code>{q.data.redirectUri}</code></p>
      {q.data.configured && q.data.clientAuth ? (
        <p className="muted">
          Token endpoint authentication: <code>{q.data.clientAuth}</code> (set by <code>ward sso configure --client-auth</code>).
          {q.data.clientJwksUri ? <> Ward's public key for the provider: <code>{q.data.clientJwksUri}</code></> : null}
        </p>
      ) : null}
      <div className="row">
        <div><label htmlFor="sso-issuer">Issuer URL</label><input id="sso-issuer" type="url" required maxLength={2000} value={issuer} onChange={(e) => setIssuer(e.target.value)} /></div>
        <div><label htmlFor="sso-client">Client id</label><input id="sso-client" required maxLength={500} value={clientId} onChange={(e) => setClientId(e.target.value)} /></div>
        <div>
          <label htmlFor="sso-secret">Client secret (write-only)</label>
          <input id="sso-secret" type="password" autoComplete="new-password" maxLength={2000} value={secret} onChange={(e) => setSecret(e.target.value)}
            placeholder={q.data.configured ? 'unchanged' : ''} required={!q.data.configured} />
        </div>
      </div>
      <div className="row">
        <div>
          <label htmlFor="sso-link">Link people by</label>
          <select id="sso-link" value={linkBy} onChange={(e) => setLinkBy(e.target.value as typeof linkBy)}>
            <option value="subject">Subject (sub)</option>
            <option value="email" disabled={q.data.linkBy !== 'email'}>Verified e-mail address{q.data.linkBy !== 'email' ? ' (the operator sets it: ward sso configure --link-by email)' : ''}</option>
          </select>
        </div>
        <div><label htmlFor="sso-acr">ACR values that prove MFA (comma-separated)</label><input id="sso-acr" maxLength={500} value={acr} onChange={(e) => setAcr(e.target.value)} /></div>
        <button type="submit">Save connection</button>
        {q.data.configured && <button type="button" className="secondary" onClick={disconnect}>Propose disconnecting</button>}
      </div>
      <Said line={line} />
    </form>
  );
}

/** Open SSO proposals: another Owner or Admin approves or refuses each; its proposer may withdraw it. */
function SsoRequests({ me }: { me: MeReply }) {
  const q = useGet<SsoChangeRequestsReply>(['sso-requests'], '/v1/sso/connection-requests');
  const [line, setLine] = useState<Line>({ text: '' });
  const what = (r: SsoChangeRequestItem) => (r.kind === 'disconnect'
    ? `Disconnecting SSO from ${r.replacesIssuer ?? 'its issuer'} (members then sign in with passkeys only)`
    : `SSO through ${r.issuer} as client ${r.clientId}${r.replacesIssuer ? ` in place of ${r.replacesIssuer} as ${r.replacesClientId}` : ' (a first connection)'}`);
  const act = (r: SsoChangeRequestItem, verb: 'approve' | 'refuse') => void attempt(setLine, async () => {
    const d = await api<SsoChangeRequestItem>('POST', `/v1/sso/connection-requests/${r.id}/${verb}`, {});
    if (d.state === 'approved') return `Approved: ${what(r)}. Applies to the next sign-in.`;
    return d.state === 'cancelled' ? 'Withdrawn: nothing changed.' : 'Refused: nothing changed.';
  }, ['sso-requests', 'sso-connection']);
  if (q.error) return <Failed error={q.error} queryKey="sso-requests" />;
  if (!q.data) return <p aria-busy="true">Loading SSO proposals…</p>;
  return (
    <div data-ready="sso-requests">
      <PendingChanges me={me} requests={q.data.requests} mark={(r) => ({ 'data-sso-request': r.kind })} what={what}
        approve={(r) => act(r, 'approve')} approveLabel={(r) => (r.kind === 'disconnect' ? 'Approve the disconnection' : 'Approve the connection')}
        refuse={(r) => act(r, 'refuse')} refuseLabel={(_r, mine) => (mine ? 'Withdraw' : 'Refuse')} />
      <Said line={line} />
    </div>
  );
}

/** Open SCIM token proposals with who approves next; Approve (a second person) shows the token once. */
function ScimRequests({ me, onIssued }: { me: MeReply; onIssued: (t: ScimTokenIssued) => void }) {
  const q = useGet<ScimTokenRequestsReply>(['scim-token-requests'], '/v1/scim/token-requests');
  const [line, setLine] = useState<Line>({ text: '' });
  const act = (r: ScimTokenRequestItem, verb: 'approve' | 'cancel') => void attempt(setLine, async () => {
    if (verb === 'cancel') {
      await api<ScimTokenRequestItem>('POST', `/v1/scim/token-requests/${r.id}/cancel`, {});
      return 'Cancelled: no token was made.';
    }
    const a = await api<ScimTokenApproved>('POST', `/v1/scim/token-requests/${r.id}/approve`, {});
    onIssued(a.issued);
    return `Approved and issued; valid until ${day(a.issued.expiresAt)}${a.issued.revoked ? `; ${a.issued.revoked} earlier token${a.issued.revoked === 1 ? '' : 's'} ended` : ''}. Copy it now: it is not shown again.`;
  }, ['scim-token-requests', 'scim-tokens']);
  if (q.error) return <Failed error={q.error} queryKey="scim-token-requests" />;
  if (!q.data) return <p aria-busy="true">Loading SCIM token proposals…</p>;
  return (
    <div data-ready="scim-token-requests">
      <PendingChanges me={me} requests={q.data.requests} mark={(r) => ({ 'data-scim-request': r.id })}
        what={(r) => `A SCIM token for ${r.days} days${r.revokeOld ? ', ending the live ones' : ''}`}
        approve={(r) => act(r, 'approve')} approveLabel={() => 'Approve and show the token'}
        refuse={(r) => act(r, 'cancel')} refuseLabel={() => 'Cancel'} />
      <Said line={line} />
    </div>
  );
}

function ScimTokens({ me }: { me: MeReply }) {
  const q = useGet<ScimTokensReply>(['scim-tokens'], '/v1/scim/tokens');
  const [revokeOld, setRevokeOld] = useState(true);
  const [shown, setShown] = useState<ScimTokenIssued | null>(null);
  const [line, setLine] = useState<Line>({ text: '' });
  const propose = () => void attempt(setLine, async () => {
    await api<ScimTokenRequestItem>('POST', '/v1/scim/token-requests', { revokeOld });
    return 'Proposed. Next: a second Owner or Admin approves it here and is shown the token once; until then nothing is issued.';
  }, ['scim-token-requests']);
  if (q.error) return <Failed error={q.error} queryKey="scim-tokens" />;
  if (!q.data) return <p aria-busy="true">Loading SCIM tokens…</p>;
  const live = q.data.tokens.filter((t) => !t.revokedAt);
  return (
    <div className="scim" data-ready="scim">
      <h3>SCIM provisioning</h3>
      <p className="muted">Base URL for the IdP: <code>{q.data.baseUrl}</code>. {q.data.clientId ? `SCIM client ${q.data.status}; ${live.length} live token${live.length === 1 ? '' : 's'}.` : 'No SCIM client yet: the first token registers it.'}</p>
      {q.data.tokens.length > 0 && (
        <table className="scim-tokens">
          <caption className="sr-only">SCIM tokens</caption>
          <thead><tr><th scope="col">Issued</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
          <tbody>{q.data.tokens.map((t) => (
            <tr key={t.id}><td>{day(t.createdAt)}</td><td>{day(t.expiresAt)}</td><td>{t.lastUsedAt ? day(t.lastUsedAt) : 'never'}</td><td>{t.revokedAt ? `ended ${day(t.revokedAt)}` : 'live'}</td></tr>
          ))}</tbody>
        </table>
      )}
      <ScimRequests me={me} onIssued={setShown} />
      <div className="row-inline">
        <input id="scim-revoke" type="checkbox" checked={revokeOld} onChange={(e) => setRevokeOld(e.target.checked)} />
        <label htmlFor="scim-revoke">End the live tokens (after the IdP has the new one)</label>{' '}
        <button type="button" onClick={propose}>Propose a SCIM token</button>
      </div>
      {shown && (
        <div className="notice ok" data-token-shown>
          <label htmlFor="scim-token-once">New SCIM token (shown once)</label>
          <input id="scim-token-once" readOnly value={shown.token} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="secondary" onClick={() => setShown(null)}>I have copied it</button>
        </div>
      )}
      <Said line={line} />
    </div>
  );
}

export function SsoScim({ me }: { me: MeReply }) {
  return <><SsoForm /><SsoRequests me={me} /><ScimTokens me={me} /></>;
}
