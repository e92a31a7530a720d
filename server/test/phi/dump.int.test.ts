/**
 * R-DATA-1 on real PostgreSQL: a pg_dump of the PHI tables holds no demo PHI in clear (neither as
 * text nor as the hex of a bytea), and a dump taken before a shred, restored into a new database
 * after it, stays unreadable. Skipped with a reason when PostgreSQL or pg_dump is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createDbKeyStore } from '../../src/modules/crypto/db-key-store.ts';
import { createFieldCipher } from '../../src/modules/crypto/index.ts';
import { getPatient } from '../../src/modules/phi/index.ts';
import { postgresTestDatabase, postgresUrl } from '../support/databases.ts';
import { openSeededWorld, tid, type SeededWorld } from './phi-database.ts';

const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;
const skip = !postgresUrl ? 'WARD_TEST_DATABASE_URL is not set: PostgreSQL dump tests skipped' : !hasPgDump ? 'pg_dump is not installed: dump tests skipped' : false;

describe('database dumps hold no PHI in clear (PostgreSQL)', { skip }, () => {
  let w: SeededWorld;
  let dir: string;
  before(async () => {
    w = await openSeededWorld(postgresTestDatabase);
    dir = mkdtempSync(join(tmpdir(), 'ward-dump-'));
  });
  after(async () => {
    await w?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ownerUrl = () => w.database.env.WARD_MIGRATION_DATABASE_URL!;

  test('a pg_dump of patients, utterances and case notes contains none of the demo names, phone numbers or dates of birth', () => {
    const file = join(dir, 'phi.sql');
    execFileSync('pg_dump', ['--data-only', '-t', 'patients', '-t', 'utterances', '-t', 'case_notes', '-t', 'calls', '-f', file, ownerUrl()]);
    const dump = readFileSync(file, 'utf8');
    assert.ok(dump.includes('COPY public.patients'), 'the dump has the patients table');
    const secrets = w.data.patients.flatMap((p) => [p.givenName, p.familyName, p.phone, p.phone.slice(2), p.dateOfBirth]).filter((s) => s.length >= 4);
    const hex = dump.toLowerCase();
    // As hex, a secret of under 8 characters turns up by chance in megabytes of random ciphertext
    // (a 4-letter name is 8 hex digits; seen once in a full run): such a secret counts as leaked only
    // as a whole bytea value (`\\x…` then a tab or line end in COPY text), a longer one anywhere.
    const asHex = (s: string) => {
      const h = Buffer.from(s).toString('hex');
      return s.length >= 8 ? hex.includes(h) : hex.includes(`\\\\x${h}\t`) || hex.includes(`\\\\x${h}\n`);
    };
    const leaked = [...new Set(secrets)].filter((s) => dump.includes(s) || asHex(s));
    assert.deepEqual(leaked, []);
  });

  test('a dump taken before the shred and restored after it stays unreadable', async () => {
    const file = join(dir, 'pre-shred.sql');
    execFileSync('pg_dump', ['--data-only', '-t', 'tenants', '-t', 'tenant_keys', '-t', 'patients', '-f', file, ownerUrl()]);
    const tenant = w.data.tenants[0]!;
    const p = w.data.patients.find((x) => x.tenantId === tenant.id)!;
    await w.cipher.destroyTenant(tid(tenant.id));

    const name = `ward_restore_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`); // generated name, not input
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    const appUrl = new URL(url.href);
    appUrl.username = 'ward_app';
    const db = openPostgres({ appUrl: appUrl.href, migrationUrl: url.href }, { size: 2 });
    try {
      await migrate(db.systemDb);
      execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', file, url.href]);
      const keyStore = createDbKeyStore(db.systemDb, { engine: 'postgres' });
      const restored = createFieldCipher({ kms: w.kms, keyStore });
      await assert.rejects(
        db.scoped(w.scope(tenant.id), (tx) => getPatient(tx, restored, tid(tenant.id), p.id, { fields: ['givenName'] })),
        { code: 'KEY_DESTROYED' },
      );
      const { rows } = await db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1', [tenant.id]);
      assert.ok((rows[0]?.n ?? 0) > 0, 'the restored rows are there, only unreadable');
    } finally {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
