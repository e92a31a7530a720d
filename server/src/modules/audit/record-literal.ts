import { isIP } from 'node:net';
import { PRINCIPAL_KINDS, WardError, type AuditEventInput } from '@ward/contracts';

/**
 * A read's audit record as the text of a ward_audit_record literal (R-AUDIT-2, R-AUTHZ-7; 0112;
 * docs/audit.md "Seventh pass", "Eighth pass"): what the server vouches for with the scope key and the
 * batch function (ward_audit_append_vouched_v4) reads with record_in once the voucher verifies.
 *
 * record_in's rules, as this literal uses them: `(` then the fields separated by commas then `)`; a field
 * with nothing between its commas is NULL; a field in double quotes is its characters, where a backslash
 * takes the next character as it is and `""` is one quote; characters outside the quotes would be kept
 * too (whitespace included), so nothing is ever written outside them. Every field that is not NULL is
 * quoted, so an empty string stays '' and no value can end its field early, add one, or run into the
 * next: a tenant, an actor or any field cannot be smuggled through another's value
 * (record-literal.int.test.ts reads thousands of adversarial literals back through PostgreSQL).
 *
 * What record_in and the fields' input functions would refuse, or keep other than sent, is refused here
 * instead (`checkedRecordLiteral`): a refused record fails only its own read, where in a batch it would
 * fail every read of the batch, and no row ever holds a value other than the one vouched for.
 */

/**
 * A field (record_in): NULL is nothing; any other value in double quotes, each `\` and `"` preceded
 * by a backslash. Written as two plain replaceAll, each skipped when its character is absent: the
 * same text as `replace(/["\\]/g, '\\$&')`, which V8 runs in its runtime with the `$&` pattern parsed
 * on every call (~0.5 µs a field, some twenty fields a record; R-OPS-1, issue 31).
 */
const quoted = (value: string | null): string => {
  if (value === null) return '';
  const slashed = value.indexOf('\\') === -1 ? value : value.replaceAll('\\', '\\\\');
  return `"${slashed.indexOf('"') === -1 ? slashed : slashed.replaceAll('"', '\\"')}"`;
};
/** A text[] field: an array literal (array_in) whose every element is quoted the same way, then quoted as a field. */
const quotedArray = (values: readonly string[]): string => quoted(`{${values.map(quoted).join(',')}}`);

/**
 * The event as the text of a ward_audit_record literal, the fields in the type's order (0073). No check:
 * `checkedRecordLiteral` is the writer's.
 */
export function recordLiteral(event: AuditEventInput, id: string, occurredUs: number, justificationCiphertext: Buffer | null): string {
  return literal(event, id, occurredUs, justificationCiphertext, JSON.stringify(event.metadata ?? {}));
}

function literal(event: AuditEventInput, id: string, occurredUs: number, justificationCiphertext: Buffer | null, metadataJson: string): string {
  return `(${[
    quoted(id), quoted(event.tenantId), quoted(String(occurredUs)), quoted(event.actorKind), quoted(event.actorId),
    quoted(event.onBehalfOf ?? null), quoted(event.sessionId ?? null), quoted(event.deviceId ?? null), quoted(event.sourceIp ?? null),
    quoted(event.action), quoted(event.targetType ?? null), quoted(event.targetId ?? null), quoted(event.phiScope ?? null),
    quoted(event.decision ?? null), quotedArray(event.policyIds ?? []), quotedArray(event.reasons ?? []), quoted(event.purpose ?? null),
    quoted(justificationCiphertext ? `\\x${justificationCiphertext.toString('hex')}` : null), quoted(event.outcome),
    quoted(metadataJson),
  ].join(',')})`;
}

/**
 * The most UTF-8 bytes of literals one batch may carry: the batch function reads each literal's start
 * and length as 1 to 7 digits (0112), so past it every record of the batch would be refused (WD001).
 * One literal is at most this long; the writer cuts batches below it (`literalBytesBound`).
 */
export const MAX_BATCH_BODY_BYTES = 9_999_999;
/** A bound on a literal's UTF-8 length without encoding it: a UTF-16 unit is at most 3 bytes (a pair, 4). */
export const literalBytesBound = (text: string): number => text.length * 3;

/** Text in an index entry (audit_events_actor, audit_events_on_behalf_of): a b-tree entry is at most 2,704 bytes. */
const MAX_INDEXED_TEXT_BYTES = 2_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The audit table's checks (0003 and after; 0113's domains): actor_kind, decision, outcome (phi_scope: append.ts checkAppendable). */
const ACTOR_KINDS: ReadonlySet<string> = new Set(PRINCIPAL_KINDS);
const DECISIONS = new Set(['allow', 'deny']);
const OUTCOMES = new Set(['success', 'failure', 'denied']);
/**
 * In JSON.stringify's text: an escape jsonb refuses, `\u0000` (text cannot hold NUL) or a surrogate's
 * (JSON.stringify escapes only a lone one, which jsonb refuses). An escape's backslash follows an even
 * run of backslashes, each pair a backslash of the data (`\\u0000` is a backslash and five letters).
 */
const JSONB_REFUSED_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f])/;

/** Why PostgreSQL would refuse the record, or keep a field other than sent (a rule's name: never a value), or null. */
export function recordRefusal(event: AuditEventInput, id: string, text: string, metadataJson: string): string | null {
  // text holds no NUL (22021); a lone surrogate would reach the database as U+FFFD, another value.
  if (text.includes('\u0000') || !text.isWellFormed()) return 'nul_or_lone_surrogate';
  if (metadataJson.includes('\\u') && JSONB_REFUSED_ESCAPE.test(metadataJson)) return 'metadata_escape';
  if (literalBytesBound(text) > MAX_BATCH_BODY_BYTES && Buffer.byteLength(text, 'utf8') > MAX_BATCH_BODY_BYTES) return 'too_long';
  for (const uuid of [id, event.tenantId, event.sessionId ?? null, event.deviceId ?? null]) {
    if (uuid !== null && !UUID.test(uuid)) return 'not_a_uuid';
  }
  // inet takes an address without a zone (Node's isIP accepts 'fe80::1%eth0'; inet does not).
  const ip = event.sourceIp ?? null;
  if (ip !== null && (isIP(ip) === 0 || ip.includes('%'))) return 'not_an_address';
  if (!ACTOR_KINDS.has(event.actorKind) || !OUTCOMES.has(event.outcome) || (event.decision != null && !DECISIONS.has(event.decision))) return 'not_a_known_value';
  for (const indexed of [event.actorId, event.onBehalfOf ?? '']) {
    if (literalBytesBound(indexed) > MAX_INDEXED_TEXT_BYTES && Buffer.byteLength(indexed, 'utf8') > MAX_INDEXED_TEXT_BYTES) return 'indexed_text_too_long';
  }
  return null;
}

/**
 * The event's literal, or AUDIT_WRITE_FAILED (thrown) when PostgreSQL would refuse it or keep a field
 * other than sent (`recordRefusal`; the detail names the rule, never a value).
 */
export function checkedRecordLiteral(event: AuditEventInput, id: string, occurredUs: number, justificationCiphertext: Buffer | null): string {
  const metadataJson = JSON.stringify(event.metadata ?? {});
  const text = literal(event, id, occurredUs, justificationCiphertext, metadataJson);
  const refusal = recordRefusal(event, id, text, metadataJson);
  if (refusal !== null) throw new WardError('AUDIT_WRITE_FAILED', undefined, { detail: `audit writer: ${refusal}` });
  return text;
}
