/**
 * The audit event as the sealer, the verifier and the export see it, and its leaf bytes (R-AUDIT-1,
 * R-AUDIT-3). The leaf is the UTF-8 of the RFC 8785 (JCS) canonical JSON of every field of the event,
 * tenantId and seq included, so that an event cannot be moved to another tenant or position.
 */
import canonicalize from 'canonicalize';
import type { AuditEventInput, PhiScope, PrincipalKind } from '@ward/contracts';
import { hashLeafText, toBase64Url } from './hashes.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Every column of an `audit_events` row, camelCase, with `seq` assigned. */
export interface SealableEvent {
  id: string;
  tenantId: string;
  /** Per-tenant, 1-based: the event is leaf `seq - 1` of the tenant's tree. */
  seq: number;
  /** As the database returns it; never re-parsed, so the verifier sees the same bytes. */
  occurredAt: string;
  actorKind: PrincipalKind;
  actorId: string;
  onBehalfOf: string | null;
  sessionId: string | null;
  deviceId: string | null;
  sourceIp: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  phiScope: PhiScope | null;
  decision: 'allow' | 'deny' | null;
  policyIds: string[];
  reasons: string[];
  purpose: string | null;
  /** The encrypted justification as base64url of the ciphertext bytes; the plaintext never enters a leaf. */
  justificationEnc: string | null;
  outcome: AuditEventInput['outcome'];
  metadata: { [key: string]: JsonValue } | null;
}

/** A sealed event as stored: its fields plus the hashes the sealer wrote beside them. */
export interface SealedEvent extends SealableEvent {
  leafHash: Uint8Array;
  chainHash: Uint8Array;
}

export const FIRST_SEQ = 1;

/** The field names in JCS order (RFC 8785 §3.2.3: sorted by UTF-16 code units; all are ASCII). */
export const LEAF_FIELDS: readonly (keyof SealableEvent)[] = (
  [
    'id', 'tenantId', 'seq', 'occurredAt', 'actorKind', 'actorId', 'onBehalfOf', 'sessionId', 'deviceId',
    'sourceIp', 'action', 'targetType', 'targetId', 'phiScope', 'decision', 'policyIds', 'reasons', 'purpose',
    'justificationEnc', 'outcome', 'metadata',
  ] as const
).slice().sort();

const KEY_PREFIXES = LEAF_FIELDS.map((name, i) => `${i === 0 ? '{' : ','}"${name}":`);

/** Printable ASCII other than `"` and `\`: serialised as itself between quotes (RFC 8785 §3.2.2.2). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jcsString(name: string, value: string): string {
  // Most values (ids, actions, timestamps) need no escaping; JSON.stringify costs more than the test.
  if (PLAIN_ASCII.test(value)) return '"' + value + '"';
  // RFC 8785 §3.2.2.2: strings are I-JSON, so a lone surrogate is an error, not something to escape.
  if (!value.isWellFormed()) throw new TypeError(`${name} is not well-formed Unicode`);
  return JSON.stringify(value);
}

/**
 * JCS of a metadata object. Most metadata is flat: keys and strings of plain ASCII, booleans and
 * whole numbers, which serialise as themselves (keys sorted by UTF-16 code units, as Array#sort
 * does). Anything else goes to the canonicalize package whole, so that the bytes never differ.
 */
function jcsMetadata(value: object): string | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalize(value);
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    const v = (value as Record<string, unknown>)[key];
    let text: string;
    if (typeof v === 'string' && PLAIN_ASCII.test(v)) text = '"' + v + '"';
    else if (typeof v === 'boolean') text = v ? 'true' : 'false';
    else if (typeof v === 'number' && Number.isSafeInteger(v)) text = String(v);
    else return canonicalize(value);
    if (!PLAIN_ASCII.test(key)) return canonicalize(value);
    out += (i === 0 ? '"' : ',"') + key + '":' + text;
  }
  return out + '}';
}

