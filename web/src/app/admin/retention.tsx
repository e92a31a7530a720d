import {
  shortensRetention, type LegalHoldsReply, type LegalHoldView, type MeReply, type RetentionChangeRequestItem, type RetentionChangeRequestsReply,
  type RetentionPolicyView, type RetentionReply,
} from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, day, Failed, minute, Said, shortId, type Line } from './kit.tsx';
import { PendingChanges } from './pending-changes.tsx';

/**
 * R-DATA-5, R-UX-1: retention and legal holds. The policy per artifact (what happens after how many
 * days; recordings are only deleted) and the holds that suspend it for a patient or a call. A hold
 * names its target by internal id (shown by its last four characters) and a matter reference: no
 * patient's field reaches this screen. Lengthening a period and placing a hold apply at once; a
 * change that deletes sooner and a hold's release are proposed here and applied only when a second
 * Owner or Admin approves them (R-AUTHZ-5), shown to the others with Approve and Refuse. Everything
 * is audited; the server asks for a recent passkey verification (policy.manage).
 */
const ARTIFACT_LABEL: Record<RetentionPolicyView['artifact'], string> = {
  recordings: 'Call recordings', transcripts: 'Transcripts', ai_drafts: 'AI drafts and summaries', case_notes: 'Case notes',
};

function PolicyRow({ p }: { p: RetentionPolicyView }) {
  const [action, setAction] = useState<'delete' | 'deidentify'>(p.action ?? 'delete');
  const [afterDays, setAfterDays] = useState<number>(p.afterDays ?? 2190);
  const [line, setLine] = useState<Line>({ text: '' });
  const save = () => void attempt(setLine, async () => {
    const current = p.action && p.afterDays !== null ? { action: p.action, afterDays: p.afterDays } : null;
    const done = `${ARTIFACT_LABEL[p.artifact]}: ${action === 'delete' ? 'deleted' : 'de-identified'} after ${afterDays} days`;
    if (shortensRetention(current, { action, afterDays })) {
      await api<RetentionChangeRequestItem>('POST', `/v1/retention/policies/${p.artifact}/requests`, { action, afterDays });
      return `Proposed: ${done}. It deletes sooner than now, so a second Owner or Admin approves it here; until then the current policy stays.`;
    }
    await api<RetentionPolicyView>('PUT', `/v1/retention/policies/${p.artifact}`, { action, afterDays });
    return `${done}. Applies at once: keeping longer needs no second approval.`;
  }, ['retention', 'retention-requests']);
  const id = `retention-${p.artifact}`;
  return (
    <tr data-artifact={p.artifact}>
      <th scope="row">{ARTIFACT_LABEL[p.artifact]}</th>
      <td>{p.action ? `${p.action === 'delete' ? 'Delete' : 'De-identify'} after ${p.afterDays} days` : <span className="muted">Kept (no policy)</span>}
        {p.updatedAt && <div className="muted">set {day(p.updatedAt)}</div>}</td>
      <td>
        <label htmlFor={`${id}-action`} className="sr-only">Action for {ARTIFACT_LABEL[p.artifact]}</label>
        <select id={`${id}-action`} value={action} onChange={(e) => setAction(e.target.value as typeof action)}>
          <option value="delete">Delete</option>
          {p.artifact !== 'recordings' && <option value="deidentify">De-identify</option>}
        </select>{' '}
        <label htmlFor={`${id}-days`} className="sr-only">Days before {ARTIFACT_LABEL[p.artifact]} are retired</label>
        <input id={`${id}-days`} type="number" min={1} max={36500} value={afterDays} onChange={(e) => setAfterDays(Number(e.target.value))} />{' '}
        <button type="button" onClick={save} aria-label={`Save retention for ${ARTIFACT_LABEL[p.artifact]}`}>Save</button>
        <Said line={line} />
      </td>
    </tr>
  );
}

