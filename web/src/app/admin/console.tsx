import type { MeReply, MemberItem, MembersReply } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { describeError } from '../status.tsx';
import { ElevationQueue } from '../supervisor/elevation-queue.tsx';
import { MemberAccess } from './access.tsx';
import { Devices } from './devices.tsx';
import { PhiGrants, RoleGrants } from './grants.tsx';
import { attempt, managesAccountOf, Said, type Line } from './kit.tsx';
import './admin.css';
import { ReviewCampaigns } from './review-campaigns.tsx';
import { Retention } from './retention.tsx';
import { AiVendors } from './ai-vendors.tsx';
import { Workloads } from './workloads.tsx';
import { SsoScim } from './sso-scim.tsx';

/**
 * R-UX-1: the admin console. Members (invite, role changes, PHI scopes, passkeys, devices and posture, where
 * each invitation stands), the elevation and break-glass queues, access-review items, locks and tenant policies. Every
 * change that waits for a second person says who must approve it next, and is approved here; the
 * server decides each request (a recent passkey verification for member and policy changes: the
 * data client runs the step-up when asked, R-SESS-3). Workforce data only: no patient's field.
 */
const INVITE_ROLES = ['Agent', 'Manager', 'Auditor', 'Viewer', 'Admin', 'Owner'] as const;

