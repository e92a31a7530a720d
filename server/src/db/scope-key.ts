import { createHmac, hash, randomBytes } from 'node:crypto';
import { WardError } from '@ward/contracts';
import type { SystemDb } from './types.ts';

/**
 * The key of the scope MAC (R-AUTHZ-7, 0015_scope_mac.sql). The database keeps it in
 * ward_scope_keys, which only ward_definer (the verifying functions) and the owner can read; the
 * server reads it once through the owner connection and keeps it in memory. ward_app never sees it.
 * Stored as HMAC's inner and outer padded blocks, so that the database computes HMAC-SHA-256 with
 * core sha256() alone.
 */
const BLOCK = 64;
const IPAD = 0x36;
const OPAD = 0x5c;
/** How long a scope's MAC is valid (the database refuses more than 30 s plus 10 s of clock skew). */
export const SCOPE_MAC_SECONDS = 30;
/** The expiry (Unix seconds, as text) of a scope made at `nowMs`, which its MAC covers. */
export const scopeExpiry = (nowMs: number): string => String(Math.floor(nowMs / 1000) + SCOPE_MAC_SECONDS);

const SELECT_KEY = 'SELECT inner_key FROM ward_scope_keys WHERE id = 1';
const INSERT_KEY = 'INSERT INTO ward_scope_keys (id, inner_key, outer_key) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING';

const xor = (block: Buffer, pad: number) => Buffer.from(block.map((b) => b ^ pad));

/** The key as HMAC uses it (a 64-byte key is its own padded block), created on first use. */
export async function loadScopeKey(systemDb: SystemDb): Promise<Buffer> {
  try {
    let { rows } = await systemDb.query<{ inner_key: Buffer }>(SELECT_KEY);
    if (!rows[0]) {
      const key = Buffer.concat([randomBytes(32), Buffer.alloc(BLOCK - 32)]);
      await systemDb.query(INSERT_KEY, [xor(key, IPAD), xor(key, OPAD)]); // a concurrent first start wins; both then read its key
      ({ rows } = await systemDb.query<{ inner_key: Buffer }>(SELECT_KEY));
    }
    return xor(Buffer.from(rows[0]!.inner_key), IPAD);
  } catch (e) {
    throw new WardError('DB_SCOPE_KEY_UNAVAILABLE', 'The scope key could not be read through the owner connection (WARD_MIGRATION_DATABASE_URL); run `ward migrate` first.', { cause: e });
  }
}

/**
 * The value of ward.scope, the one transaction-local setting that row-level security reads, for one
 * scoped transaction on the connection whose backend pid is given (0099_scope_one_setting.sql):
 *   <MAC, 64 hex digits> \n <tenant> \n <PHI keys 'tenant/scope', comma-separated> \n <'tenant/kind:actor'> \n <expiry>
 * The MAC (0103_scope_mac_one_hash.sql) is one SHA-256 over the key's inner padded block (HMAC's),
 * 'ward-scope-v3', the value's bytes after the MAC (from its newline on) and the pid as eight
 * big-endian bytes, so that every byte of the value is compared or covered; why one hash over a secret
 * prefix is sound for these messages (none is a prefix of another) is in the migration and in
 * docs/threat-model.md. `settings` are scopeSettings' validated values: a UUID, known scope names (no
 * comma, no newline), a kind and an actor id without control characters, so the fields cannot run
 * into each other.
 */
export function macScope(settings: readonly [string, string, string, string], key: Buffer, backendPid: number, nowMs: number = Date.now()): string {
  const [tenantId, phiScopes, actorId, actorKind] = settings;
  if (!Number.isSafeInteger(backendPid) || backendPid <= 0 || backendPid > 0x7fffffff) throw new WardError('SCOPE_INVALID', 'The connection has no backend process id.');
  const covered = `\n${tenantId}\n${phiKeys(tenantId, phiScopes)}\n${tenantId}/${actorKind}:${actorId}\n${scopeExpiry(nowMs)}`;
  // The message is written after the key's block and domain, which its buffer already holds (macHead),
  // and hashed in place: no buffer made, no bytes counted first, per scoped transaction (R-OPS-1).
  // Synchronous from the write to the hash, so the buffer is never shared by two messages.
  const buffer = macHead(key);
  const end = HEAD + buffer.write(covered, HEAD, buffer.length - HEAD - 8, 'utf8');
  if (end > buffer.length - 16) return macScopeLong(covered, buffer, backendPid); // may have been cut short
  buffer.writeUInt32BE(0, end); // int8send(pg_backend_pid()): a positive int4 as eight bytes
  buffer.writeUInt32BE(backendPid, end + 4);
  return hash('sha256', buffer.subarray(0, end + 8), 'hex') + covered;
}