function jcsValue(name: string, value: unknown): string {
  switch (name) {
    case 'seq':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < FIRST_SEQ) {
        throw new TypeError('seq must be a positive safe integer');
      }
      return String(value);
    case 'policyIds':
    case 'reasons':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        throw new TypeError(`${name} must be an array of strings`);
      }
      return '[' + value.map((item: string) => jcsString(name, item)).join(',') + ']';
    case 'metadata': {
      if (value === null) return 'null';
      if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError('metadata must be an object or null');
      const text = jcsMetadata(value);
      if (text === undefined) throw new TypeError('metadata cannot be canonicalised');
      return text;
    }
    default:
      if (value === null) return 'null';
      if (typeof value !== 'string') throw new TypeError(`${name} must be a string or null`);
      return jcsString(name, value);
  }
}

/**
 * JCS of the event's fields, and only those (extra properties such as leafHash are ignored). Equal to
 * `canonicalize(pick(event, LEAF_FIELDS))`, which a test checks; built field by field because the
 * verifier does this once per event and the generic walk costs more than the hash. Throws TypeError
 * on a missing field or a value JSON cannot carry.
 */
export function leafText(event: SealableEvent): string {
  let out = '';
  for (let i = 0; i < LEAF_FIELDS.length; i += 1) {
    const name = LEAF_FIELDS[i]!;
    const value = event[name];
    if (value === undefined) throw new TypeError(`${name} is missing`);
    out += KEY_PREFIXES[i]! + jcsValue(name, value);
  }
  return out + '}';
}

export function leafBytes(event: SealableEvent): Buffer {
  return Buffer.from(leafText(event), 'utf8');
}

/** RFC 9162 leaf hash of the event: SHA-256(0x00 || leafBytes(event)). */
export function eventLeafHash(event: SealableEvent): Buffer {
  return hashLeafText(leafText(event));
}

/** An `audit_events` row as node-postgres returns it (snake_case), with timestamps read as text. */
export interface AuditEventRow {
  id: string;
  tenant_id: string;
  seq: string | number | bigint | null;
  occurred_at: string;
  actor_kind: string;
  actor_id: string;
  on_behalf_of: string | null;
  session_id: string | null;
  device_id: string | null;
  source_ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  phi_scope: string | null;
  decision: string | null;
  policy_ids: string[] | null;
  reasons: string[] | null;
  purpose: string | null;
  justification_enc: Uint8Array | null;
  outcome: string;
  metadata: { [key: string]: JsonValue } | null;
}

/**
 * Maps a row to a SealableEvent. `seq` defaults to the row's (the sealer passes the one it assigns:
 * its rows have none). A timestamp that is not a string means the connection parses timestamps into
 * Date, which would lose the database's exact text: refused rather than re-formatted. The row is read
 * in place, never copied (a spread of a row cost the sealer and the verifier ~5 µs an event).
 */
export function sealableFromRow(row: Omit<AuditEventRow, 'seq'> & { seq?: AuditEventRow['seq'] }, seq: number | string | bigint | null = row.seq ?? null): SealableEvent {
  if (typeof row.occurred_at !== 'string') throw new TypeError('occurred_at must be read as text');
  const seqNumber = typeof seq === 'number' ? seq : seq === null ? Number.NaN : Number(seq);
  if (!Number.isSafeInteger(seqNumber) || seqNumber < FIRST_SEQ) throw new TypeError('seq must be a positive safe integer');
  return {
    id: row.id,
    tenantId: row.tenant_id,
    seq: seqNumber,
    occurredAt: row.occurred_at,
    actorKind: row.actor_kind as PrincipalKind,
    actorId: row.actor_id,
    onBehalfOf: row.on_behalf_of,
    sessionId: row.session_id,
    deviceId: row.device_id,
    sourceIp: row.source_ip === null ? null : String(row.source_ip),
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    phiScope: row.phi_scope as PhiScope | null,
    decision: row.decision as SealableEvent['decision'],
    policyIds: row.policy_ids ?? [],
    reasons: row.reasons ?? [],
    purpose: row.purpose,
    justificationEnc: row.justification_enc === null ? null : toBase64Url(row.justification_enc),
    outcome: row.outcome as SealableEvent['outcome'],
    metadata: row.metadata,
  };
}
