/**
 * Data-key rotation without downtime (R-DATA-1; docs/encryption.md "Rotation without downtime"):
 * a new data-key version becomes active, then every encrypted cell of the tenant is re-encrypted in
 * batches while the server keeps serving — reads accept both versions until the end. Each batch is
 * one owner transaction that locks its rows (FOR UPDATE), so a concurrent write of the same row
 * waits rather than being overwritten. Resumable: a run that finds a `retiring` data key continues
 * that rotation instead of starting another, and already re-encrypted cells are skipped by their
 * header. Other servers may still encrypt under the old version until their key cache expires, so
 * the last pass starts at least `finalPassAfterMs` after the new version was created.
 */
import type { TenantId } from '@ward/contracts';
import type { SystemDb, SystemTx } from '../../db/types.ts';
import type { FieldCipher, FieldRef } from '../crypto/index.ts';
import { readHeader } from '../crypto/index.ts';

interface Target {
  name: string;
  columns: readonly string[];
  /** Rows after the cursor, in cursor order, locked; params: tenant, cursor (text), limit. */
  select: string;
  /** Writes the re-encrypted columns from a JSON batch (base64, NULL = unchanged). */
  update: string;
  ref(row: Record<string, unknown>, column: string): FieldRef;
  cursor(row: Record<string, unknown>): string;
  count: string;
}

const id = (table: string) => (row: Record<string, unknown>, column: string): FieldRef => ({ table, rowId: String(row.id), column });

