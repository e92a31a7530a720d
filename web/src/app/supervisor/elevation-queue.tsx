import { useState } from 'react';
import { api } from '../../api.ts';
import { queryClient, useGet } from '../data.ts';
import { describeError } from '../status.tsx';
import { nextApprover } from './next-approver.ts';

/** One elevation or break-glass access as `GET /v1/elevations` lists it (ids, roles, scopes, times, states; never a reason). */
export interface Elevation {
  id: string; kind: string; memberId: string; requestedBy: string; roles: string[]; phiScopes: string[]; actions: string[];
  targetType: string; targetId: string | null; purpose: string; durationSeconds: number; approvalsRequired: number; approvals: number;
  state: string; requestedAt: string; startsAt: string | null; expiresAt: string | null;
  review: null | { dueAt: string; reviewedAt: string | null; outcome: string | null; overdue: boolean };
}

/** A member named by a masked id (`…1a2b`), as the supervisor's analytics name them; the admin console passes addresses. */
export const maskedId = (id: string): string => `…${id.replace(/-/g, '').slice(-4).toLowerCase()}`;

function what(e: Elevation): string {
  const parts = [...e.roles.map((r) => `role ${r}`), ...e.phiScopes.map((s) => `scope ${s}`), ...e.actions];
  return `${parts.join(', ') || 'read access'} on the ${e.targetType}${e.targetId ? ` ${maskedId(e.targetId)}` : ''}`;
}

/**
 * R-ELEV-1, R-ELEV-2: the elevation requests to decide and the break-glass accesses to review, with
 * who must approve each next. Approve and Deny are `elevation.decide` (never your own request or your
 * own widening: Cedar and the database refuse it); a step-up is asked when the decision needs one.
 */
export function ElevationQueue(props: { me: string; name?: (memberId: string) => string; reviews?: boolean }) {
  const q = useGet<{ elevations: Elevation[] }>(['elevations'], '/v1/elevations');
  const [line, setLine] = useState<{ text: string; code?: string }>({ text: '' });
  const name = props.name ?? maskedId;
  const act = async (path: string, body: unknown, done: string) => {
    setLine({ text: '' });
    try {
      await api('POST', path, body);
      setLine({ text: done });
      await queryClient.invalidateQueries({ queryKey: ['elevations'] });
    } catch (e) {
      setLine(describeError(e));
    }
  };
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading elevations…</p>;
  const pending = q.data.elevations.filter((e) => e.state === 'pending');
  const toReview = props.reviews ? q.data.elevations.filter((e) => e.kind === 'breakglass' && e.review && e.review.reviewedAt === null) : [];
  return (
    <div data-ready="elevations">
      {pending.length === 0 ? <p className="muted">No elevation request waits for a decision.</p> : (
        <table className="elevations">
          <caption className="sr-only">Elevation requests waiting for a decision</caption>
          <thead><tr><th scope="col">Member</th><th scope="col">Asks for</th><th scope="col">Purpose, time</th><th scope="col">Next approver</th><th scope="col">Decide</th></tr></thead>
          <tbody>
            {pending.map((e) => {
              const own = e.requestedBy === props.me || e.memberId === props.me;
              return (
                <tr key={e.id} data-elevation={e.id}>
                  <td>{name(e.memberId)}</td>
                  <td>{what(e)}</td>
                  <td>{e.purpose}, {Math.round(e.durationSeconds / 60)} min</td>
                  <td>{nextApprover(e)}</td>
                  <td>
                    {own ? <span className="muted">Your own: someone else decides</span> : (
                      <>
                        <button type="button" onClick={() => void act(`/v1/elevations/${e.id}/approve`, undefined, 'Elevation approved.')}>Approve</button>{' '}
                        <button type="button" className="secondary" onClick={() => void act(`/v1/elevations/${e.id}/deny`, undefined, 'Elevation denied.')}>Deny</button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {props.reviews && (toReview.length === 0 ? <p className="muted">No break-glass access waits for its review.</p> : (
        <table className="break-glass">
          <caption>Break-glass accesses to review</caption>
          <thead><tr><th scope="col">Member</th><th scope="col">Record</th><th scope="col">Review due</th><th scope="col">Review</th></tr></thead>
          <tbody>
            {toReview.map((e) => (
              <tr key={e.id} data-elevation={e.id}>
                <td>{name(e.memberId)}</td>
                <td>{e.targetType} {e.targetId ? maskedId(e.targetId) : ''}</td>
                <td>{e.review!.dueAt.slice(0, 16).replace('T', ' ')} UTC{e.review!.overdue ? ' (overdue)' : ''}</td>
                <td>
                  {e.memberId === props.me ? <span className="muted">Your own: someone else reviews</span> : (
                    <>
                      <button type="button" onClick={() => void act(`/v1/break-glass/${e.id}/review`, { outcome: 'appropriate' }, 'Reviewed: appropriate.')}>Appropriate</button>{' '}
                      <button type="button" className="secondary" onClick={() => void act(`/v1/break-glass/${e.id}/review`, { outcome: 'inappropriate' }, 'Reviewed: inappropriate.')}>Inappropriate</button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {line.text && <p className={line.code ? 'notice denied' : 'notice ok'} role="status" data-code={line.code}>{line.text}</p>}
    </div>
  );
}