function PlaceHold() {
  const [targetType, setTargetType] = useState<'call' | 'patient'>('call');
  const [targetId, setTargetId] = useState('');
  const [matter, setMatter] = useState('');
  const [line, setLine] = useState<Line>({ text: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void attempt(setLine, async () => {
      const h = await api<LegalHoldView>('POST', '/v1/retention/holds', { targetType, targetId: targetId.trim(), matter: matter.trim() });
      setTargetId('');
      setMatter('');
      return `Hold placed on ${h.targetType} ${shortId(h.targetId)} for ${h.matter}: retention skips it until two Owners or Admins release it. No second approval to place it.`;
    }, ['legal-holds']);
  };
  return (
    <form className="hold" onSubmit={submit} aria-labelledby="hold-title">
      <h3 id="hold-title">Place a legal hold</h3>
      <div className="row">
        <div>
          <label htmlFor="hold-type">Held record</label>
          <select id="hold-type" value={targetType} onChange={(e) => setTargetType(e.target.value as typeof targetType)}>
            <option value="call">Call</option>
            <option value="patient">Patient</option>
          </select>
        </div>
        <div>
          <label htmlFor="hold-id">Record id (from the request)</label>
          <input id="hold-id" required autoComplete="off" pattern="[0-9a-fA-F\-]{36}" value={targetId} onChange={(e) => setTargetId(e.target.value)} />
        </div>
        <div>
          <label htmlFor="hold-matter">Matter reference</label>
          <input id="hold-matter" required maxLength={200} pattern="[A-Za-z0-9][A-Za-z0-9 ._:\/#\-]*" value={matter} onChange={(e) => setMatter(e.target.value)} placeholder="DOCKET-2026-114" />
        </div>
        <button type="submit">Place hold</button>
      </div>
      <p className="muted">A matter is a docket or ticket reference, never a name or a note about a person.</p>
      <Said line={line} />
    </form>
  );
}

function Holds({ name, asked }: { name: (id: string) => string; asked: Set<string> }) {
  const q = useGet<LegalHoldsReply>(['legal-holds'], '/v1/retention/holds');
  const [line, setLine] = useState<Line>({ text: '' });
  const release = (h: LegalHoldView) => void attempt(setLine, async () => {
    await api<RetentionChangeRequestItem>('POST', `/v1/retention/holds/${h.id}/release-requests`, {});
    return `Release of the hold ${h.matter} proposed: a second Owner or Admin approves it here; until then it holds.`;
  }, ['retention-requests']);
  if (q.error) return <Failed error={q.error} queryKey="legal-holds" />;
  if (!q.data) return <p aria-busy="true">Loading legal holds…</p>;
  const live = q.data.holds.filter((h) => h.releasedAt === null);
  return (
    <div data-ready="legal-holds">
      <p>{live.length} live hold{live.length === 1 ? '' : 's'}; {q.data.holds.length - live.length} released.</p>
      {q.data.holds.length > 0 && (
        <table className="holds">
          <caption className="sr-only">Legal holds</caption>
          <thead><tr><th scope="col">Matter</th><th scope="col">Held</th><th scope="col">Placed</th><th scope="col">State</th></tr></thead>
          <tbody>
            {q.data.holds.map((h) => (
              <tr key={h.id} data-hold={h.matter}>
                <th scope="row">{h.matter}</th>
                <td>{h.targetType} {shortId(h.targetId)}</td>
                <td>{minute(h.placedAt)}<div className="muted">by {name(h.placedBy)}</div></td>
                <td>{h.releasedAt ? <span data-state="released">Released {day(h.releasedAt)} by {name(h.releasedBy ?? '')}</span> : (
                  <span data-state="live">Live {asked.has(h.id) ? <span className="muted">release proposed</span>
                    : <button type="button" className="secondary" onClick={() => release(h)} aria-label={`Propose to release the hold ${h.matter}`}>Release…</button>}</span>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Said line={line} />
    </div>
  );
}

const WHAT: Record<'delete' | 'deidentify', string> = { delete: 'deleted', deidentify: 'de-identified' };

/** Open retention proposals: another Owner or Admin approves or refuses each; its proposer may withdraw it. */
function RetentionRequests({ me, requests }: { me: MeReply; requests: RetentionChangeRequestItem[] }) {
  const [line, setLine] = useState<Line>({ text: '' });
  const what = (r: RetentionChangeRequestItem) => (r.kind === 'policy'
    ? `${ARTIFACT_LABEL[r.artifact!]} ${WHAT[r.action!]} after ${r.afterDays} days (now ${r.replacesDays === null ? 'kept' : `${WHAT[r.replacesAction!]} after ${r.replacesDays} days`})`
    : `Release of the legal hold ${r.holdMatter ?? shortId(r.holdId!)}`);
  const act = (r: RetentionChangeRequestItem, verb: 'approve' | 'refuse') => void attempt(setLine, async () => {
    const d = await api<RetentionChangeRequestItem>('POST', `/v1/retention/requests/${r.id}/${verb}`, {});
    if (d.state === 'approved') return `Approved: ${what(r)}. ${r.kind === 'policy' ? 'Applies from the next retention run.' : 'Retention applies to it again.'}`;
    return d.state === 'cancelled' ? 'Withdrawn: nothing changed.' : 'Refused: nothing changed.';
  }, ['retention-requests', 'retention', 'legal-holds']);
  return (
    <div data-ready="retention-requests">
      <PendingChanges me={me} requests={requests} mark={(r) => ({ 'data-retention-request': r.kind === 'policy' ? r.artifact! : r.holdMatter ?? r.id })}
        what={what} approve={(r) => act(r, 'approve')} approveLabel={() => 'Approve'}
        refuse={(r) => act(r, 'refuse')} refuseLabel={(_r, mine) => (mine ? 'Withdraw' : 'Refuse')} />
      <Said line={line} />
    </div>
  );
}

export function Retention({ me, name }: { me: MeReply; name: (id: string) => string }) {
  const q = useGet<RetentionReply>(['retention'], '/v1/retention/policies');
  const requests = useGet<RetentionChangeRequestsReply>(['retention-requests'], '/v1/retention/requests');
  const open = (requests.data?.requests ?? []).filter((r) => r.state === 'pending');
  return (
    <div>
      {q.error ? <Failed error={q.error} queryKey="retention" /> : !q.data ? <p aria-busy="true">Loading retention…</p> : (
        <table className="retention" data-ready="retention">
          <caption className="sr-only">Retention per artifact</caption>
          <thead><tr><th scope="col">Artifact</th><th scope="col">Now</th><th scope="col">Change</th></tr></thead>
          <tbody>{q.data.policies.map((p) => <PolicyRow key={p.artifact} p={p} />)}</tbody>
        </table>
      )}
      {requests.error ? <Failed error={requests.error} queryKey="retention-requests" /> : <RetentionRequests me={me} requests={open} />}
      <PlaceHold />
      <Holds name={name} asked={new Set(open.flatMap((r) => (r.holdId ? [r.holdId] : [])))} />
    </div>
  );
}