/** The PHI keys, 'tenant/scope' comma-separated, of the comma-separated scope names (validated: no comma inside). */
function phiKeys(tenantId: string, phiScopes: string): string {
  if (phiScopes === '') return '';
  let keys = '';
  let from = 0;
  for (let comma = phiScopes.indexOf(','); comma !== -1; comma = phiScopes.indexOf(',', from)) {
    keys += `${tenantId}/${phiScopes.slice(from, comma)},`;
    from = comma + 1;
  }
  return `${keys}${tenantId}/${phiScopes.slice(from)}`;
}

/** macScope for a value longer than the buffer: the message in a buffer of its own. */
function macScopeLong(covered: string, head: Buffer, backendPid: number): string {
  const size = Buffer.byteLength(covered, 'utf8');
  const message = Buffer.allocUnsafe(HEAD + size + 8);
  head.copy(message, 0, 0, HEAD);
  message.write(covered, HEAD, 'utf8');
  message.writeUInt32BE(0, HEAD + size);
  message.writeUInt32BE(backendPid, HEAD + size + 4);
  return hash('sha256', message, 'hex') + covered;
}

/** The key's inner padded block and 'ward-scope-v3' (HEAD bytes), the message's fixed start, written once per key at the start of its message buffer. */
const DOMAIN = 'ward-scope-v3';
const HEAD = BLOCK + DOMAIN.length;
const macHeads = new WeakMap<Buffer, Buffer>();
function macHead(key: Buffer): Buffer {
  let head = macHeads.get(key);
  if (!head) {
    if (key.length !== BLOCK) throw new WardError('DB_SCOPE_KEY_UNAVAILABLE', 'The scope key is not one 64-byte block.');
    head = Buffer.alloc(1024);
    xor(key, IPAD).copy(head, 0);
    head.write(DOMAIN, BLOCK, 'latin1');
    macHeads.set(key, head);
  }
  return head;
}

/** One statement that sets the whole scope (the embedded engine's, and tests'): $1 is macScope's value. */
export const SET_SCOPE_SETTING = "set_config('ward.scope', $1, true)";

/**
 * A value as an escape-string literal, E'…': a backslash and a quote are doubled and a newline (the
 * scope's field separator) written \n, so its meaning does not depend on standard_conforming_strings.
 * Only for the scope's own value, which scopeSettings and macScope made (a UUID, known scope names and
 * kinds, digits, hex, and an actor id that holds no control character); any other control character
 * is refused rather than quoted.
 */
export function scopeLiteral(value: string): string {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(value)) throw new WardError('SCOPE_INVALID', 'A scope value holds a control character.');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\n/g, '\\n')}'`;
}

/**
 * BEGIN and the scope as one simple-protocol message (R-OPS-1, R-AUTHZ-7), so that the scope costs
 * no query of its own: one SET LOCAL parsed with BEGIN. Until 2026-12-06 it was a named statement of
 * six set_config() calls, then six SET LOCALs (each a statement the backend parses, gives a portal
 * and runs: ~85,000 instructions per transaction against ~18,000 for one). `value` is macScope's.
 */
export function beginScopeSql(value: string, opts: { asyncCommit?: boolean } = {}): string {
  // R-AUDIT-2: only for a read whose record the audit writer commits durably before anything leaves (db/types.ts ScopedOptions).
  return `BEGIN; SET LOCAL ward.scope = ${scopeLiteral(value)}${opts.asyncCommit === true ? '; SET LOCAL synchronous_commit = off' : ''}`;
}

/**
 * R-AUDIT-2, R-AUTHZ-7 (0105, 0112): the voucher of an audit event recorded in a scoped transaction, made by
 * the server with the scope key instead of asked of the database by a statement in that transaction.
 * `scope` is the transaction's own: its tenant, actor and kind (scopeSettings' values) and its scope's
 * expiry; the event must be of that tenant and actor (else refused here: the key's holder vouches only
 * for what its transaction may record). `text` is the event's record literal (writer.ts recordLiteral),
 * MAC'd byte for byte with the expiry under the tag 'ward-audit-event-v4'; one HMAC, which the batch
 * function checks (ward_audit_append_vouched_v4). Returns the voucher, 'mac expires' (the batch's head
 * for the event adds the text's length: writer.ts batchArguments).
 */
export function vouchAuditEvent(
  key: Buffer,
  scope: { settings: readonly [string, string, string, string]; expires: string },
  event: { tenantId: string; actorKind: string; actorId: string },
  text: string,
): string {
  const [tenantId, , actorId, actorKind] = scope.settings;
  if (event.tenantId !== tenantId || event.actorId !== actorId || event.actorKind !== actorKind) {
    throw new WardError('SCOPE_INVALID', 'The audit event is not of the transaction\'s tenant and actor.');
  }
  const mac = createHmac('sha256', key).update(`ward-audit-event-v4\n${scope.expires}\n${text}`, 'utf8').digest('hex');
  return `${mac} ${scope.expires}`;
}
