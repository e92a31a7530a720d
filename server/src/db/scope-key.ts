import { createHmac, randomBytes } from 'node:crypto';
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
 * The values of the six transaction-local settings (tenant, scopes, actor id, actor kind, expiry,
 * MAC) for one scoped transaction on the connection whose backend pid is given. `settings` are
 * scopeSettings' validated values.
 */
export function macScopeSettings(settings: readonly [string, string, string, string], key: Buffer, backendPid: number, nowMs: number = Date.now()): string[] {
  const [tenantId, phiScopes, actorId, actorKind] = settings;
  if (!Number.isSafeInteger(backendPid) || backendPid <= 0) throw new WardError('SCOPE_INVALID', 'The connection has no backend process id.');
  const expires = String(Math.floor(nowMs / 1000) + SCOPE_MAC_SECONDS);
  const message = ['ward-scope-v1', tenantId, phiScopes, actorId, actorKind, String(backendPid), expires].join('\n');
  const mac = createHmac('sha256', key).update(message, 'utf8').digest('hex');
  return [tenantId, phiScopes, actorId, actorKind, expires, mac];
}

/** One statement that sets the whole scope (the embedded engine's, and tests'). */
export const SET_SCOPE_SETTINGS =
  "set_config('ward.tenant_id', $1, true), set_config('ward.phi_scopes', $2, true), set_config('ward.actor_id', $3, true), " +
  "set_config('ward.actor_kind', $4, true), set_config('ward.scope_expires', $5, true), set_config('ward.scope_mac', $6, true)";

const SCOPE_SETTING_NAMES = ['ward.tenant_id', 'ward.phi_scopes', 'ward.actor_id', 'ward.actor_kind', 'ward.scope_expires', 'ward.scope_mac'] as const;

/**
 * A value as an escape-string literal, E'…': a backslash and a quote are doubled, so its meaning does
 * not depend on standard_conforming_strings. Only for the scope's own values, which scopeSettings and
 * macScopeSettings made (a UUID, known scope names and kinds, digits, hex, and an actor id that holds no
 * control character); anything with a control character is refused rather than quoted.
 */
export function scopeLiteral(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new WardError('SCOPE_INVALID', 'A scope value holds a control character.');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * BEGIN and the six scope settings as one simple-protocol message (R-OPS-1, R-AUTHZ-7), so that the
 * scope costs no query of its own: six SET LOCALs parsed with BEGIN. Until 2026-12-06 it was a named
 * statement of six set_config() calls (a bind, an execute and a row of six values back), which cost
 * the server and, more, the client. `values` are macScopeSettings' six.
 */
export function beginScopeSql(values: readonly string[], opts: { asyncCommit?: boolean } = {}): string {
  if (values.length !== SCOPE_SETTING_NAMES.length) throw new WardError('SCOPE_INVALID', 'A scope has six settings.');
  const scope = SCOPE_SETTING_NAMES.map((name, i) => `SET LOCAL ${name} = ${scopeLiteral(values[i]!)}`).join('; ');
  // R-AUDIT-2: only for a read whose record the audit writer commits durably before anything leaves (db/types.ts ScopedOptions).
  return `BEGIN; ${scope}${opts.asyncCommit === true ? '; SET LOCAL synchronous_commit = off' : ''}`;
}

/**
 * R-AUDIT-2, R-AUTHZ-7 (0102): the voucher of an audit event recorded in a scoped transaction, made by
 * the server with the scope key instead of asked of the database by a statement in that transaction.
 * `scope` is the transaction's own (macScopeSettings' six values and its connection's backend pid);
 * the event must be of that scope's tenant and actor (else refused here, and the batch function would
 * refuse it too: it recomputes the scope MAC from the event's own tenant and actor). `text` is the
 * event's JSON, MAC'd byte for byte (it holds no raw newline or tab, so a batch is one event a line).
 * Returns the batch line 'mac scope_mac pid expires phi_scopes' TAB text.
 */
export function vouchAuditEvent(
  key: Buffer,
  scope: { values: readonly string[]; pid: number },
  event: { tenantId: string; actorKind: string; actorId: string },
  text: string,
): string {
  const [tenantId, phiScopes, actorId, actorKind, expires, scopeMac] = scope.values;
  if (event.tenantId !== tenantId || event.actorId !== actorId || event.actorKind !== actorKind) {
    throw new WardError('SCOPE_INVALID', 'The audit event is not of the transaction\'s tenant and actor.');
  }
  const mac = createHmac('sha256', key).update(`ward-audit-event-v2\n${scopeMac!}\n${text}`, 'utf8').digest('hex');
  return `${mac} ${scopeMac!} ${scope.pid} ${expires!} ${phiScopes!}\t${text}`;
}
