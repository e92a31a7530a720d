import type { MeReply, WorkloadKeyRequestItem, WorkloadKeyRequestsReply, WorkloadsReply, WorkloadView } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, day, Failed, minute, Said, type Line } from './kit.tsx';

/**
 * R-WORK-1, R-WORK-2, R-UX-1: workloads (AI agents, tools, jobs) and their keys. A key is rotated with
 * overlap: add the new public key, let the workload sign with it, revoke the old one. Keys are shown
 * by id and RFC 7638 thumbprint only; a private key is refused by name. Registering and disabling a
 * workload and its PHI scopes stay with `ward workload`. The server asks for a recent passkey
 * verification (policy.manage, R-SESS-3). A new key for a workload with a PHI scope takes two people
 * (R-AUTHZ-5, R-ELEV-1): it is proposed here, the row says who must approve next, and a second Owner
 * or Admin approves it in their own console; other key changes, and every revocation, apply at once.
 */
const short = (thumbprint: string) => `${thumbprint.slice(0, 10)}…`;

function AddKey({ w }: { w: WorkloadView }) {
  const twoPerson = w.keysNeedApproval;
  const [text, setText] = useState('');
  const [line, setLine] = useState<Line>({ text: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let jwk: unknown;
    try {
      jwk = JSON.parse(text);
    } catch {
      setLine({ text: 'The key is not JSON: paste one public JWK.', code: 'WORKLOAD_KEYS_INVALID' });
      return;
    }
    void attempt(setLine, async () => {
      if (twoPerson) {
        await api<WorkloadKeyRequestItem>('POST', `/v1/workloads/${w.clientId}/key-requests`, { jwk });
        setText('');
        return `Key proposed for ${w.name}. Next: a second Owner or Admin approves it; until then the key is not added.`;
      }
      const r = await api<WorkloadView>('POST', `/v1/workloads/${w.clientId}/keys`, { jwk });
      setText('');
      return `Key added to ${r.name}: ${r.keys.length} keys. Next: ${r.next ?? 'nothing waits'}.`;
    }, ['workloads', 'workload-key-requests']);
  };
  const id = `key-${w.clientId}`;
  return (
    <form onSubmit={submit} className="add-key">
      <label htmlFor={id}>New public key of {w.name} (one JWK, JSON)</label>
      <textarea id={id} rows={2} required maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <button type="submit">{twoPerson ? 'Propose key' : 'Add key'}</button>
      <Said line={line} />
    </form>
  );
}

/** Open key proposals with who approves next; Approve for anyone but the proposer. */
function KeyRequests({ me, w }: { me: MeReply; w: WorkloadView }) {
  const q = useGet<WorkloadKeyRequestsReply>(['workload-key-requests'], '/v1/workload-key-requests');
  const [line, setLine] = useState<Line>({ text: '' });
  const act = (r: WorkloadKeyRequestItem, verb: 'approve' | 'cancel') => void attempt(setLine, async () => {
    await api<WorkloadKeyRequestItem>('POST', `/v1/workload-key-requests/${r.id}/${verb}`, {});
    return verb === 'approve' ? `Approved: ${w.name} now has ${r.keys.length} keys.` : 'Cancelled: no key was added.';
  }, ['workloads', 'workload-key-requests']);
  const open = (q.data?.requests ?? []).filter((r) => r.clientId === w.clientId && r.state === 'pending');
  if (open.length === 0) return <Said line={line} />;
  return (
    <div data-key-request={w.name}>
      {open.map((r) => {
        const mine = r.proposedBy === me.memberId;
        const added = r.keys.filter((k) => !w.keys.some((o) => o.thumbprint === k.thumbprint));
        return (
          <div key={r.id} className="notice">
            Proposed: {added.map((k) => `${k.kid ?? '(no kid)'} ${short(k.thumbprint)}`).join(', ')} by {mine ? 'you' : 'another Owner or Admin'}; open until {minute(r.expiresAt)}.
            <div className="muted">Next: {r.nextApprover}</div>
            {mine
              ? <span className="muted">You proposed it: someone else approves</span>
              : <button type="button" onClick={() => act(r, 'approve')} aria-label={`Approve the new key of ${w.name}`}>Approve</button>}
            {' '}<button type="button" className="secondary" onClick={() => act(r, 'cancel')} aria-label={`Cancel the new key of ${w.name}`}>Cancel</button>
          </div>
        );
      })}
      <Said line={line} />
    </div>
  );
}

export function Workloads({ me }: { me: MeReply }) {
  const q = useGet<WorkloadsReply>(['workloads'], '/v1/workloads');
  const [line, setLine] = useState<Line>({ text: '' });
  const revoke = (w: WorkloadView, thumbprint: string) => void attempt(setLine, async () => {
    const r = await api<WorkloadView>('POST', `/v1/workloads/${w.clientId}/keys/${thumbprint}/revoke`, undefined);
    return `Key ${short(thumbprint)} of ${r.name} revoked: assertions it signs are refused from the next token request.`;
  }, ['workloads']);
  if (q.error) return <Failed error={q.error} queryKey="workloads" />;
  if (!q.data) return <p aria-busy="true">Loading workloads…</p>;
  if (q.data.workloads.length === 0) return <p className="muted">No workload is registered. Register one with <code>ward workload create</code>.</p>;
  return (
    <div data-ready="workloads">
      <table className="workloads">
        <caption className="sr-only">Workloads and their keys</caption>
        <thead><tr><th scope="col">Workload</th><th scope="col">Status, PHI scopes</th><th scope="col">Keys</th><th scope="col">Change</th></tr></thead>
        <tbody>
          {q.data.workloads.map((w) => (
            <tr key={w.clientId} data-workload={w.name}>
              <th scope="row">{w.name}<div className="muted">{w.kind === 'ai_agent' ? 'AI agent' : 'service'}, {w.role}</div><div className="muted"><code>{w.clientId}</code></div></th>
              <td>{w.status}<div className="muted">{w.phiScopes.join(', ') || 'no PHI scope'}</div>
                <div className="muted">{w.lastUsedAt ? `last used ${day(w.lastUsedAt)}` : 'never used'}{w.keysRotatedAt ? `, keys changed ${day(w.keysRotatedAt)}` : ''}</div></td>
              <td>
                {w.role === 'ScimProvisioner' ? <span className="muted">Bearer tokens (SCIM settings)</span> : (
                  <ul className="keys">
                    {w.keys.map((k) => (
                      <li key={k.thumbprint}>
                        <code title={k.thumbprint}>{k.kid ?? '(no kid)'} {k.alg} {short(k.thumbprint)}</code>{' '}
                        {w.status === 'active' && w.keys.length > 1 && (
                          <button type="button" className="secondary" onClick={() => revoke(w, k.thumbprint)} aria-label={`Revoke key ${k.kid ?? short(k.thumbprint)} of ${w.name}`}>Revoke</button>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {w.next && <div className="muted">Next: {w.next}</div>}
                {w.phiScopes.length > 0 && <KeyRequests me={me} w={w} />}
              </td>
              <td>{w.status === 'active' && w.role !== 'ScimProvisioner' ? <AddKey w={w} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Said line={line} />
    </div>
  );
}
