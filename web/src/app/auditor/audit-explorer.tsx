import type { AuditEventItem, AuditEventPageReply } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import { describeError } from '../status.tsx';

/** The server's filters (GET /v1/audit/events); kind and decision narrow the page shown. */
interface Filters { actorId: string; action: string; targetType: string; targetId: string; from: string; to: string; actorKind: string; decision: string }
const EMPTY: Filters = { actorId: '', action: '', targetType: '', targetId: '', from: '', to: '', actorKind: '', decision: '' };

function query(f: Filters, afterSeq: number): string {
  const q = new URLSearchParams({ limit: '100', afterSeq: String(afterSeq) });
  for (const k of ['actorId', 'action', 'targetType', 'targetId'] as const) if (f[k].trim()) q.set(k, f[k].trim());
  for (const k of ['from', 'to'] as const) if (f[k]) q.set(k, new Date(f[k]).toISOString());
  return q.toString();
}

const shown = (f: Filters) => (e: AuditEventItem) =>
  (!f.actorKind || e.actorKind === f.actorKind) && (!f.decision || (f.decision === 'allow' ? e.decision === 'allow' : e.decision !== 'allow'));

/**
 * R-MON-2, R-AUDIT-3: the audit explorer. Filters live in this screen's memory, not in its address:
 * a patient handle is not PHI, but an address is no place for what an auditor is looking into.
 */
export function AuditExplorer() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [afterSeq, setAfterSeq] = useState(0);
  const q = query(filters, afterSeq);
  const page = useGet<AuditEventPageReply>(['audit', q], `/v1/audit/events?${q}`);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setAfterSeq(0);
  };
  const field = (k: keyof Filters, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{label}</label>
      <input id={`f-${k}`} type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} spellCheck={false} />
    </div>
  );
  const events = page.data?.events.filter(shown(filters)) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit explorer</h1>
      <form className="filters" onSubmit={apply} aria-label="Filters">
        {field('actorId', 'Actor')}
        <div className="field">
          <label htmlFor="f-actorKind">Kind</label>
          <select id="f-actorKind" value={draft.actorKind} onChange={(e) => setDraft({ ...draft, actorKind: e.target.value })}>
            <option value="">any</option><option value="human">human</option><option value="ai_agent">AI agent</option><option value="service">service</option><option value="system">system</option>
          </select>
        </div>
        {field('action', 'Action')}
        <div className="field">
          <label htmlFor="f-decision">Decision</label>
          <select id="f-decision" value={draft.decision} onChange={(e) => setDraft({ ...draft, decision: e.target.value })}>
            <option value="">any</option><option value="allow">allow</option><option value="deny">deny</option>
          </select>
        </div>
        {field('targetType', 'Target type')}
        {field('targetId', 'Patient handle or target id')}
        {field('from', 'From', 'datetime-local')}
        {field('to', 'To', 'datetime-local')}
        <button type="submit">Apply filters</button>
      </form>
      {page.error && <p className="notice denied" data-code={describeError(page.error).code}>{describeError(page.error).text}</p>}
      <EventTable events={events} caption="Sealed audit events, by sequence number" />
      <p>
        {afterSeq > 0 && <button type="button" onClick={() => setAfterSeq(0)}>First page</button>}{' '}
        {page.data?.nextAfterSeq != null && <button type="button" onClick={() => setAfterSeq(page.data!.nextAfterSeq!)}>Next page</button>}
      </p>
    </section>
  );
}

/** Events as rows; each sealed one links to its page (its proof and Verify). */
export function EventTable({ events, caption }: { events: AuditEventItem[]; caption: string }) {
  return (
    <table className="events">
      <caption className="sr-only">{caption}</caption>
      <thead><tr><th scope="col">Seq</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Decision</th><th scope="col">Outcome</th></tr></thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq ?? e.occurredAt}>
            <td>{e.seq !== null ? <Link href={`/auditor/events/${e.seq}`}>{e.seq}</Link> : 'unsealed'}</td>
            <td>{e.occurredAt.slice(0, 19).replace('T', ' ')}</td>
            <td>{e.actorKind} {e.actorId.slice(0, 8)}</td>
            <td>{e.action}</td>
            <td>{e.targetType ?? ''} {e.targetId?.slice(0, 8) ?? ''}</td>
            <td>{e.decision ?? ''}</td>
            <td>{e.outcome}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