function InviteForm() {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<(typeof INVITE_ROLES)[number]>('Agent');
  const [line, setLine] = useState<Line>({ text: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void attempt(setLine, async () => {
      const r = await api<{ memberId: string; expiresAt: string; requiresApproval: boolean }>('POST', '/v1/members/invitations', { email, role });
      setEmail('');
      return r.requiresApproval
        ? `Invited ${email} as ${role}. Next: a second Owner or Admin approves the invitation before the link works.`
        : `Invited ${email} as ${role}. The enrollment link went to that address.`;
    }, ['members']);
  };
  return (
    <form className="invite" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a member</h2>
      <div className="row">
        <div>
          <label htmlFor="invite-email">Work e-mail address</label>
          <input id="invite-email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div>
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            {INVITE_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
        <button type="submit">Send invitation</button>
      </div>
      <p className="muted">New members hold no PHI scope. An Owner, Admin or Auditor invitation waits for a second Owner or Admin (only an Owner invites an Owner or Admin).</p>
      <Said line={line} />
    </form>
  );
}

function invitationCell(m: MemberItem, me: string, approve: (m: MemberItem) => void) {
  const inv = m.invitation;
  if (!inv) return <span className="muted">—</span>;
  if (inv.state !== 'awaiting approval') return <span data-invitation={inv.state}>{inv.state}{inv.role ? ` (${inv.role})` : ''}</span>;
  const mine = inv.invitedBy === me || m.id === me;
  return (
    <div data-invitation="awaiting approval">
      <div>Awaiting approval ({inv.role})</div>
      <div className="muted">Next: {inv.nextApprover}</div>
      {mine ? <span className="muted">You invited them: someone else approves</span>
        : <button type="button" onClick={() => approve(m)} aria-label={`Approve ${m.email} as ${inv.role}`}>Approve</button>}
    </div>
  );
}

function recoveryCell(m: MemberItem, me: MeReply, step: (m: MemberItem, verb: 'approve' | 'lift') => void) {
  const r = m.recovery;
  if (!r) return null;
  const mine = m.id === me.memberId || !managesAccountOf(me, m);
  const canApprove = r.state === 'opened' && r.openedBy !== me.memberId && !mine;
  const canLift = r.state === 'registered' && r.trustedUse && !mine;
  return (
    <div data-recovery={r.state}>
      <div>Recovery {r.state} (verified by {r.verifiedBy})</div>
      <div className="muted">Next: {r.next}</div>
      {canApprove && <button type="button" onClick={() => step(m, 'approve')} aria-label={`Approve the recovery of ${m.email}`}>Approve recovery</button>}
      {canLift && <button type="button" onClick={() => step(m, 'lift')} aria-label={`Lift the restriction of ${m.email}`}>Lift restriction</button>}
    </div>
  );
}

const VERIFIED_BY = [['video-call', 'Video call'], ['manager-attestation', "Manager's attestation"], ['in-person', 'In person'], ['known-number-callback', 'Call back on a known number']] as const;

/** R-AUTHN-4: an Owner or Admin opens a lost-device recovery after re-verifying the person; a second one approves it. */
function OpenRecovery({ members, me }: { members: MemberItem[]; me: MeReply }) {
  const candidates = members.filter((m) => m.id !== me.memberId && managesAccountOf(me, m) && m.status !== 'invited' && m.recovery === null && m.passkeys > 0);
  const [memberId, setMemberId] = useState('');
  const [verifiedBy, setVerifiedBy] = useState<string>('video-call');
  const [note, setNote] = useState('');
  const [line, setLine] = useState<Line>({ text: '' });
  const chosen = memberId || candidates[0]?.id || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = candidates.find((c) => c.id === chosen);
    if (!m) return;
    void attempt(setLine, async () => {
      await api('POST', `/v1/members/${m.id}/recovery`, { verifiedBy, note });
      setNote('');
      return `Recovery opened for ${m.email}. Next: a second Owner or Admin approves it.`;
    }, ['members']);
  };
  if (candidates.length === 0) return null;
  return (
    <form className="recovery" onSubmit={submit} aria-labelledby="recovery-title">
      <h3 id="recovery-title">Open a lost-device recovery</h3>
      <div className="row">
        <div>
          <label htmlFor="recovery-member">Member</label>
          <select id="recovery-member" value={chosen} onChange={(e) => setMemberId(e.target.value)}>
            {candidates.map((c) => <option key={c.id} value={c.id}>{c.email}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="recovery-verified">Identity re-verified by</label>
          <select id="recovery-verified" value={verifiedBy} onChange={(e) => setVerifiedBy(e.target.value)}>
            {VERIFIED_BY.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </div>
        <button type="submit" disabled={note.trim().length === 0}>Open recovery</button>
      </div>
      <label htmlFor="recovery-note">Note (encrypted, shown to no one)</label>
      <textarea id="recovery-note" required maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <Said line={line} />
    </form>
  );
}

function Members({ me, changeRoles }: { me: MeReply; changeRoles: (id: string) => void }) {
  const q = useGet<MembersReply>(['members'], '/v1/members');
  // A member row's "Change roles" picks the member in the role form below and moves there.
  const pick = (id: string) => {
    changeRoles(id);
    document.getElementById('roles-member')?.focus();
  };
  const [line, setLine] = useState<Line>({ text: '' });
  const approve = (m: MemberItem) => void attempt(setLine, async () => {
    const r = await api<{ memberId: string; role: string }>('POST', `/v1/members/invitations/${m.id}/approve`, {});
    return `Approved: ${m.email} is granted ${r.role} and may enroll now.`;
  }, ['members']);
  const step = (m: MemberItem, verb: 'approve' | 'lift') => void attempt(setLine, async () => {
    await api('POST', `/v1/members/${m.id}/recovery/${verb}`, {});
    return verb === 'approve' ? `Recovery approved: the one-time link went to ${m.email}.` : `Restriction lifted for ${m.email}.`;
  }, ['members']);
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading members…</p>;
  const waiting = q.data.members.filter((m) => m.invitation?.state === 'awaiting approval').length;
  return (
    <div data-ready="members">
      <p>{q.data.members.length} members; {waiting} invitation{waiting === 1 ? '' : 's'} awaiting a second person's approval.</p>
      <table className="members">
        <caption className="sr-only">Members, their access and their invitations</caption>
        <thead><tr><th scope="col">Member</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">PHI scopes</th><th scope="col">Passkeys</th><th scope="col">Devices (managed)</th><th scope="col">Invitation, recovery</th></tr></thead>
        <tbody>
          {q.data.members.map((m) => (
            <tr key={m.id} data-member={m.email}>
              <th scope="row">{m.displayName}<div className="muted">{m.email}</div></th>
              <td>{m.status}</td>
              <td>
                {m.roles.join(', ') || '—'}
                {m.id !== me.memberId && m.status !== 'disabled' && (
                  <div><button type="button" className="secondary change-roles" onClick={() => pick(m.id)}>Change roles</button></div>
                )}
              </td>
              <td>{m.phiScopes.join(', ') || '—'}</td>
              <td>{m.passkeys}</td>
              <td>{m.devices.total} ({m.devices.managed})</td>
              <td>{invitationCell(m, me.memberId, approve)}{recoveryCell(m, me, step)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Said line={line} />
      <OpenRecovery members={q.data.members} me={me} />
    </div>
  );
}

interface PolicyVersion { version: number; state: string; proposedBy: string; proposedAt: string; decidedBy: string | null; decidedAt: string | null }

function Policies({ me }: { me: MeReply }) {
  const q = useGet<{ versions: PolicyVersion[] }>(['policies'], '/v1/policies');
  const [line, setLine] = useState<Line>({ text: '' });
  const decide = (v: PolicyVersion, verb: 'approve' | 'reject') => void attempt(setLine, async () => {
    const r = await api<PolicyVersion>('POST', `/v1/policies/${v.version}/${verb}`, {});
    return `Policy version ${r.version}: ${r.state}.`;
  }, ['policies']);
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading policies…</p>;
  if (q.data.versions.length === 0) return <p className="muted">No tenant policy has been proposed (the default policies apply). Propose one with <code>POST /v1/policies</code> (docs/policy.md).</p>;
  return (
    <>
      <table className="policies">
        <caption className="sr-only">Tenant policy versions</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">Proposed</th><th scope="col">Next</th></tr></thead>
        <tbody>
          {q.data.versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td><td>{v.state}</td><td>{v.proposedAt.slice(0, 16).replace('T', ' ')} UTC</td>
              <td>
                {v.state !== 'proposed' ? '—' : v.proposedBy === me.memberId ? <span className="muted">Next: a second Owner or Admin (not you, the proposer)</span> : (
                  <>
                    <span className="muted">Next: a second Owner or Admin (you may)</span>{' '}
                    <button type="button" onClick={() => decide(v, 'approve')}>Approve</button>{' '}
                    <button type="button" className="secondary" onClick={() => decide(v, 'reject')}>Reject</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Said line={line} />
    </>
  );
}

interface Lock { id: string; targetKind: string; targetId: string; detectionId: string | null; lockedBy: string; lockedAt: string; unlockedBy: string | null; unlockedAt: string | null }

function Locks({ name }: { name: (id: string) => string }) {
  const q = useGet<{ locks: Lock[] }>(['locks'], '/v1/locks');
  const [line, setLine] = useState<Line>({ text: '' });
  const unlock = (l: Lock) => void attempt(setLine, async () => {
    await api('POST', `/v1/locks/${l.id}/unlock`, undefined);
    return 'Unlocked.';
  }, ['locks']);
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading locks…</p>;
  const live = q.data.locks.filter((l) => l.unlockedAt === null);
  if (live.length === 0) return <><p className="muted">Nothing is locked.</p><Said line={line} /></>;
  return (
    <>
      <table className="locks">
        <caption className="sr-only">Live locks</caption>
        <thead><tr><th scope="col">Locked</th><th scope="col">Detection</th><th scope="col">Since</th><th scope="col">Next</th></tr></thead>
        <tbody>
          {live.map((l) => (
            <tr key={l.id}>
              <td>{l.targetKind} {l.targetKind === 'member' ? name(l.targetId) : l.targetId.slice(0, 8)}</td>
              <td>{l.detectionId ?? '—'}</td>
              <td>{l.lockedAt.slice(0, 16).replace('T', ' ')} UTC</td>
              <td><span className="muted">A second Owner or Admin unlocks</span> <button type="button" onClick={() => unlock(l)}>Unlock</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Said line={line} />
    </>
  );
}

interface ReviewItem {
  id: string; campaignId: string; campaign: string; deadlineAt: string; subjectKind: 'member' | 'workload'; subjectId: string; subjectName: string;
  entitlementKind: 'role' | 'phi_scope' | 'list'; entitlement: string;
}

/** R-GOV-1: the access-review items assigned to me (keep or revoke, with a note; a revocation applies at once). */
function Reviews() {
  const q = useGet<{ items: ReviewItem[] }>(['review-items'], '/v1/reviews/items');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [line, setLine] = useState<Line>({ text: '' });
  const decide = (i: ReviewItem, decision: 'keep' | 'revoke') => void attempt(setLine, async () => {
    await api('POST', `/v1/reviews/items/${i.id}/decision`, { decision, note: notes[i.id] ?? '' });
    return decision === 'keep' ? `Kept: ${i.subjectName}, ${i.entitlement}.` : `Revoked at once: ${i.subjectName}, ${i.entitlement}.`;
  }, ['review-items', 'members']);
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading access reviews…</p>;
  if (q.data.items.length === 0) return <><p className="muted">No access-review item waits for you. Campaigns start with <code>ward review start</code>.</p><Said line={line} /></>;
  return (
    <>
      <table className="reviews">
        <caption className="sr-only">Access-review items assigned to you</caption>
        <thead><tr><th scope="col">Campaign, deadline</th><th scope="col">Who</th><th scope="col">Access</th><th scope="col">Note and decision</th></tr></thead>
        <tbody>
          {q.data.items.map((i) => (
            <tr key={i.id}>
              <td>{i.campaign}<div className="muted">by {i.deadlineAt.slice(0, 10)}</div></td>
              <td>{i.subjectName} <span className="muted">({i.subjectKind})</span></td>
              <td>{i.entitlementKind === 'phi_scope' ? 'PHI scope' : i.entitlementKind} {i.entitlement}</td>
              <td>
                <label htmlFor={`note-${i.id}`}>Note</label>
                <input id={`note-${i.id}`} maxLength={1000} value={notes[i.id] ?? ''} onChange={(e) => setNotes({ ...notes, [i.id]: e.target.value })} />
                <button type="button" disabled={!notes[i.id]} onClick={() => decide(i, 'keep')}>Keep</button>{' '}
                <button type="button" className="secondary" disabled={!notes[i.id]} onClick={() => decide(i, 'revoke')}>Revoke</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Said line={line} />
    </>
  );
}

export function AdminConsole({ me }: { me: MeReply }) {
  const members = useGet<MembersReply>(['members'], '/v1/members');
  const [roleMember, setRoleMember] = useState('');
  const emails = new Map((members.data?.members ?? []).map((m) => [m.id, m.email]));
  const name = (id: string) => emails.get(id) ?? `…${id.replace(/-/g, '').slice(-4)}`;
  return (
    <section aria-labelledby="admin-title" className="admin">
      <h1 id="admin-title">Admin console</h1>
      <p className="muted">People and access for {me.tenant.name}. Changes that need a second person say who approves next.</p>
      <div className="card"><InviteForm /></div>
      <div className="card">
        <h2>Members</h2>
        <Members me={me} changeRoles={setRoleMember} />
      </div>
      <div className="card"><h2>Role changes</h2><RoleGrants me={me} chosen={roleMember} choose={setRoleMember} /></div>
      <div className="card"><h2>PHI-scope grants</h2><PhiGrants me={me} /></div>
      <div className="card"><h2>Account state and identity proofing</h2><MemberAccess me={me} /></div>
      <div className="card"><h2>Devices and posture</h2><Devices me={me} /></div>
      <div className="card">
        <h2>Elevation and break-glass queue</h2>
        <ElevationQueue me={me.memberId} name={name} reviews />
      </div>
      <div className="card">
        <h2>Access reviews assigned to you</h2>
        <Reviews />
      </div>
      <div className="card"><h2>Access-review campaigns</h2><ReviewCampaigns name={name} /></div>
      <div className="card"><h2>Retention and legal holds</h2><Retention me={me} name={name} /></div>
      <div className="card"><h2>AI vendors and BAAs</h2><AiVendors me={me.memberId} name={name} /></div>
      <div className="card"><h2>Workloads and their keys</h2><Workloads me={me} /></div>
      <div className="card"><h2>SSO and SCIM</h2><SsoScim me={me} /></div>
      <div className="card">
        <h2>Tenant policies</h2>
        <Policies me={me} />
      </div>
      <div className="card">
        <h2>Locks</h2>
        <Locks name={name} />
      </div>
      <p className="muted">
        Not in this console yet: setting a device's posture by hand;
        registering or disabling a workload; adding an AI vendor. Use <code>npx ward</code> and the API for these (README).
      </p>
    </section>
  );
}
