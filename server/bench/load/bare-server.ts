/**
 * The floor `npm run bench:http` measures Ward against (R-OPS-1): a bare Fastify server over the
 * same database with the same pool size as Ward's, and nothing else — no authentication, policy,
 * scope, decryption or audit. Two routes:
 *   GET /bare/:id          reads one patient row (the columns Ward's guarded read loads)
 *   GET /bare-insert/:id   the same read, then one audit-sized row (~600 bytes) inserted and
 *                          committed in the same transaction: the one durable commit a guarded read
 *                          must make
 * PostgreSQL through `pg` (BARE_DATABASE_URL, a role that reads without row-level security), or the
 * embedded engine through PGlite's own client (BARE_DATA_DIR, Ward's data directory, while Ward is
 * stopped). Listens on 127.0.0.1:BARE_PORT; prints `listening` when ready.
 */
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';

const READ = 'SELECT id, phi_scope, given_name_enc, family_name_enc, date_of_birth_enc FROM patients WHERE id = $1';
const CREATE = `CREATE TABLE IF NOT EXISTS bench_bare_audit (
  seq bigserial PRIMARY KEY, tenant_id uuid NOT NULL, actor_id uuid NOT NULL, action text NOT NULL, target_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL)`;
const INSERT = 'INSERT INTO bench_bare_audit (tenant_id, actor_id, action, target_id, payload) VALUES ($1, $2, $3, $4, $5)';
const ACTOR = '00000000-0000-4000-8000-000000000001';
// What an audit row of a guarded read carries besides its columns: ~600 bytes in all.
const PAYLOAD = JSON.stringify({ decision: 'allow', policyIds: ['permit-agent-read', 'forbid-unmanaged-device'], reasons: ['permit'], metadata: { justified: false, masked: 'dateOfBirth,phone', policySet: 'x'.repeat(64) }, sourceIp: '127.0.0.1', sessionId: ACTOR, deviceId: ACTOR, purpose: 'TREAT', pad: 'p'.repeat(240) });

interface Store {
  read(id: string): Promise<number>;
  readAndInsert(id: string): Promise<number>;
  close(): Promise<void>;
}

async function postgresStore(url: string, max: number): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max });
  await pool.query(CREATE);
  return {
    async read(id) {
      return (await pool.query({ name: 'bare_read', text: READ, values: [id] })).rowCount ?? 0;
    },
    async readAndInsert(id) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ id: string }>({ name: 'bare_read', text: READ, values: [id] });
        await client.query({ name: 'bare_insert', text: INSERT, values: [ACTOR, ACTOR, 'patient.read', rows[0]?.id ?? ACTOR, PAYLOAD] });
        await client.query('COMMIT');
        return rows.length;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function embeddedStore(dataDir: string): Promise<Store> {
  const db = await PGlite.create(`${dataDir}/pgdata`);
  await db.query(CREATE);
  return {
    async read(id) {
      return (await db.query(READ, [id])).rows.length;
    },
    readAndInsert: (id) => db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(READ, [id]);
      await tx.query(INSERT, [ACTOR, ACTOR, 'patient.read', rows[0]?.id ?? ACTOR, PAYLOAD]);
      return rows.length;
    }),
    close: () => db.close(),
  };
}

const store = process.env.BARE_DATABASE_URL
  ? await postgresStore(process.env.BARE_DATABASE_URL, Number(process.env.BARE_POOL_SIZE ?? 10))
  : await embeddedStore(process.env.BARE_DATA_DIR ?? '');
const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/bare/:id', async (req) => ({ rows: await store.read(req.params.id) }));
app.get<{ Params: { id: string } }>('/bare-insert/:id', async (req) => ({ rows: await store.readAndInsert(req.params.id) }));
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.BARE_PORT) });
process.stdout.write('listening\n');
const stop = async () => {
  await app.close();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
