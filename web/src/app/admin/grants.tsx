import { PHI_SCOPES, type MeReply, type MembersReply, type PhiGrantItem, type PhiGrantsReply, type PhiScope } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { describeError } from '../status.tsx';
import { attempt, Said, type Line } from './kit.tsx';

/**
 * R-AUTHZ-2, R-AUTHZ-5, R-UX-1: PHI-scope grants by two people. An Owner or Admin proposes a scope
 * for another member; the list says who must approve each open proposal next, and a second Owner or
 * Admin (never the proposer, never the member) approves it here, with a fresh passkey verification
 * when the server asks (R-SESS-3). Only the approval grants the scope.
 */
/** An attempt whose success refreshes the grants and the members. */
const settle = (set: (l: Line) => void, run: () => Promise<string>) => attempt(set, run, ['phi-grants', 'members']);

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
    void settle(setLine, async () => {
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
  const q = useGet<PhiGrantsReply>(['phi-grants'], '/v1/phi-grants');
  const members = useGet<MembersReply>(['members'], '/v1/members');
  const [line, setLine] = useState<Line>({ text: '' });
  const emails = new Map((members.data?.members ?? []).map((m) => [m.id, m.email]));
  const name = (id: string) => emails.get(id) ?? `…${id.replace(/-/g, '').slice(-4)}`;
  const act = (g: PhiGrantItem, verb: 'approve' | 'cancel') => void settle(setLine, async () => {
    const r = await api<PhiGrantItem>('POST', `/v1/phi-grants/${g.id}/${verb}`, {});
    return verb === 'approve' ? `Approved: ${name(r.memberId)} now holds ${r.phiScope}.` : `Cancelled: ${r.phiScope} for ${name(r.memberId)}.`;
  });
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading PHI-scope grants…</p>;
  const open = q.data.grants.filter((g) => g.state === 'pending');
  const recent = q.data.grants.filter((g) => g.state !== 'pending').slice(0, 10);
  return (
    <div data-ready="phi-grants">
      <p>{open.length} PHI-scope grant{open.length === 1 ? '' : 's'} awaiting a second person's approval.</p>
      {open.length > 0 && (
        <table className="grants">
          <caption className="sr-only">Open PHI-scope grant proposals</caption>
          <thead><tr><th scope="col">Member</th><th scope="col">PHI scope</th><th scope="col">Proposed by</th><th scope="col">Expires</th><th scope="col">Next</th></tr></thead>
          <tbody>
            {open.map((g) => {
              const mine = g.proposedBy === me.memberId;
              const forMe = g.memberId === me.memberId;
              return (
                <tr key={g.id} data-grant={`${name(g.memberId)} ${g.phiScope}`}>
                  <td>{name(g.memberId)}</td>
                  <td>{g.phiScope}</td>
                  <td>{mine ? 'you' : name(g.proposedBy)}</td>
                  <td>{g.expiresAt.slice(0, 16).replace('T', ' ')} UTC</td>
                  <td>
                    <div className="muted">Next: {g.nextApprover}</div>
                    {mine || forMe
                      ? <span className="muted">{mine ? 'You proposed it: someone else approves' : 'It is for you: someone else approves'}</span>
                      : <button type="button" onClick={() => act(g, 'approve')} aria-label={`Approve ${g.phiScope} for ${name(g.memberId)}`}>Approve</button>}
                    {' '}
                    {!forMe && <button type="button" className="secondary" onClick={() => act(g, 'cancel')} aria-label={`Cancel ${g.phiScope} for ${name(g.memberId)}`}>Cancel</button>}
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
              <li key={g.id}>{g.phiScope} for {name(g.memberId)}: {g.state}{g.decidedBy ? ` by ${name(g.decidedBy)}` : ''}{g.decidedAt ? `, ${g.decidedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}</li>
            ))}
          </ul>
        </details>
      )}
      <Said line={line} />
      {members.data && <ProposeForm me={me.memberId} members={members.data.members} />}
    </div>
  );
}
