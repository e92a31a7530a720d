import type { MeReply, MemberItem, MemberStatusChanged, MembersReply } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { describeError } from '../status.tsx';
import { attempt, managesAccountOf, type Line } from './kit.tsx';

/**
 * R-AUTHN-3, R-AUTHN-5, R-UX-1: each member's account state and identity proofing. Disable ends every
 * live session at once (the next request of any is refused); Enable brings the member back (never
 * oneself). A member the IdP provisioned gets a first enrollment link only after an Owner or Admin
 * records how their identity was proofed here; the note is encrypted and never shown again, and the
 * link goes to the member's address, never to this screen.
 */
const METHODS = [
  ['in_person_document', 'Document checked in person'], ['remote_video_document', 'Document checked on a video call'],
  ['hr_onboarding_record', 'HR onboarding record'], ['manager_attestation', "Manager's attestation"],
] as const;
const LABEL: Record<string, string> = Object.fromEntries(METHODS);

/** An attempt whose success refreshes the members and their devices. */
const settle = (set: (l: Line) => void, run: () => Promise<string>) => attempt(set, run, ['members', 'devices']);

function proofing(m: MemberItem): string {
  if (m.idProofing) return `${LABEL[m.idProofing.method] ?? m.idProofing.method}, ${m.idProofing.recordedAt.slice(0, 10)}`;
  if (m.proofingNeeded) return 'Needed before the first enrollment link';
  return m.provisioned ? '—' : 'Invited by link (no IdP proofing)';
}

function RecordProofing({ members, set }: { members: MemberItem[]; set: (l: Line) => void }) {
  const waiting = members.filter((m) => m.proofingNeeded);
  const [memberId, setMemberId] = useState('');
  const [method, setMethod] = useState<string>(METHODS[0][0]);
  const [note, setNote] = useState('');
  const chosen = memberId || waiting[0]?.id || '';
  if (waiting.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = waiting.find((w) => w.id === chosen);
    if (!m) return;
    void settle(set, async () => {
      const r = await api<{ requiresApproval: boolean }>('POST', `/v1/members/${m.id}/id-proofing`, { method, note });
      setNote('');
      return r.requiresApproval
        ? `Identity proofing recorded for ${m.email}. Next: a second Owner or Admin approves the invitation before the link works.`
        : `Identity proofing recorded for ${m.email}; the one-time enrollment link went to their address.`;
    });
  };
  return (
    <form className="proofing" onSubmit={submit} aria-labelledby="proofing-title">
      <h3 id="proofing-title">Record identity proofing</h3>
      <div className="row">
        <div>
          <label htmlFor="proofing-member">Member</label>
          <select id="proofing-member" value={chosen} onChange={(e) => setMemberId(e.target.value)}>
            {waiting.map((w) => <option key={w.id} value={w.id}>{w.email}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="proofing-method">Proofed by</label>
          <select id="proofing-method" value={method} onChange={(e) => setMethod(e.target.value)}>
            {METHODS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </div>
        <button type="submit" disabled={note.trim().length < 3}>Record</button>
      </div>
      <label htmlFor="proofing-note">Proofing note (encrypted, shown to no one)</label>
      <textarea id="proofing-note" required minLength={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
    </form>
  );
}

export function MemberAccess({ me }: { me: MeReply }) {
  const q = useGet<MembersReply>(['members'], '/v1/members');
  const [line, setLine] = useState<Line>({ text: '' });
  const change = (m: MemberItem, verb: 'disable' | 'enable') => void settle(setLine, async () => {
    const r = await api<MemberStatusChanged>('POST', `/v1/members/${m.id}/${verb}`, {});
    return verb === 'disable'
      ? `Disabled ${m.email}: ${r.revokedSessions} session${r.revokedSessions === 1 ? '' : 's'} ended; any other request of theirs is refused.`
      : `Enabled ${m.email} again (${r.status}).`;
  });
  // R-SESS-1: a session feared stolen ends without disabling the member, who signs in again.
  const endSessions = (m: MemberItem) => void settle(setLine, async () => {
    const r = await api<{ revokedSessions: number }>('POST', `/v1/members/${m.id}/sessions/revoke`, {});
    return `Ended ${r.revokedSessions} session${r.revokedSessions === 1 ? '' : 's'} of ${m.email}; they stay ${m.status} and sign in again.`;
  });
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading members…</p>;
  return (
    <div data-ready="member-access">
      <table className="member-access">
        <caption className="sr-only">Account state and identity proofing per member</caption>
        <thead><tr><th scope="col">Member</th><th scope="col">Status</th><th scope="col">Identity proofing</th><th scope="col">Action</th></tr></thead>
        <tbody>
          {q.data.members.map((m) => (
            <tr key={m.id} data-access={m.email}>
              <td>{m.email}</td>
              <td>{m.status}</td>
              <td>{proofing(m)}</td>
              <td>
                {m.id === me.memberId ? <span className="muted">You</span>
                  : !managesAccountOf(me, m) ? <span className="muted" data-owner-only>An Owner manages this account</span>
                  : m.status === 'disabled'
                    ? <button type="button" onClick={() => change(m, 'enable')} aria-label={`Enable ${m.email}`}>Enable</button>
                    : <>
                      <button type="button" className="secondary" onClick={() => endSessions(m)} aria-label={`End sessions of ${m.email}`}>End sessions</button>{' '}
                      <button type="button" className="secondary" onClick={() => change(m, 'disable')} aria-label={`Disable ${m.email}`}>Disable</button>
                    </>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {line.text && <p className={line.code ? 'notice denied' : 'notice ok'} role="status" data-code={line.code}>{line.text}</p>}
      <RecordProofing members={q.data.members} set={setLine} />
    </div>
  );
}
