import type { MeReply } from '@ward/contracts';

/**
 * R-UX-1, R-SESS-3, R-SESS-4: who is signed in and how, on every screen. Each value is in an element
 * with `data-fact="<label>"`: the tests and tools read these labels, so they are an interface.
 */
export function sessionFacts(me: MeReply): Array<[string, string]> {
  return [
    ['Member', me.memberId],
    ['Tenant', me.tenant.name],
    ['Account', me.status],
    ['Roles', me.roles.join(', ') || 'none'],
    ['PHI scopes', me.scopes.join(', ') || 'none'],
    ['Signed in with', me.session.authMethod],
    ['MFA', me.session.mfa ? 'yes' : 'no'],
    ['Last verified', me.session.lastVerifiedAt],
    ['Session ends', me.session.expiresAt],
    ['Device', me.device ? `${me.device.id} (${me.device.posture})` : 'none'],
  ];
}

export function SessionPanel({ me }: { me: MeReply }) {
  return (
    <aside className="session" aria-labelledby="session-title">
      <h2 id="session-title">Session</h2>
      <dl id="facts">
        {sessionFacts(me).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-fact={label}>{value}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
