import type { WorkloadsReply, WorkloadView } from '@ward/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, day, Failed, Said, type Line } from './kit.tsx';

/**
 * R-WORK-1, R-WORK-2, R-UX-1: workloads (AI agents, tools, jobs) and their keys. A key is rotated with
 * overlap: add the new public key, let the workload sign with it, revoke the old one. Keys are shown
 * by id and RFC 7638 thumbprint only; a private key is refused by name. Registering and disabling a
 * workload and its PHI scopes stay with `ward workload`. The server asks for a recent passkey
 * verification (policy.manage); key changes apply at once, with no second approval.
 */
const short = (thumbprint: string) => `${thumbprint.slice(0, 10)}…`;

function AddKey({ w }: { w: WorkloadView }) {
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
      const r = await api<WorkloadView>('POST', `/v1/workloads/${w.clientId}/keys`, { jwk });
      setText('');
      return `Key added to ${r.name}: ${r.keys.length} keys. Next: ${r.next ?? 'nothing waits'}.`;
    }, ['workloads']);
  };
  const id = `key-${w.clientId}`;
  return (
    <form onSubmit={submit} className="add-key">
      <label htmlFor={id}>New public key of {w.name} (one JWK, JSON)</label>
      <textarea id={id} rows={2} required maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <button type="submit">Add key</button>
      <Said line={line} />
    </form>
  );
}

export function Workloads() {
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
