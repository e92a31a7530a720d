import {
  PHI_SCOPES, ROLES, type MeReply, type MemberItem, type MembersReply, type PhiGrantItem, type PhiGrantsReply, type PhiScope, type Role,
  type RoleGrantItem, type RoleGrantsReply, type RoleRevoked,
} from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { describeError } from '../status.tsx';
import { attempt, minute, Said, type Line } from './kit.tsx';

/**
 * R-AUTHZ-2, R-AUTHZ-5, R-AUTHN-5, R-UX-1: grants by two people. An Owner or Admin proposes a PHI
 * scope or a role for another member; each list says who must approve every open proposal next,
 * and a second Owner or Admin (never the proposer, never the member; an Owner for Owner and Admin)
 * approves it here, with a fresh passkey verification when the server asks (R-SESS-3). Only the
 * approval grants. Removing a role needs no second person and takes effect at once.
 */

/** What differs between the PHI-scope and the role proposals. */
interface Kind<G> {
  /** The list's query key and its route, `/v1/<key>`; approve and cancel are `/v1/<key>/:id/<verb>`. */
  key: 'phi-grants' | 'role-grants';
  what: (g: G) => string;
  /** "PHI-scope grant", "role": the noun in the screen's sentences. */
  noun: string;
  granted: (member: string, what: string) => string;
}

type Proposal = PhiGrantItem | RoleGrantItem;

/** An attempt whose success refreshes the proposals and the members. */
const settle = (key: string, set: (l: Line) => void, run: () => Promise<string>) => attempt(set, run, [key, 'members']);

function useNames(): { members: MembersReply['members'] | undefined; name: (id: string) => string } {
  const members = useGet<MembersReply>(['members'], '/v1/members');
  const emails = new Map((members.data?.members ?? []).map((m) => [m.id, m.email]));
  return { members: members.data?.members, name: (id: string) => emails.get(id) ?? `…${id.replace(/-/g, '').slice(-4)}` };
}

