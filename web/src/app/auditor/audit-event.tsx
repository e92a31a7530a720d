import type { AuditEventPageReply, AuditProofReply, MeReply } from '@ward/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useGet } from '../data.ts';
import { Link } from '../router.tsx';
import { describeError } from '../status.tsx';
import { EventTable } from './audit-explorer.tsx';
import { verifyProof, type ProofCheck } from './verify-proof.ts';

/** One sealed event, its inclusion proof, and "Verify" (checked in this browser, R-AUDIT-3). */
export function AuditEvent({ seq }: { seq: string }) {
  const n = Number(seq);
  const page = useGet<AuditEventPageReply>(['audit-event', n], Number.isSafeInteger(n) && n > 0 ? `/v1/audit/events?afterSeq=${n - 1}&limit=1` : null);
  const proof = useGet<AuditProofReply>(['audit-proof', n], Number.isSafeInteger(n) && n > 0 ? `/v1/audit/events/${n}/proof` : null);
  const me = useQueryClient().getQueryData<MeReply>(['me']);
  const [check, setCheck] = useState<ProofCheck | { ok: false; reason: 'ERROR' }>();
  const event = page.data?.events.find((e) => e.seq === n);
  const verify = async () => {
    try {
      const jwks = (await (await fetch('/.well-known/ward-audit-keys', { credentials: 'omit' })).json()) as { keys: Array<{ kid: string; x: string }> };
      setCheck(await verifyProof(proof.data!, { tenantId: me?.tenant.id ?? '', keys: jwks.keys }));
    } catch {
      setCheck({ ok: false, reason: 'ERROR' });
    }
  };
  return (
    <section aria-labelledby="event-title">
      <h1 id="event-title">Audit event {seq}</h1>
      <p><Link href="/auditor">Back to the explorer</Link></p>
      {page.error && <p className="notice denied">{describeError(page.error).text}</p>}
      {event && (
        <dl className="event">
          {([['When', event.occurredAt], ['Actor', `${event.actorKind} ${event.actorId}`], ['On behalf of', event.onBehalfOf], ['Session', event.sessionId], ['Device', event.deviceId],
            ['Action', event.action], ['Target', `${event.targetType ?? ''} ${event.targetId ?? ''}`], ['PHI scope', event.phiScope], ['Decision', event.decision],
            ['Policies', event.policyIds.join(', ')], ['Reasons', event.reasons.join(', ')], ['Purpose', event.purpose], ['Justification given', event.hasJustification ? 'yes' : 'no'], ['Outcome', event.outcome]] as Array<[string, string | null]>)
            .map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v ?? '—'}</dd></div>)}
        </dl>
      )}
      {event && <Investigation sessionId={event.sessionId} actorId={event.actorId} />}
      <h2>Inclusion proof</h2>
      {proof.error && <p className="notice">{describeError(proof.error).text}</p>}
      {proof.data && (
        <>
          <dl className="proof">
            <div><dt>Leaf hash</dt><dd className="hash">{proof.data.leafHash}</dd></div>
            <div><dt>Leaf index</dt><dd>{proof.data.leafIndex}</dd></div>
            <div><dt>Tree size</dt><dd>{proof.data.head.treeSize}</dd></div>
            <div><dt>Root hash</dt><dd className="hash">{proof.data.head.rootHash}</dd></div>
            <div><dt>Signed</dt><dd>{proof.data.head.timestamp} by key {proof.data.head.keyId}</dd></div>
            <div><dt>Audit path</dt><dd><ol className="hash">{proof.data.proof.map((h, i) => <li key={i}>{h}</li>)}</ol></dd></div>
          </dl>
          <button type="button" onClick={() => void verify()}>Verify</button>
          {check && (
            <p id="verify-result" className={check.ok ? 'notice ok' : 'notice denied'} data-result={check.ok ? 'verified' : check.reason}>
              {check.ok ? `Verified in this browser: the event is in the tree of ${check.treeSize} events whose head key ${check.keyId} signed.` : `Not verified: ${check.reason}.`}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * R-MON-2: investigation from one event: everything its session, or its actor, did, in order
 * (sealed events, first 200). The ids stay in this screen's memory, not in the address.
 */
function Investigation({ sessionId, actorId }: { sessionId: string | null; actorId: string }) {
  const [by, setBy] = useState<'session' | 'actor'>();
  const q = by === 'session' && sessionId ? `sessionId=${encodeURIComponent(sessionId)}` : by === 'actor' ? `actorId=${encodeURIComponent(actorId)}` : null;
  const trail = useGet<AuditEventPageReply>(['audit-trail', q], q ? `/v1/audit/events?${q}&limit=200` : null);
  return (
    <section aria-labelledby="investigation-title">
      <h2 id="investigation-title">Investigation</h2>
      <p>
        {sessionId && <button type="button" onClick={() => setBy('session')}>Everything this session did</button>}{' '}
        <button type="button" onClick={() => setBy('actor')}>Everything this actor did</button>
      </p>
      {trail.error && <p className="notice denied">{describeError(trail.error).text}</p>}
      {trail.data && <EventTable events={trail.data.events} caption={by === 'session' ? "This session's events, in order" : "This actor's events, in order"} />}
    </section>
  );
}
