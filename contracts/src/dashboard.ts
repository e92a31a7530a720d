import { Type, type Static } from '@sinclair/typebox';
import type { MaskableField } from './masks.ts';
import { PhiScopeSchema } from './schemas.ts';

/**
 * Replies of the PHI and audit routes the dashboard reads (R-UX-1): the server validates and filters
 * its replies with these schemas (the only fields that leave), and web/ takes its types from them.
 */
const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CallItem = Type.Object(
  { id: Id, patientId: Nullable(Id), phiScope: PhiScopeSchema, direction: Type.String(), handledBy: Type.String(), startedAt: Type.String(), endedAt: Nullable(Type.String()) },
  closed,
);
export const CallListReply = Type.Object({ calls: Type.Array(CallItem) }, closed);
export type CallListReply = Static<typeof CallListReply>;

/** GET /v1/calls/:id: one call of the queue, for its screen pop; ids and times only (no PHI is decrypted). */
export const CallReply = Type.Object({ ...CallItem.properties, recordingId: Nullable(Id) }, closed);
export type CallReply = Static<typeof CallReply>;

/** GET /v1/calls: the agent's queue, newest first; ids and times only (no PHI is decrypted). */
export const CallQueueReply = Type.Object({ calls: Type.Array(CallReply) }, closed);
export type CallQueueReply = Static<typeof CallQueueReply>;

export const TranscriptReply = Type.Object(
  {
    callId: Id,
    view: Type.Union([Type.Literal('redacted'), Type.Literal('full')]),
    utterances: Type.Array(Type.Object({ seq: Type.Integer(), speaker: Type.String(), startMs: Type.Integer(), endMs: Type.Integer(), text: Type.String() }, closed)),
  },
  closed,
);
export type TranscriptReply = Static<typeof TranscriptReply>;

export const RecordingReply = Type.Object(
  { id: Id, callId: Id, phiScope: PhiScopeSchema, format: Type.String(), durationMs: Type.Integer(), byteLength: Type.Integer() },
  closed,
);
export type RecordingReply = Static<typeof RecordingReply>;

export const CaseNoteListReply = Type.Object(
  {
    view: Type.Union([Type.Literal('masked'), Type.Literal('full')]),
    notes: Type.Array(Type.Object({ id: Id, patientId: Id, callId: Nullable(Id), authorId: Id, createdAt: Type.String(), body: Type.String() }, closed)),
  },
  closed,
);
export type CaseNoteListReply = Static<typeof CaseNoteListReply>;

/** GET /v1/patients/:id and /sensitive: the fields the decision allows; those it masks are named in `masked`. */
export type PatientReply = { id: string; phiScope: string; sex: string | null; state: string | null; masked: string[] } & Partial<Record<Exclude<MaskableField, 'callerPhone'>, string | null>>;

/** One audit event as the investigation API shows it (justification ciphertexts never leave). */
export const AuditEventItem = Type.Object(
  {
    seq: Type.Union([Type.Integer(), Type.Null()]),
    occurredAt: Type.String(),
    actorKind: Type.String(),
    actorId: Type.String(),
    onBehalfOf: Nullable(Type.String()),
    sessionId: Nullable(Type.String()),
    deviceId: Nullable(Type.String()),
    sourceIp: Nullable(Type.String()),
    action: Type.String(),
    targetType: Nullable(Type.String()),
    targetId: Nullable(Type.String()),
    phiScope: Nullable(Type.String()),
    decision: Nullable(Type.String()),
    policyIds: Type.Array(Type.String()),
    reasons: Type.Array(Type.String()),
    purpose: Nullable(Type.String()),
    outcome: Type.String(),
    hasJustification: Type.Boolean(),
    metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  },
  { additionalProperties: false },
);
/** GET /v1/audit/events: sealed events matching the filters, ascending by seq (R-MON-2). */
export const AuditEventPageReply = Type.Object({ events: Type.Array(AuditEventItem), nextAfterSeq: Type.Union([Type.Integer(), Type.Null()]) }, { additionalProperties: false });
export type AuditEventPageReply = Static<typeof AuditEventPageReply>;
export type AuditEventItem = Static<typeof AuditEventItem>;

/** GET /v1/audit/events/:seq/proof: an event's RFC 9162 inclusion proof in a signed tree head (R-AUDIT-3). */
export const AuditProofReply = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    /** base64url SHA-256(0x00 || leaf) of the event's canonical leaf. */
    leafHash: Type.String(),
    leafIndex: Type.Integer({ minimum: 0 }),
    /** base64url hashes, RFC 9162 §2.1.3 order. */
    proof: Type.Array(Type.String()),
    head: Type.Object(
      { tenantId: Type.String(), treeSize: Type.Integer(), rootHash: Type.String(), timestamp: Type.String(), keyId: Type.String(), signature: Type.String() },
      closed,
    ),
  },
  closed,
);
export type AuditProofReply = Static<typeof AuditProofReply>;
