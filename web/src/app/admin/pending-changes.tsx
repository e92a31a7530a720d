import type { MeReply } from '@ward/contracts';
import { minute } from './kit.tsx';

/**
 * R-AUTHZ-5, R-UX-1: the open two-person changes of one kind (a SCIM token, a shorter retention or a
 * hold release, an SSO connection change), each with who proposed it, until when it is open and who
 * must approve next. Another Owner or Admin approves or refuses it here; its proposer sees no
 * approval (the server refuses them too: Cedar's `sod-change-second-person` and the database) and may
 * withdraw it.
 */
export interface PendingChange { id: string; state: string; proposedBy: string; expiresAt: string; nextApprover: string | null }

export function PendingChanges<R extends PendingChange>({ me, requests, what, approve, refuse, mark, approveLabel, refuseLabel }: {
  me: MeReply;
  requests: R[];
  /** The change in words (no secret, no patient's field). */
  what: (r: R) => string;
  approve: (r: R) => void;
  refuse: (r: R) => void;
  /** The data attribute that names the card, for tests and screen photos. */
  mark: (r: R) => Record<`data-${string}`, string>;
  approveLabel: (r: R) => string;
  /** The refusal's words, the proposer's (a withdrawal) and another person's. */
  refuseLabel: (r: R, mine: boolean) => string;
}) {
  return (
    <>
      {requests.filter((r) => r.state === 'pending').map((r) => {
        const mine = r.proposedBy === me.memberId;
        return (
          <div key={r.id} className="notice" {...mark(r)}>
            {what(r)}, proposed by {mine ? 'you' : 'another Owner or Admin'}; open until {minute(r.expiresAt)}.
            <div className="muted">Next: {r.nextApprover}</div>
            {mine
              ? <span className="muted">You proposed it: someone else approves</span>
              : <button type="button" onClick={() => approve(r)}>{approveLabel(r)}</button>}
            {' '}<button type="button" className="secondary" onClick={() => refuse(r)}>{refuseLabel(r, mine)}</button>
          </div>
        );
      })}
    </>
  );
}