// Static statements per table (no SQL is assembled at run time). The cursor is the row id as text
// ('' before the first row); for chunks "<recording id>:<chunk index padded>".
const TARGETS: readonly Target[] = [
  {
    name: 'patients',
    columns: ['mrn_enc', 'member_number_enc', 'given_name_enc', 'family_name_enc', 'date_of_birth_enc', 'phone_enc', 'email_enc', 'address_line_enc', 'city_enc', 'zip_enc', 'ssn_enc'],
    select: `SELECT id, mrn_enc, member_number_enc, given_name_enc, family_name_enc, date_of_birth_enc, phone_enc, email_enc,
      address_line_enc, city_enc, zip_enc, ssn_enc FROM patients WHERE tenant_id = $1 AND id::text > $2 ORDER BY id::text LIMIT $3 FOR UPDATE`,
    update: `UPDATE patients p SET
      mrn_enc = COALESCE(decode(r.mrn_enc, 'base64'), p.mrn_enc),
      member_number_enc = COALESCE(decode(r.member_number_enc, 'base64'), p.member_number_enc),
      given_name_enc = COALESCE(decode(r.given_name_enc, 'base64'), p.given_name_enc),
      family_name_enc = COALESCE(decode(r.family_name_enc, 'base64'), p.family_name_enc),
      date_of_birth_enc = COALESCE(decode(r.date_of_birth_enc, 'base64'), p.date_of_birth_enc),
      phone_enc = COALESCE(decode(r.phone_enc, 'base64'), p.phone_enc),
      email_enc = COALESCE(decode(r.email_enc, 'base64'), p.email_enc),
      address_line_enc = COALESCE(decode(r.address_line_enc, 'base64'), p.address_line_enc),
      city_enc = COALESCE(decode(r.city_enc, 'base64'), p.city_enc),
      zip_enc = COALESCE(decode(r.zip_enc, 'base64'), p.zip_enc),
      ssn_enc = COALESCE(decode(r.ssn_enc, 'base64'), p.ssn_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, mrn_enc text, member_number_enc text, given_name_enc text, family_name_enc text,
        date_of_birth_enc text, phone_enc text, email_enc text, address_line_enc text, city_enc text, zip_enc text, ssn_enc text)
      WHERE p.tenant_id = $1 AND p.id = r.id`,
    ref: id('patients'),
    cursor: (row) => String(row.id),
    count: 'SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1',
  },
  {
    name: 'calls',
    columns: ['from_number_enc'],
    select: 'SELECT id, from_number_enc FROM calls WHERE tenant_id = $1 AND id::text > $2 ORDER BY id::text LIMIT $3 FOR UPDATE',
    update: `UPDATE calls c SET from_number_enc = COALESCE(decode(r.from_number_enc, 'base64'), c.from_number_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, from_number_enc text) WHERE c.tenant_id = $1 AND c.id = r.id`,
    ref: id('calls'),
    cursor: (row) => String(row.id),
    count: 'SELECT count(*)::int AS n FROM calls WHERE tenant_id = $1',
  },
  {
    name: 'utterances',
    columns: ['text_enc'],
    select: 'SELECT id, text_enc FROM utterances WHERE tenant_id = $1 AND id::text > $2 ORDER BY id::text LIMIT $3 FOR UPDATE',
    update: `UPDATE utterances u SET text_enc = COALESCE(decode(r.text_enc, 'base64'), u.text_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, text_enc text) WHERE u.tenant_id = $1 AND u.id = r.id`,
    ref: id('utterances'),
    cursor: (row) => String(row.id),
    count: 'SELECT count(*)::int AS n FROM utterances WHERE tenant_id = $1',
  },
  {
    name: 'recording_chunks',
    columns: ['audio_enc'],
    select: `SELECT recording_id, chunk_index, recording_id::text || ':' || lpad(chunk_index::text, 10, '0') AS cursor, audio_enc
      FROM recording_chunks WHERE tenant_id = $1 AND recording_id::text || ':' || lpad(chunk_index::text, 10, '0') > $2
      ORDER BY recording_id::text, chunk_index LIMIT $3 FOR UPDATE`,
    update: `UPDATE recording_chunks k SET audio_enc = COALESCE(decode(r.audio_enc, 'base64'), k.audio_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(recording_id uuid, chunk_index int, audio_enc text)
      WHERE k.tenant_id = $1 AND k.recording_id = r.recording_id AND k.chunk_index = r.chunk_index`,
    ref: (row, column) => ({ table: 'recording_chunks', rowId: `${String(row.recording_id)}:${Number(row.chunk_index)}`, column }),
    cursor: (row) => String(row.cursor),
    count: 'SELECT count(*)::int AS n FROM recording_chunks WHERE tenant_id = $1',
  },
  {
    name: 'ai_drafts',
    // The pseudonym map of an AI task (R-AI-1) is under the same data key as the draft's body.
    columns: ['body_enc', 'pseudonym_map_enc'],
    select: 'SELECT id, body_enc, pseudonym_map_enc FROM ai_drafts WHERE tenant_id = $1 AND id::text > $2 ORDER BY id::text LIMIT $3 FOR UPDATE',
    update: `UPDATE ai_drafts d SET body_enc = COALESCE(decode(r.body_enc, 'base64'), d.body_enc),
      pseudonym_map_enc = COALESCE(decode(r.pseudonym_map_enc, 'base64'), d.pseudonym_map_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, body_enc text, pseudonym_map_enc text) WHERE d.tenant_id = $1 AND d.id = r.id`,
    ref: id('ai_drafts'),
    cursor: (row) => String(row.id),
    count: 'SELECT count(*)::int AS n FROM ai_drafts WHERE tenant_id = $1',
  },
  {
    name: 'case_notes',
    columns: ['body_enc'],
    select: 'SELECT id, body_enc FROM case_notes WHERE tenant_id = $1 AND id::text > $2 ORDER BY id::text LIMIT $3 FOR UPDATE',
    update: `UPDATE case_notes n SET body_enc = COALESCE(decode(r.body_enc, 'base64'), n.body_enc)
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, body_enc text) WHERE n.tenant_id = $1 AND n.id = r.id`,
    ref: id('case_notes'),
    cursor: (row) => String(row.id),
    count: 'SELECT count(*)::int AS n FROM case_notes WHERE tenant_id = $1',
  },
];

