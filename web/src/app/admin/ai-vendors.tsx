import type { AiVendorListReply, AiVendorView } from '@ward/contracts';
import { useState } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { attempt, Failed, Said, type Line } from './kit.tsx';

/**
 * R-AI-3, R-AUTHZ-5, R-UX-1: AI vendors and their BAAs. PHI goes only to a vendor whose BAA is
 * active; a BAA attested with `ward ai vendor add` waits for a second Owner or Admin (never its
 * attester), who approves it here (policy.manage, with its step-up). No API key is ever sent here.
 */
const STATE: Record<AiVendorView['baaState'], string> = {
  none: 'No BAA: de-identified input only', pending: 'Awaiting approval', active: 'Active', expired: 'Expired: de-identified input only',
  'not-yet-effective': 'Not yet effective',
};

function expiresSoon(v: AiVendorView, now: Date): boolean {
  return v.baaExpires !== null && new Date(`${v.baaExpires}T00:00:00Z`).getTime() - now.getTime() < 30 * 86_400_000;
}

export function AiVendors({ me, name }: { me: string; name: (id: string) => string }) {
  const q = useGet<AiVendorListReply>(['ai-vendors'], '/v1/ai/vendors');
  const [line, setLine] = useState<Line>({ text: '' });
  const approve = (v: AiVendorView) => void attempt(setLine, async () => {
    const r = await api<AiVendorView>('POST', `/v1/ai/vendors/${encodeURIComponent(v.name)}/baa/approve`, {});
    return `BAA of ${r.name}: ${STATE[r.baaState].toLowerCase()}.`;
  }, ['ai-vendors']);
  if (q.error) return <Failed error={q.error} queryKey="ai-vendors" />;
  if (!q.data) return <p aria-busy="true">Loading AI vendors…</p>;
  const now = new Date();
  return (
    <div data-ready="ai-vendors">
      <p className="muted">The built-in local provider serves {q.data.localFor.length ? q.data.localFor.join(', ') : 'no purpose'}. Vendors are added with <code>ward ai vendor add</code>.</p>
      {q.data.vendors.length === 0 ? <p className="muted">No AI vendor is registered.</p> : (
        <table className="vendors">
          <caption className="sr-only">AI vendors and their BAAs</caption>
          <thead><tr><th scope="col">Vendor</th><th scope="col">Active for</th><th scope="col">BAA</th><th scope="col">Next</th></tr></thead>
          <tbody>
            {q.data.vendors.map((v) => (
              <tr key={v.name} data-vendor={v.name}>
                <th scope="row">{v.name}<div className="muted">{v.model}</div></th>
                <td>{v.activeFor.join(', ') || '—'}</td>
                <td data-baa={v.baaState}>
                  {STATE[v.baaState]}
                  {v.baaEffective && <div className="muted">{v.baaEffective} to {v.baaExpires ?? '—'}{v.baaState === 'active' && expiresSoon(v, now) ? ' (expires within 30 days)' : ''}</div>}
                  {v.baaAttestedBy && <div className="muted">attested by {name(v.baaAttestedBy)}{v.baaApprovedBy ? `, approved by ${name(v.baaApprovedBy)}` : ''}</div>}
                </td>
                <td>
                  {v.baaState !== 'pending' ? '—' : v.baaAttestedBy === me ? <span className="muted">Next: a second Owner or Admin (not you, the attester)</span> : (
                    <><span className="muted">Next: a second Owner or Admin (you may)</span>{' '}
                      <button type="button" onClick={() => approve(v)} aria-label={`Approve the BAA of ${v.name}`}>Approve</button></>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Said line={line} />
    </div>
  );
}
