/**
 * The database's KeyStore (R-DATA-1): wrapped data and index keys in `tenant_keys` (migration
 * 0006). Same contract as the in-memory store (test-support/key-store-contract.ts).
 *
 * It works through the owner connection (`systemDb`) and never through the request's transaction:
 * `ward_app` holds no privilege on `tenant_keys` (a request, or SQL injected into one, cannot read
 * even wrapped keys), and a key is loaded while a scoped transaction is open, so it needs a
 * connection of its own. Two engines, two strategies:
 * - PostgreSQL: every call is one statement on the owner pool (separate from the application pool,
 *   so a key load can never wait for a connection held by the request that needs it). The field
 *   cipher caches unwrapped keys, so this runs on cache misses only.
 * - Embedded (PGlite): one connection serialises every transaction, so a query from inside a scoped
 *   transaction would wait for itself. The store loads all records once (`load()`, at start) and
 *   serves reads from memory; writes go to the table first, then to memory. This is coherent because
 *   exactly one process owns an embedded data directory (the CLI runs inside the server). Writes
 *   (provisioning, rotation, rewrap) must therefore happen outside any open transaction, which is
 *   where they happen: at tenant creation, in the seed, and in `ward keys`.
 */
import { WardError, type TenantId } from '@ward/contracts';
import type { SystemDb } from '../../db/types.ts';
import type { KeyPurpose, KeyState, KeyStore, WrappedKeyRecord } from './types.ts';

interface Row {
  tenant_id: string;
  purpose: KeyPurpose;
  version: number;
  wrapped_key: Uint8Array;
  kek_id: string;
  state: KeyState;
  created_at: Date | string;
}

const COLUMNS = 'tenant_id, purpose, version, wrapped_key, kek_id, state, created_at';
const ORDER = 'ORDER BY version, purpose';

function fromRow(r: Row): WrappedKeyRecord {
  return {
    tenantId: r.tenant_id as TenantId,
    purpose: r.purpose,
    version: Number(r.version),
    wrappedKey: Buffer.from(r.wrapped_key),
    kekId: r.kek_id,
    createdAt: new Date(r.created_at),
    state: r.state,
  };
}

const copy = (r: WrappedKeyRecord): WrappedKeyRecord => ({ ...r, wrappedKey: Buffer.from(r.wrappedKey), createdAt: new Date(r.createdAt) });
const isUniqueViolation = (e: unknown) => (e as { code?: unknown })?.code === '23505' || (e as { cause?: { code?: unknown } })?.cause?.code === '23505';

export interface DbKeyStore extends KeyStore {
  /** Embedded engine: reads every record into memory (call once before serving). No-op on PostgreSQL. */
  load(): Promise<void>;
}

export function createDbKeyStore(systemDb: SystemDb, opts: { engine: 'embedded' | 'postgres' }): DbKeyStore {
  const mirror = opts.engine === 'embedded' ? new Map<string, WrappedKeyRecord[]>() : undefined;
  let loaded = false;

  function ensureLoaded(): void {
    if (mirror && !loaded) throw new WardError('KEY_NOT_FOUND', 'The key store was not loaded before use.');
  }

  async function select(tenantId: TenantId): Promise<WrappedKeyRecord[]> {
    if (mirror) {
      ensureLoaded();
      return (mirror.get(tenantId) ?? []).map(copy);
    }
    const { rows } = await systemDb.query<Row>(`SELECT ${COLUMNS} FROM tenant_keys WHERE tenant_id = $1 ${ORDER}`, [tenantId]);
    return rows.map(fromRow);
  }

  async function refreshMirror(tenantId: TenantId): Promise<void> {
    if (!mirror) return;
    const { rows } = await systemDb.query<Row>(`SELECT ${COLUMNS} FROM tenant_keys WHERE tenant_id = $1 ${ORDER}`, [tenantId]);
    mirror.set(tenantId, rows.map(fromRow));
  }

  return {
    async load() {
      if (!mirror) return;
      mirror.clear();
      // Before migration 0006 (`ward migrate` opens the database unmigrated) there is nothing to load.
      const table = await systemDb.query<{ t: string | null }>("SELECT to_regclass('public.tenant_keys')::text AS t");
      if (!table.rows[0]?.t) {
        loaded = true;
        return;
      }
      const { rows } = await systemDb.query<Row>(`SELECT ${COLUMNS} FROM tenant_keys ${ORDER}`);
      for (const row of rows) {
        const record = fromRow(row);
        mirror.set(record.tenantId, [...(mirror.get(record.tenantId) ?? []), record]);
      }
      loaded = true;
    },

    async getActiveDataKey(tenantId, purpose) {
      if (mirror) return (await select(tenantId)).find((r) => r.purpose === purpose && r.state === 'active');
      const { rows } = await systemDb.query<Row>(
        `SELECT ${COLUMNS} FROM tenant_keys WHERE tenant_id = $1 AND purpose = $2 AND state = 'active'`,
        [tenantId, purpose],
      );
      return rows[0] && fromRow(rows[0]);
    },

    async getDataKey(tenantId, purpose, version) {
      if (mirror) return (await select(tenantId)).find((r) => r.purpose === purpose && r.version === version);
      const { rows } = await systemDb.query<Row>(
        `SELECT ${COLUMNS} FROM tenant_keys WHERE tenant_id = $1 AND purpose = $2 AND version = $3`,
        [tenantId, purpose, version],
      );
      return rows[0] && fromRow(rows[0]);
    },

    async putDataKey(record) {
      ensureLoaded();
      try {
        await systemDb.transaction(async (tx) => {
          // One transaction: the previous active version turns retiring as the new one lands.
          if (record.state === 'active') {
            await tx.query("UPDATE tenant_keys SET state = 'retiring' WHERE tenant_id = $1 AND purpose = $2 AND state = 'active'", [
              record.tenantId,
              record.purpose,
            ]);
          }
          await tx.query(
            `INSERT INTO tenant_keys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [record.tenantId, record.purpose, record.version, record.wrappedKey, record.kekId, record.state, record.createdAt],
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          await refreshMirror(record.tenantId);
          throw new WardError('CONFLICT', `Tenant ${record.tenantId} already has ${record.purpose} key version ${record.version}.`, { cause: e });
        }
        throw e;
      }
      await refreshMirror(record.tenantId);
    },

    async updateDataKey(record) {
      ensureLoaded();
      const { rowCount } = await systemDb.query(
        'UPDATE tenant_keys SET wrapped_key = $4, kek_id = $5, state = $6 WHERE tenant_id = $1 AND purpose = $2 AND version = $3',
        [record.tenantId, record.purpose, record.version, record.wrappedKey, record.kekId, record.state],
      );
      if (rowCount === 0) throw new WardError('KEY_NOT_FOUND', `Tenant ${record.tenantId} has no ${record.purpose} key version ${record.version}.`);
      await refreshMirror(record.tenantId);
    },

    listDataKeys: select,
  };
}
