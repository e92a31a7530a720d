import type { CallQueueReply, MeReply } from '@ward/contracts';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import { describeError } from '../status.tsx';

export const queueKey = ['calls', 'queue'] as const;

/** R-UX-1: the agent's queue of recent calls; each opens its screen pop at /agent/calls/<id>. */
export function CallQueue({ me }: { me: MeReply }) {
  const managed = me.device?.posture === 'managed';
  const q = useGet<CallQueueReply>(queueKey, managed ? '/v1/calls?limit=50' : null);
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Call queue</h1>
      {q.error && <p className="notice denied">{describeError(q.error).text}</p>}
      {q.data && (
        <table className="queue">
          <caption className="sr-only">Recent calls, newest first</caption>
          <thead><tr><th scope="col">Started</th><th scope="col">Direction</th><th scope="col">Handled by</th><th scope="col">Scope</th><th scope="col">Call</th></tr></thead>
          <tbody>
            {q.data.calls.map((c) => (
              <tr key={c.id}>
                <td>{new Date(c.startedAt).toLocaleString()}</td>
                <td>{c.direction}</td>
                <td>{c.handledBy}</td>
                <td>{c.phiScope}</td>
                <td><Link href={`/agent/calls/${c.id}`} onClick={() => performance.mark('screen-pop-start')}>Open call {c.id.slice(0, 8)}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
