import type { DeviceItem, DeviceRevoked, DevicesReply, MeReply, MembersReply } from '@ward/contracts';
import { useState } from 'react';
import { api } from '../../api.ts';
import { queryClient, useGet } from '../data.ts';
import { describeError } from '../status.tsx';

/**
 * R-SESS-4, R-UX-1: devices and their posture. Each device shows the posture decisions use now
 * (managed, unmanaged, unknown: a silent posture source ages to unknown), where it came from and the
 * last report's checks. Revoke ends the device's sessions and locks it; a second Owner or Admin
 * unlocks it in the Locks card. An unmanaged or unhealthy device can sign in but reaches no PHI.
 */
type Line = { text: string; code?: string };
const CHECKS = [['diskEncrypted', 'disk encrypted'], ['osCurrent', 'OS current'], ['healthy', 'healthy']] as const;

function checksOf(d: DeviceItem): string {
  if (!d.checks) return '—';
  const failing = CHECKS.filter(([k]) => !d.checks![k]).map(([, label]) => `not ${label}`);
  return [d.checks.managed ? 'managed' : 'not managed', ...(failing.length ? failing : ['all checks pass'])].join(', ');
}

export function Devices({ me }: { me: MeReply }) {
  const members = useGet<MembersReply>(['members'], '/v1/members');
  const [memberId, setMemberId] = useState('');
  const q = useGet<DevicesReply>(['devices', memberId], memberId ? `/v1/members/${memberId}/devices` : '/v1/devices');
  const [line, setLine] = useState<Line>({ text: '' });
  const emails = new Map((members.data?.members ?? []).map((m) => [m.id, m.email]));
  const revoke = (d: DeviceItem) => void (async () => {
    setLine({ text: '' });
    try {
      const r = await api<DeviceRevoked>('POST', `/v1/devices/${d.id}/revoke`, {});
      setLine({ text: `Revoked: ${r.revokedSessions} session${r.revokedSessions === 1 ? '' : 's'} ended; the device is locked. Next: a second Owner or Admin unlocks it (Locks).` });
      await Promise.all(['devices', 'locks', 'members'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
    } catch (e) {
      setLine(describeError(e));
    }
  })();
  if (q.error) return <p className="notice denied" data-code={describeError(q.error).code}>{describeError(q.error).text}</p>;
  if (!q.data) return <p aria-busy="true">Loading devices…</p>;
  return (
    <div data-ready="devices">
      <label htmlFor="devices-member">Member</label>
      <select id="devices-member" value={memberId} onChange={(e) => setMemberId(e.target.value)}>
        <option value="">Everyone</option>
        {(members.data?.members ?? []).map((m) => <option key={m.id} value={m.id}>{m.email}</option>)}
      </select>
      <table className="devices">
        <caption className="sr-only">Devices and their posture</caption>
        <thead><tr><th scope="col">Member</th><th scope="col">Device</th><th scope="col">Posture</th><th scope="col">Source, checks</th><th scope="col">Last seen</th><th scope="col">Sessions</th><th scope="col">Action</th></tr></thead>
        <tbody>
          {q.data.devices.map((d) => (
            <tr key={d.id} data-device={d.id} data-posture={d.posture}>
              <td>{emails.get(d.memberId) ?? `…${d.memberId.replace(/-/g, '').slice(-4)}`}</td>
              <td>…{d.id.replace(/-/g, '').slice(-8)}{d.mdmBound ? <div className="muted">bound to MDM</div> : null}</td>
              <td>{d.posture}</td>
              <td>{d.postureSource ?? '—'}<div className="muted">{checksOf(d)}</div></td>
              <td>{d.lastSeenAt ? `${d.lastSeenAt.slice(0, 16).replace('T', ' ')} UTC` : '—'}</td>
              <td>{d.liveSessions}</td>
              <td>
                {d.locked ? <span className="muted">Locked: a second Owner or Admin unlocks it</span>
                  : d.memberId === me.memberId ? <span className="muted">Your own device</span>
                    : <button type="button" className="secondary" onClick={() => revoke(d)} aria-label={`Revoke device …${d.id.replace(/-/g, '').slice(-8)} of ${emails.get(d.memberId) ?? 'the member'}`}>Revoke</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {line.text && <p className={line.code ? 'notice denied' : 'notice ok'} role="status" data-code={line.code}>{line.text}</p>}
    </div>
  );
}
