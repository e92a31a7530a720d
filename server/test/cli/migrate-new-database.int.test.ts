// `ward migrate` as an operator runs it first, outside any server, on a new PostgreSQL database
// (R-OPS-1): nothing it opens may need a table the migrations have not made yet.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENGINES, postgresTestUrls } from '../support/databases.ts';

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;

test('ward migrate applies every migration to a new database and exits 0', { skip: postgres.skip }, async () => {
  const pg = await postgresTestUrls();
  const dir = mkdtempSync(join(tmpdir(), 'ward-migrate-'));
  try {
    const env = { ...process.env, WARD_DATA_DIR: dir, WARD_MIGRATION_DATABASE_URL: pg.ownerUrl, WARD_DATABASE_URL: pg.appUrl, WARD_LOG_LEVEL: 'warn' };
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/ward.mjs', 'migrate'], { cwd: join(import.meta.dirname, '../..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('error', reject);
      child.on('exit', (c) => resolve({ code: c, out: text }));
    });
    assert.equal(code, 0, out);
    assert.match(out, /migrations: (\d+) known, \1 applied now \(postgres\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pg.drop();
  }
});