export interface RotationProgress {
  pass: number;
  table: string;
  /** Rows visited in this pass, of `total`. */
  done: number;
  total: number;
  reencrypted: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Earliest start of the final pass after the new version's creation (other servers' cache TTL). */
  finalPassAfterMs?: number;
  onProgress?: (p: RotationProgress) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RotationResult {
  version: number;
  resumed: boolean;
  reencrypted: number;
  retiredVersions: number[];
}

async function batch(tx: SystemTx, cipher: FieldCipher, tenantId: TenantId, target: Target, rows: Record<string, unknown>[], activeVersion: number): Promise<number> {
  const changed: Record<string, unknown>[] = [];
  let cells = 0;
  for (const row of rows) {
    let out: Record<string, unknown> | undefined;
    for (const column of target.columns) {
      const value = row[column];
      if (value == null) continue;
      const ct = Buffer.from(value as Uint8Array);
      const header = readHeader(ct);
      if (typeof header !== 'string' && header.keyVersion === activeVersion) continue;
      const next = await cipher.reencrypt(tenantId, target.ref(row, column), ct);
      out ??= { id: row.id, recording_id: row.recording_id, chunk_index: row.chunk_index };
      out[column] = next.toString('base64');
      cells += 1;
    }
    if (out) changed.push(out);
  }
  if (changed.length > 0) await tx.query(target.update, [tenantId, JSON.stringify(changed)]);
  return cells;
}

async function pass(systemDb: SystemDb, cipher: FieldCipher, tenantId: TenantId, activeVersion: number, n: number, opts: RotationOptions): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  let total = 0;
  for (const t of TARGETS) total += (await systemDb.query<{ n: number }>(t.count, [tenantId])).rows[0]?.n ?? 0;
  let done = 0;
  let reencrypted = 0;
  for (const target of TARGETS) {
    let cursor = '';
    for (;;) {
      const result = await systemDb.transaction(async (tx) => {
        const { rows } = await tx.query<Record<string, unknown>>(target.select, [tenantId, cursor, batchSize]);
        return { rows, cells: await batch(tx, cipher, tenantId, target, rows, activeVersion) };
      });
      done += result.rows.length;
      reencrypted += result.cells;
      opts.onProgress?.({ pass: n, table: target.name, done, total, reencrypted });
      if (result.rows.length < batchSize) break;
      cursor = target.cursor(result.rows[result.rows.length - 1]!);
    }
  }
  return reencrypted;
}

/**
 * Rotates (or resumes rotating) the tenant's data key and re-encrypts every PHI cell. Call it
 * outside any transaction; it opens its own, one per batch.
 */
export async function rotateTenantDataKey(
  systemDb: SystemDb,
  cipher: FieldCipher,
  keys: { list(tenantId: TenantId): Promise<{ purpose: string; version: number; state: string; createdAt: Date }[]> },
  tenantId: TenantId,
  opts: RotationOptions = {},
): Promise<RotationResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const before = (await keys.list(tenantId)).filter((k) => k.purpose === 'data');
  const resumed = before.some((k) => k.state === 'retiring');
  if (!resumed) await cipher.rotateDataKey(tenantId);
  const records = (await keys.list(tenantId)).filter((k) => k.purpose === 'data');
  const active = records.find((k) => k.state === 'active')!;
  let reencrypted = await pass(systemDb, cipher, tenantId, active.version, 1, opts);
  const waitMs = active.createdAt.getTime() + (opts.finalPassAfterMs ?? 0) - now();
  if (waitMs > 0) await sleep(waitMs);
  // The final pass: catches anything written under the old version by servers with stale caches.
  reencrypted += await pass(systemDb, cipher, tenantId, active.version, 2, opts);
  const retiredVersions = records.filter((k) => k.state === 'retiring').map((k) => k.version);
  for (const v of retiredVersions) await cipher.retireDataKey(tenantId, 'data', v);
  return { version: active.version, resumed, reencrypted, retiredVersions };
}
