import type { ReviewCampaignsReply, ReviewCampaignView } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, day, Failed, Said, type Line } from './kit.tsx';

/**
 * R-GOV-1, R-UX-1: access-review campaigns. An Owner or Admin starts one (every role, PHI scope and
 * break-glass place becomes an item for its reviewer) and follows its progress in counts; the items
 * are decided by their reviewers under "Access reviews assigned to you". The server asks for a recent
 * passkey verification (policy.manage), which the data client runs.
 */
export function ReviewCampaigns({ name }: { name: (id: string) => string }) {
  const q = useGet<ReviewCampaignsReply>(['review-campaigns'], '/v1/reviews/campaigns');
  const [title, setTitle] = useState('');
  const [days, setDays] = useState(14);
  const [line, setLine] = useState<Line>({ text: '' });
  const start = (e: FormEvent) => {
    e.preventDefault();
    void attempt(setLine, async () => {
      const c = await api<ReviewCampaignView>('POST', '/v1/reviews/campaigns', { ...(title.trim() ? { name: title.trim() } : {}), days });
      setTitle('');
      return `Started ${c.name}: ${c.items} items${c.unassigned ? `, ${c.unassigned} with no reviewer` : ''}. Next: ${c.next ?? 'nothing waits'}.`;
    }, ['review-campaigns', 'review-items']);
  };
  return (
    <div data-ready={q.data ? 'review-campaigns' : undefined}>
      <form className="campaign-start" onSubmit={start} aria-labelledby="campaign-start-title">
        <h3 id="campaign-start-title">Start a campaign</h3>
        <div className="row">
          <div>
            <label htmlFor="campaign-name">Campaign name (default: the quarter)</label>
            <input id="campaign-name" maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="2026-Q4" />
          </div>
          <div>
            <label htmlFor="campaign-days">Days to decide</label>
            <input id="campaign-days" type="number" min={1} max={90} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </div>
          <button type="submit">Start campaign</button>
        </div>
        <Said line={line} />
      </form>
      {q.error ? <Failed error={q.error} queryKey="review-campaigns" /> : !q.data ? <p aria-busy="true">Loading campaigns…</p>
        : q.data.campaigns.length === 0 ? <p className="muted">No campaign has been started.</p> : (
          <table className="campaigns">
            <caption className="sr-only">Access-review campaigns and their progress</caption>
            <thead><tr><th scope="col">Campaign</th><th scope="col">Started</th><th scope="col">Decided</th><th scope="col">Next</th></tr></thead>
            <tbody>
              {q.data.campaigns.map((c) => (
                <tr key={c.id} data-campaign={c.name}>
                  <th scope="row">{c.name}<div className="muted">deadline {day(c.deadlineAt)}{c.closedAt ? ', closed' : ''}</div></th>
                  <td>{day(c.startedAt)} by {name(c.startedBy)}</td>
                  <td data-progress={`${c.items - c.undecided}/${c.items}`}>
                    {c.items - c.undecided} of {c.items}
                    <div className="muted">{c.kept} kept, {c.revoked} revoked, {c.expired} expired{c.unassigned ? `, ${c.unassigned} with no reviewer` : ''}</div>
                  </td>
                  <td>{c.next ? <span className="muted">Next: {c.next}</span> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </div>
  );
}
