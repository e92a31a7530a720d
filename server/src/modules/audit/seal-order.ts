/**
 * Which events the sealer takes next, and in what order (R-AUDIT-3, R-AUDIT-2; docs/audit.md "Sealing
 * in the database", migration 0085). Events are never updated: a sealed event has a row in
 * `audit_seals`; the unsealed ones are the tenant's events after its last sealed one in the order
 * (xact, occurred_at, id), where xact is the inserting transaction's id (`pg_current_xact_id()`).
 *
 * The sealer takes only events with xact below its horizon (HORIZON): its snapshot's xmin, counting only
 * transactions that may be of this database. Every transaction of this database below it has ended,
 * so each of them is visible (committed) or never will be (aborted), and no transaction can later
 * commit an event that sorts before one the sealer took. That is what makes the keyset safe: no
 * late commit is ever skipped, no seq is assigned below one already sealed, and nothing in
 * `audit_events` has to change to say "sealed". The price: seqs follow transaction-id order (within
 * a transaction, occurred_at), and a transaction of this database that is open holds back the events
 * of every transaction that took its id after it, until it ends.
 *
 * Events sealed before 0085 have xact 0 and no meaningful order among themselves: a last seal whose
 * event has xact 0 puts the key past all of them (occurred_at 'infinity').
 */

/** The key of the tenant `${tenant}` (an SQL expression) after which its events are unsealed, as k (xact, occurred_at, id). */
function keyOf(tenant: string): string {
  return `LEFT JOIN LATERAL (SELECT e.xact, CASE WHEN e.xact = '0' THEN 'infinity'::timestamptz ELSE e.occurred_at END AS occurred_at, e.id
      FROM audit_seals s JOIN audit_events e ON e.id = s.event_id WHERE s.tenant_id = ${tenant} ORDER BY s.seq DESC LIMIT 1) k ON true`;
}
/**
 * The least transaction id that may still commit an event here: the snapshot's running transactions,
 * less those that pg_stat_activity shows in another database (a transaction never changes database,
 * so whenever the activity was read, such an id is never this database's), else the snapshot's xmax.
 * Without the filter, any transaction on the server, in any database, held sealing back. An id whose
 * database cannot be seen counts, so the horizon only errs low.
 */
const HORIZON = `(SELECT COALESCE(min(r.xid), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS r (xid)
    WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = r.xid::xid AND a.datname IS DISTINCT FROM current_database()))`;

const AFTER_KEY = `(e.xact, e.occurred_at, e.id) > (COALESCE(k.xact, '0'), COALESCE(k.occurred_at, '-infinity'), COALESCE(k.id, '00000000-0000-0000-0000-000000000000'))`;

// The first event after the key in seal order: an index probe of audit_events_seal_order (an EXISTS
// with a filter is planned as a scan that may read the whole table when nothing matches).
const FIRST_AFTER_KEY = `CROSS JOIN LATERAL (SELECT e.xact, e.occurred_at FROM audit_events e WHERE e.tenant_id = t.id AND ${AFTER_KEY}
      ORDER BY e.xact, e.occurred_at, e.id LIMIT 1) f`;

/**
 * Tenants with committed events after their last seal; `is_sealable` when at least one of them is
 * below the horizon (the others wait for an older transaction to end); `is_owed` when one of them was
 * inserted by a transaction below $1 (the pass's start: `PASS_BOUND`), which the pass waits for. The
 * first event in seal order has the least xact, so it alone says both.
 */
export const TENANTS_TO_SEAL = `SELECT t.id AS tenant_id, f.xact < ${HORIZON} AS is_sealable, f.xact < $1::xid8 AS is_owed
  FROM tenants t ${keyOf('t.id')} ${FIRST_AFTER_KEY}
  ORDER BY t.id`;

/** Every transaction that had its id when this statement began is below this bound (a pass's start). */
export const PASS_BOUND = 'pg_snapshot_xmax(pg_current_snapshot())::text';

/**
 * The tenant's last seal: seq and chain hash, and the key of its event as text (null: the event is
 * gone, which only tampering does; the sealer then stops rather than guess where to go on).
 */
export const SEAL_TIP = `SELECT s.seq, s.chain_hash, e.id AS event_id, e.xact::text AS xact,
    CASE WHEN e.xact = '0' THEN 'infinity' ELSE to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END AS occurred_at
  FROM audit_seals s LEFT JOIN audit_events e ON e.id = s.event_id
  WHERE s.tenant_id = $1 ORDER BY s.seq DESC LIMIT 1`;

/** The key before a tenant's first seal. */
export const FIRST_KEY: SealKey = { xact: '0', occurred_at: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

export interface SealKey {
  xact: string;
  /** The database's text (UTC, microseconds), or ±infinity. */
  occurred_at: string;
  id: string;
}

/** `columns`' rows of tenant $1 after the key ($3 xact, $4 occurred_at, $5 id) and below the horizon, in seal order, at most $2. */
export function unsealedAfterKey(columns: string): string {
  return `SELECT ${columns}, e.xact::text AS xact FROM audit_events e
  WHERE e.tenant_id = $1 AND (e.xact, e.occurred_at, e.id) > ($3::xid8, $4::timestamptz, $5::uuid)
    AND e.xact < ${HORIZON}
  ORDER BY e.xact, e.occurred_at, e.id LIMIT $2`;
}

/**
 * One statement for a batch's seals; the primary key refuses a seq twice, the unique event id a second
 * seal of an event. $2: the first seq (the others follow, one an event); $3: the event ids, joined by
 * commas; $4, $5: the leaf and chain hashes, 32 bytes each, one after the other (sent as binary
 * parameters: no hex, no array text to build and parse).
 */
export const INSERT_SEALS = `INSERT INTO audit_seals (tenant_id, seq, event_id, leaf_hash, chain_hash, sealed_at)
  SELECT $1, $2::bigint + u.n - 1, u.id, substring($4::bytea FROM (u.n * 32 - 31)::int FOR 32), substring($5::bytea FROM (u.n * 32 - 31)::int FOR 32), clock_timestamp()
  FROM unnest(string_to_array($3::text, ',')::uuid[]) WITH ORDINALITY AS u (id, n)`;

/**
 * Seconds since the first event waiting to be sealed (in seal order, so the oldest transaction's)
 * occurred, the most over every tenant: a scalar subquery for the metrics scrape (owner connection),
 * one index probe per tenant.
 */
export const SEALER_LAG_SECONDS_SQL = `(SELECT coalesce(extract(epoch FROM now() - min(f.occurred_at)), 0)::float8 FROM tenants t ${keyOf('t.id')} ${FIRST_AFTER_KEY})`;

/** Events of tenant $1 that have no seal (`ward audit verify`): the window still to seal, and any event skipped, which must be none. */
export const UNSEALED_COUNT = `SELECT count(*)::int AS n FROM audit_events e
  WHERE e.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)`;