/** The open proposals of one kind with who approves next, Approve and Cancel, and the recently decided ones. */
function Queue<G extends Proposal>({ me, kind }: { me: MeReply; kind: Kind<G> }) {
  const q = useGet<{ grants: G[] }>([kind.key], `/v1/${kind.key}`);
  const { name } = useNames();
  const [line, setLine] = useState<Line>({ text: '' });
  const act = (g: G, verb: 'approve' | 'cancel') => void settle(kind.key, setLine, async () => {
    const r = await api<G>('POST', `/v1/${kind.key}/${g.id}/${verb}`, {});
    return verb === 'approve' ? `Approved: ${kind.granted(name(r.memberId), kind.what(r))}.` : `Cancelled: ${kind.what(r)} for ${name(r.memberId)}.`;
  });
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading {kind.noun} proposals…</p>;
  const open = q.data.grants.filter((g) => g.state === 'pending');
  const recent = q.data.grants.filter((g) => g.state !== 'pending').slice(0, 10);
  const Noun = kind.noun[0]!.toUpperCase() + kind.noun.slice(1);
  return (
    <div data-ready={kind.key}>
      <p>{open.length} {kind.noun} proposal{open.length === 1 ? '' : 's'} awaiting a second person's approval.</p>
      {open.length > 0 && (
        <table className="grants">
          <caption className="sr-only">Open {kind.noun} proposals</caption>
          <thead><tr><th scope="col">Member</th><th scope="col">{Noun}</th><th scope="col">Proposed by</th><th scope="col">Expires</th><th scope="col">Next</th></tr></thead>
          <tbody>
            {open.map((g) => {
              const mine = g.proposedBy === me.memberId;
              const forMe = g.memberId === me.memberId;
              return (
                <tr key={g.id} data-grant={`${name(g.memberId)} ${kind.what(g)}`}>
                  <td>{name(g.memberId)}</td>
                  <td>{kind.what(g)}</td>
                  <td>{mine ? 'you' : name(g.proposedBy)}</td>
                  <td>{minute(g.expiresAt)}</td>
                  <td>
                    <div className="muted">Next: {g.nextApprover}</div>
                    {mine || forMe
                      ? <span className="muted">{mine ? 'You proposed it: someone else approves' : 'It is for you: someone else approves'}</span>
                      : <button type="button" onClick={() => act(g, 'approve')} aria-label={`Approve ${kind.what(g)} for ${name(g.memberId)}`}>Approve</button>}
                    {' '}
                    {!forMe && <button type="button" className="secondary" onClick={() => act(g, 'cancel')} aria-label={`Cancel ${kind.what(g)} for ${name(g.memberId)}`}>Cancel</button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {recent.length > 0 && (
        <details>
          <summary>Decided and expired proposals ({recent.length})</summary>
          <ul className="grants-decided">
            {recent.map((g) => (
              <li key={g.id}>{kind.what(g)} for {name(g.memberId)}: {g.state}{g.decidedBy ? ` by ${name(g.decidedBy)}` : ''}{g.decidedAt ? `, ${minute(g.decidedAt)}` : ''}</li>
            ))}
          </ul>
        </details>
      )}
      <Said line={line} />
    </div>
  );
}

const PHI_KIND: Kind<PhiGrantItem> = { key: 'phi-grants', what: (g) => g.phiScope, noun: 'PHI-scope grant', granted: (m, s) => `${m} now holds ${s}` };
const ROLE_KIND: Kind<RoleGrantItem> = { key: 'role-grants', what: (g) => g.role, noun: 'role', granted: (m, r) => `${m} now holds the ${r} role` };

function ProposeForm({ me, members }: { me: string; members: MembersReply['members'] }) {
  const candidates = members.filter((m) => m.id !== me && m.status !== 'disabled');
  const [memberId, setMemberId] = useState('');
  const [phiScope, setPhiScope] = useState<PhiScope>('Healthcare-PHI');
  const [line, setLine] = useState<Line>({ text: '' });
  const chosen = memberId || candidates[0]?.id || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = candidates.find((c) => c.id === chosen);
    if (!m) return;
    void settle('phi-grants', setLine, async () => {
      await api<PhiGrantItem>('POST', `/v1/members/${m.id}/phi-grants`, { phiScope });
      return `Proposed ${phiScope} for ${m.email}. Next: a second Owner or Admin approves it; until then nothing is granted.`;
    });
  };
  if (candidates.length === 0) return null;
  return (
    <form className="propose-grant" onSubmit={submit} aria-labelledby="propose-grant-title">
      <h3 id="propose-grant-title">Propose a PHI-scope grant</h3>
      <div className="row">
        <div>
          <label htmlFor="grant-member">Member</label>
          <select id="grant-member" value={chosen} onChange={(e) => setMemberId(e.target.value)}>
            {candidates.map((c) => <option key={c.id} value={c.id}>{c.email}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="grant-scope">PHI scope</label>
          <select id="grant-scope" value={phiScope} onChange={(e) => setPhiScope(e.target.value as PhiScope)}>
            {PHI_SCOPES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="submit">Propose</button>
      </div>
      <p className="muted">A proposal stays open for 72 hours. You cannot propose a scope for yourself, nor approve your own proposal.</p>
      <Said line={line} />
    </form>
  );
}

export function PhiGrants({ me }: { me: MeReply }) {
  const { members } = useNames();
  return (
    <>
      <Queue me={me} kind={PHI_KIND} />
      {members && <ProposeForm me={me.memberId} members={members} />}
    </>
  );
}

/** A role change the form offers: add (a proposal) or remove (at once). */
type Change = `add:${Role}` | `remove:${Role}`;

/**
 * R-AUTHZ-5, R-AUTHN-5: change an existing member's roles. Adding proposes (a second Owner or Admin
 * approves in the list above); removing applies at once. `chosen` is set by a member row's
 * "Change roles" button. Its labels avoid the word "role", which names the invitation form's field.
 */
function RoleChangeForm({ me, members, chosen, choose }: { me: string; members: MemberItem[]; chosen: string; choose: (id: string) => void }) {
  const candidates = members.filter((m) => m.id !== me && m.status !== 'disabled');
  const [change, setChange] = useState<Change | ''>('');
  const [line, setLine] = useState<Line>({ text: '' });
  const m = candidates.find((c) => c.id === chosen) ?? candidates[0];
  if (!m) return null;
  const options: { value: Change; label: string }[] = [
    ...ROLES.filter((r) => !m.roles.includes(r)).map((r) => ({ value: `add:${r}` as Change, label: `Add ${r} (a second Owner or Admin approves)` })),
    ...m.roles.map((r) => ({ value: `remove:${r}` as Change, label: `Remove ${r} (at once)` })),
  ];
  const picked = options.find((o) => o.value === change)?.value ?? options[0]!.value;
  const [verb, role] = picked.split(':') as ['add' | 'remove', Role];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void settle('role-grants', setLine, async () => {
      if (verb === 'add') {
        await api<RoleGrantItem>('POST', `/v1/members/${m.id}/role-grants`, { role });
        const who = role === 'Owner' || role === 'Admin' ? 'a second Owner' : 'a second Owner or Admin';
        return `Proposed ${role} for ${m.email}. Next: ${who} approves it; until then nothing is granted.`;
      }
      const r = await api<RoleRevoked>('DELETE', `/v1/members/${m.id}/roles/${role}`);
      return `Removed ${r.role} from ${m.email} at once; ${r.revokedSessions} session${r.revokedSessions === 1 ? '' : 's'} ended.`;
    });
  };
  return (
    // No aria-labelledby: the heading's word "roles" would make the form a second match for the
    // invitation form's "Role" field wherever that field is found by its label.
    <form className="change-roles" onSubmit={submit}>
      <h3 id="change-roles-title">Change a member's roles</h3>
      <div className="row">
        <div>
          <label htmlFor="roles-member">Member</label>
          <select id="roles-member" value={m.id} onChange={(e) => { choose(e.target.value); setChange(''); }}>
            {candidates.map((c) => <option key={c.id} value={c.id}>{c.email}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="roles-change">Change</label>
          <select id="roles-change" value={picked} onChange={(e) => setChange(e.target.value as Change)}>
            {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </div>
        <button type="submit">{verb === 'add' ? 'Propose' : 'Remove now'}</button>
      </div>
      <p className="muted">
        {m.email} holds {m.roles.join(', ') || 'no role'}. Adding waits for a second Owner or Admin (an Owner for Owner and Admin);
        removing applies at once and ends the member's sessions. Never your own roles.
      </p>
      <Said line={line} />
    </form>
  );
}

export function RoleGrants({ me, chosen, choose }: { me: MeReply; chosen: string; choose: (id: string) => void }) {
  const { members } = useNames();
  return (
    <>
      <Queue me={me} kind={ROLE_KIND} />
      {members && <RoleChangeForm me={me.memberId} members={members} chosen={chosen} choose={choose} />}
    </>
  );
}
