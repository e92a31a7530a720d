import type { AnalyticsDrillReply, AnalyticsReply, MeReply } from '@ward/contracts';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import { describeError } from '../status.tsx';
import { ElevationQueue } from './elevation-queue.tsx';
import '../admin/admin.css';

/**
 * R-UX-1, R-DATA-3: the supervisor's analytics without PHI. The server sends counts only, with
 * cells under 11 already suppressed; a suppressed cell is shown as "fewer than 11" (`data-cell=suppressed`),
 * never as a number. Each count is in an element with `data-cell` so tests can read them.
 */
function Count({ n, min }: { n: number | null; min: number }) {
  return n === null ? <span data-cell="suppressed" className="muted">fewer than {min}</span> : <span data-cell="count">{n}</span>;
}

/** A horizontal bar chart in inline SVG (no script, no style attribute: the CSP allows neither inline). */
function Bars({ title, rows }: { title: string; rows: Array<{ label: string; n: number | null }> }) {
  const max = Math.max(1, ...rows.map((r) => r.n ?? 0));
  const h = 22;
  return (
    <svg className="chart" role="img" aria-label={title} viewBox={`0 0 480 ${rows.length * h + 4}`} width="100%">
      {rows.map((r, i) => (
        <g key={r.label} transform={`translate(0 ${i * h + 2})`}>
          <text x="0" y="15" className="chart-label">{r.label}</text>
          {r.n === null
            ? <text x="170" y="15" className="chart-suppressed">suppressed (fewer than 11)</text>
            : <><rect x="170" y="3" height="15" width={Math.max(2, (r.n / max) * 260)} className="chart-bar" /><text x={176 + (r.n / max) * 260} y="15" className="chart-value">{r.n}</text></>}
        </g>
      ))}
    </svg>
  );
}

export function SupervisorAnalytics({ me }: { me: MeReply }) {
  const q = useGet<AnalyticsReply>(['analytics'], '/v1/analytics');
  if (q.error) return <p className="notice denied">{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading analytics…</p>;
  const a = q.data;
  const pct = (x: number | null) => (x === null ? 'not shown (a cell under 11, or nothing reviewed)' : `${Math.round(x * 100)} %`);
  const roles = [...new Set(a.decisions.map((d) => d.role))];
  return (
    <section aria-labelledby="analytics-title" className="analytics" data-ready="analytics">
      <h1 id="analytics-title">Supervisor analytics</h1>
      <p className="muted">Counts only, no patient data. Any count under {a.minCell} is suppressed by the server.</p>
      <div className="card">
        <h2>Call volumes and handle times</h2>
        <Bars title="Calls by month" rows={a.calls.map((c) => ({ label: c.month, n: c.count }))} />
        <table>
          <caption className="sr-only">Calls by month and by handler</caption>
          <thead><tr><th scope="col">Month or handler</th><th scope="col">Calls</th><th scope="col">Median handle time</th></tr></thead>
          <tbody>
            {[...a.calls.map((c) => ({ label: c.month, ...c })), ...a.callsByHandler.map((c) => ({ label: `handled by ${c.handledBy}`, ...c }))].map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th><td><Count n={c.count} min={a.minCell} /></td>
                <td>{c.medianHandleSeconds === null ? '—' : `${Math.round(c.medianHandleSeconds / 6) / 10} min`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>AI drafts</h2>
        <p>Accepted as drafted: <strong>{pct(a.aiReview.acceptance)}</strong>; edited before use: <strong>{pct(a.aiReview.edited)}</strong></p>
        {a.aiDrafts.length === 0 ? <p className="muted">No AI drafts yet.</p> : (
          <table>
            <caption className="sr-only">AI drafts by kind and review status</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Drafts</th></tr></thead>
            <tbody>{a.aiDrafts.map((d) => <tr key={`${d.kind}-${d.status}`}><td>{d.kind}</td><td>{d.status}</td><td><Count n={d.count} min={a.minCell} /></td></tr>)}</tbody>
          </table>
        )}
      </div>
      <div className="card">
        <h2>Refusals and step-ups by role</h2>
        <Bars title="Refusals and step-ups by role" rows={a.decisions.map((d) => ({ label: `${d.role} · ${d.kind}`, n: d.count }))} />
        <ul>{roles.map((r) => <li key={r}><Link href={`/supervisor/roles/${r}`}>Drill down: {r}</Link></li>)}</ul>
      </div>
      <div className="card">
        <h2>Refusals and step-ups by team</h2>
        <p className="muted">A team is the people who share a manager, named by the manager's masked id.</p>
        <Bars title="Refusals and step-ups by team" rows={a.decisionsByTeam.map((d) => ({ label: `${d.team} · ${d.kind}`, n: d.count }))} />
        <table>
          <caption className="sr-only">Refusals and step-ups by team</caption>
          <thead><tr><th scope="col">Team</th><th scope="col">Kind</th><th scope="col">Count</th></tr></thead>
          <tbody>{a.decisionsByTeam.map((d) => <tr key={`${d.team}-${d.kind}`}><th scope="row">{d.team}</th><td>{d.kind}</td><td><Count n={d.count} min={a.minCell} /></td></tr>)}</tbody>
        </table>
      </div>
      <div className="card">
        <h2>Elevation requests to approve</h2>
        <p className="muted">Members by masked id; a request widening an Owner or Admin needs two Owners or Admins.</p>
        <ElevationQueue me={me.memberId} />
      </div>
    </section>
  );
}

/** Drill-down into one role: members by masked id, their refusal counts (cells under 11 suppressed). */
export function RoleDrill({ role }: { role: string }) {
  const q = useGet<AnalyticsDrillReply>(['analytics', 'role', role], `/v1/analytics/decisions/${encodeURIComponent(role)}`);
  if (q.error) return <p className="notice denied">{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading…</p>;
  const d = q.data;
  return (
    <section aria-labelledby="drill-title" data-ready="drill">
      <h1 id="drill-title">Refusals: {d.role}</h1>
      <p><Link href="/supervisor">Back to analytics</Link></p>
      {d.members.length === 0 ? <p className="muted">No member of this role has a count of {d.minCell} or more.</p> : (
        <table>
          <caption className="sr-only">Refusals by member (masked ids)</caption>
          <thead><tr><th scope="col">Member (masked)</th><th scope="col">Step-ups asked</th><th scope="col">Other refusals</th></tr></thead>
          <tbody>{d.members.map((m) => <tr key={m.maskedId}><td className="hash">{m.maskedId}</td><td><Count n={m.stepUps} min={d.minCell} /></td><td><Count n={m.denials} min={d.minCell} /></td></tr>)}</tbody>
        </table>
      )}
      <p>Members with only small counts: <Count n={d.suppressedMembers} min={d.minCell} /></p>
    </section>
  );
}
