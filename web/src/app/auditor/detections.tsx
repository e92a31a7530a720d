import type { AuditEventItem, DetectionItem as Detection, InvestigationReply as Investigation } from '@ward/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import { describeError, useStatus } from '../status.tsx';
import { EventTable } from './audit-explorer.tsx';

const when = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : '—');
const principal = (d: Detection) => (d.principalId ? `${d.principalKind ?? ''} ${d.principalId.slice(0, 8)}` : '—');

/** R-MON-1: the tenant's detections, newest first, filtered by state and severity (in this screen's memory). */
export function Detections() {
  const [state, setState] = useState('open');
  const [severity, setSeverity] = useState('');
  const q = new URLSearchParams({ limit: '200', ...(state ? { state } : {}), ...(severity ? { severity } : {}) }).toString();
  const list = useGet<{ detections: Detection[] }>(['detections', q], `/v1/detections?${q}`);
  return (
    <section aria-labelledby="detections-title">
      <h1 id="detections-title">Detections</h1>
      <div className="filters" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor="d-state">State</label>
          <select id="d-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">any</option><option value="open">open</option><option value="acknowledged">acknowledged</option><option value="closed">closed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="d-severity">Severity</label>
          <select id="d-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">any</option><option value="low">low</option><option value="medium">medium</option><option value="high">high</option><option value="critical">critical</option>
          </select>
        </div>
      </div>
      {list.error && <p className="notice denied" data-code={describeError(list.error).code}>{describeError(list.error).text}</p>}
      {list.data && list.data.detections.length === 0 && <p data-ready="detections">No detections match.</p>}
      {list.data && list.data.detections.length > 0 && (
        <table className="detections" data-ready="detections">
          <caption className="sr-only">Detections, newest first</caption>
          <thead><tr><th scope="col">Last event</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Principal</th><th scope="col">Events</th><th scope="col">State</th></tr></thead>
          <tbody>
            {list.data.detections.map((d) => (
              <tr key={d.id} data-detection={d.id}>
                <td>{when(d.lastOccurredAt)}</td>
                <td><Link href={`/auditor/detections/${d.id}`}>{d.ruleId}</Link></td>
                <td><span className={`severity ${d.severity}`}>{d.severity}</span></td>
                <td>{principal(d)}</td>
                <td>{d.eventCount}</td>
                <td>{d.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const SUBJECT_PATHS: Record<string, string> = { human: 'members', ai_agent: 'workloads', service: 'workloads' };

/** One detection: its facts and triggering events, triage (detection.triage), and the investigation of its principal (R-MON-2). */
export function DetectionView({ id }: { id: string }) {
  const key = ['detection', id];
  const d = useGet<Detection>(key, `/v1/detections/${id}`);
  const client = useQueryClient();
  const status = useStatus();
  const [note, setNote] = useState('');
  const triage = async (suffix: 'acknowledge' | 'close', body: object) => {
    try {
      const next = await api<Detection>('POST', `/v1/detections/${id}/${suffix}`, body);
      client.setQueryData(key, next);
      await client.invalidateQueries({ queryKey: ['detections'] });
      status.say(`Detection ${next.state}.`);
    } catch (e) {
      status.fail(e);
    }
  };
  const close = (e: FormEvent) => {
    e.preventDefault();
    void triage('close', { note });
  };
  if (d.error) return <p className="notice denied" data-code={describeError(d.error).code}>{describeError(d.error).text}</p>;
  if (!d.data) return <p>Loading the detection…</p>;
  const x = d.data;
  const facts: Array<[string, string | null]> = [
    ['Rule', x.ruleId], ['Summary', x.summary], ['Severity', x.severity], ['State', x.state], ['Principal', x.principalId ? `${x.principalKind ?? ''} ${x.principalId}` : null],
    ['Session', x.sessionId], ['Device', x.deviceId], ['First event', when(x.firstOccurredAt)], ['Last event', when(x.lastOccurredAt)], ['Events', String(x.eventCount)],
    ['Acknowledged', x.acknowledgedAt ? `${when(x.acknowledgedAt)} by ${x.acknowledgedBy ?? ''}` : null], ['Closed', x.closedAt ? `${when(x.closedAt)} by ${x.closedBy ?? ''}` : null], ['Note', x.note],
  ];
  return (
    <section aria-labelledby="detection-title">
      <h1 id="detection-title">Detection <span className="muted">{x.ruleId}</span></h1>
      <p><Link href="/auditor/detections">Back to the detections</Link></p>
      <dl className="event" data-state={x.state}>{facts.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v ?? '—'}</dd></div>)}</dl>
      <h2>Triggering events</h2>
      <p className="seqs">{x.eventSeqs.map((s) => <Link key={s} href={`/auditor/events/${s}`}>{s}</Link>)}</p>
      {x.state !== 'closed' && (
        <div className="triage">
          <h2>Triage</h2>
          {x.state === 'open' && <button type="button" onClick={() => void triage('acknowledge', {})}>Acknowledge</button>}
          <form onSubmit={close} aria-label="Close the detection">
            <label htmlFor="close-note">Closing note (no PHI)</label>
            <textarea id="close-note" required maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit">Close detection</button>
          </form>
        </div>
      )}
      {x.principalId && x.principalKind && SUBJECT_PATHS[x.principalKind] && <PrincipalTrail path={`/v1/investigations/${SUBJECT_PATHS[x.principalKind]}/${x.principalId}`} />}
    </section>
  );
}

/** Everything the detection's principal did, in order: counts, patients reached (initials only), events. */
function PrincipalTrail({ path }: { path: string }) {
  const [open, setOpen] = useState(false);
  const inv = useGet<Investigation>(['investigation', path], open ? `${path}?limit=200` : null);
  return (
    <section aria-labelledby="principal-title">
      <h2 id="principal-title">Investigation</h2>
      {!open && <button type="button" onClick={() => setOpen(true)}>Everything this principal did</button>}
      {inv.error && <p className="notice denied">{describeError(inv.error).text}</p>}
      {inv.data && (
        <div data-ready="investigation">
          <p>
            {inv.data.summary.events} events ({inv.data.summary.allowed} allowed, {inv.data.summary.denied} denied, {inv.data.summary.failed} failed)
            from {when(inv.data.summary.firstAt)} to {when(inv.data.summary.lastAt)}; {inv.data.patients.length} {inv.data.patients.length === 1 ? 'patient' : 'patients'} reached{inv.data.isTruncated ? '; the first 200 events shown' : ''}.
          </p>
          {inv.data.patients.length > 0 && (
            <ul className="patients-reached" aria-label="Patients reached">
              {inv.data.patients.map((p) => <li key={p.id}>{p.label ?? 'out of your scope'} <span className="muted">{p.id.slice(0, 8)}: {p.events} events, {p.denied} denied</span></li>)}
            </ul>
          )}
          <EventTable events={inv.data.events} caption="This principal's events, in order" />
        </div>
      )}
    </section>
  );
}
