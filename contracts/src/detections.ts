import { Type, type Static } from '@sinclair/typebox';
import { AuditEventItem as AuditEventSchema } from './dashboard.ts';

/**
 * Replies of the detections and investigations routes (R-MON-1, R-MON-2) the dashboard reads: the
 * server validates its replies with these schemas and web/ takes its types from them. PHI-free: rule,
 * ids, counts, and a patient's initials at most.
 */
const N = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DetectionItem = Type.Object(
  {
    id: Type.String(), ruleId: Type.String(), severity: Type.String(), principalKind: N(Type.String()), principalId: N(Type.String()),
    sessionId: N(Type.String()), deviceId: N(Type.String()), eventSeqs: Type.Array(Type.Integer()), eventCount: Type.Integer(), triggerSeq: Type.Integer(),
    firstOccurredAt: Type.String(), lastOccurredAt: Type.String(), summary: Type.String(), state: Type.String(), note: N(Type.String()),
    acknowledgedBy: N(Type.String()), acknowledgedAt: N(Type.String()), closedBy: N(Type.String()), closedAt: N(Type.String()), createdAt: Type.String(),
  },
  { additionalProperties: false },
);
export type DetectionItem = Static<typeof DetectionItem>;

export const InvestigationReply = Type.Object(
  {
    subject: Type.Object({ kind: Type.String(), id: Type.String(), principalId: N(Type.String()) }, { additionalProperties: false }),
    summary: Type.Object(
      {
        events: Type.Integer(), allowed: Type.Integer(), denied: Type.Integer(), failed: Type.Integer(), firstAt: N(Type.String()), lastAt: N(Type.String()),
        actions: Type.Array(Type.Object({ action: Type.String(), count: Type.Integer() }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    events: Type.Array(AuditEventSchema),
    isTruncated: Type.Boolean(),
    /** R-MON-2: where the next page of events starts (`?cursor=`); null on the last page. */
    nextCursor: N(Type.String()),
    patients: Type.Array(Type.Object({ id: Type.String(), label: N(Type.String()), events: Type.Integer(), denied: Type.Integer() }, { additionalProperties: false })),
    artifacts: Type.Array(Type.Object({ type: Type.String(), id: Type.String(), events: Type.Integer() }, { additionalProperties: false })),
    sessions: Type.Array(Type.Object({ id: Type.String(), deviceId: N(Type.String()), createdAt: N(Type.String()), revokedAt: N(Type.String()), isSubject: Type.Boolean() }, { additionalProperties: false })),
    devices: Type.Array(Type.Object({ id: Type.String(), posture: N(Type.String()), lastSeenAt: N(Type.String()) }, { additionalProperties: false })),
    proofs: Type.Optional(Type.Object(
      {
        head: Type.Union([Type.Object({ tenantId: Type.String(), treeSize: Type.Integer(), rootHash: Type.String(), timestamp: Type.String(), keyId: Type.String(), signature: Type.String() }, { additionalProperties: false }), Type.Null()]),
        proofs: Type.Array(Type.Object({ seq: Type.Integer(), leafIndex: Type.Integer(), leafHash: Type.String(), path: Type.Array(Type.String()) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);
export type InvestigationReply = Static<typeof InvestigationReply>;
