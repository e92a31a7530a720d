/** Synthetic audit events for the audit module's tests and benchmark (no PHI: identifiers only). */
import { CHAIN_GENESIS, chainNext } from './hashes.ts';
import { eventLeafHash, type SealableEvent, type SealedEvent } from './event.ts';

const ACTOR_KINDS = ['human', 'ai_agent', 'service', 'ai_agent_for_human', 'system'] as const;

function uuid(n: number, salt: number): string {
  const hex = (n * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  return `00000000-0000-4000-8000-${hex}`;
}

export function syntheticEvent(tenantId: string, seq: number): SealableEvent {
  const kind = ACTOR_KINDS[seq % ACTOR_KINDS.length]!;
  const isDenied = seq % 7 === 0;
  return {
    id: uuid(seq, tenantId.length),
    tenantId,
    seq,
    occurredAt: new Date(Date.UTC(2025, 0, 1) + seq * 1000).toISOString(),
    actorKind: kind,
    actorId: uuid(seq % 50, 1),
    onBehalfOf: kind === 'ai_agent_for_human' ? uuid(seq % 40, 2) : null,
    sessionId: uuid(seq % 300, 3),
    deviceId: seq % 3 === 0 ? null : uuid(seq % 90, 4),
    sourceIp: `10.0.${seq % 256}.${(seq >> 8) % 256}`,
    action: seq % 5 === 0 ? 'transcript.read' : 'patient.view',
    targetType: 'patient',
    targetId: uuid(seq % 1000, 5),
    phiScope: 'Healthcare-PHI',
    decision: isDenied ? 'deny' : 'allow',
    policyIds: isDenied ? ['forbid-sud-without-consent'] : ['permit-agent-assigned-patient'],
    reasons: isDenied ? ['no_scope_grant'] : [],
    purpose: 'treatment',
    justificationEnc: seq % 4 === 0 ? Buffer.from(`ciphertext-${seq}`).toString('base64url') : null,
    outcome: isDenied ? 'denied' : 'success',
    metadata: { template: 'screen-pop', count: seq % 13, redacted: true },
  };
}

/** Seals events the way the sealer does: leaf hash, then chain. */
export function sealAll(events: readonly SealableEvent[]): SealedEvent[] {
  let chain: Buffer = CHAIN_GENESIS;
  return events.map((event) => {
    const leafHash = eventLeafHash(event);
    chain = chainNext(chain, leafHash);
    return { ...event, leafHash, chainHash: chain };
  });
}

export function syntheticLog(tenantId: string, count: number): SealedEvent[] {
  return sealAll(Array.from({ length: count }, (_, i) => syntheticEvent(tenantId, i + 1)));
}
