// R-OPS-1: the start waits for PostgreSQL with a line naming host, port and variable (never the
// password), gives up with DATABASE_UNREACHABLE, and stops at once on a refused login.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server } from 'node:net';
import { describe, test } from 'node:test';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../../test/support/databases.ts';
import { waitForPostgres } from './postgres.ts';

const CLOSED_PORT = 18599;

describe('waiting for PostgreSQL at start', () => {
  test('an address where nothing listens: retry lines, then DATABASE_UNREACHABLE naming host, port and variable', async () => {
    const lines: string[] = [];
    const url = `postgres://ward_app:hunter2@127.0.0.1:${CLOSED_PORT}/ward`;
    await assert.rejects(waitForPostgres(url, 'WARD_DATABASE_URL', { waitSeconds: 1, intervalMs: 200, report: (l) => lines.push(l) }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'DATABASE_UNREACHABLE');
      assert.match(e.message, new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_PORT} \\(from WARD_DATABASE_URL\\) did not answer within 1 s: connection refused\\.`));
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
    assert.match(lines[0] ?? '', new RegExp(`^waiting for PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_PORT} \\(from WARD_DATABASE_URL\\): connection refused; retrying for up to 1 s`));
    assert.doesNotMatch(lines.join('\n'), /hunter2/);
  });

  test('a host that does not resolve fails at once', async () => {
    const started = Date.now();
    await assert.rejects(waitForPostgres('postgres://ward_app@no-such-host.invalid:5432/ward', 'WARD_MIGRATION_DATABASE_URL', { waitSeconds: 30 }), /no such host.*WARD_MIGRATION_DATABASE_URL/);
    assert.ok(Date.now() - started < 10_000);
  });

  test('PostgreSQL that starts late is waited for', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, async () => {
    // A proxy to the real server that starts listening after a second, as a starting database would.
    const target = new URL(postgresUrl!);
    const proxy: Server = createServer((client) => {
      const upstream = createConnection(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    const port = CLOSED_PORT - 1;
    const timer = setTimeout(() => proxy.listen(port, '127.0.0.1'), 1200);
    const lines: string[] = [];
    try {
      const url = new URL(postgresUrl!);
      url.host = `127.0.0.1:${port}`;
      await waitForPostgres(url.href, 'WARD_DATABASE_URL', { waitSeconds: 20, intervalMs: 250, report: (l) => lines.push(l) });
      assert.match(lines[0] ?? '', /^waiting for PostgreSQL at 127\.0\.0\.1:18598 \(from WARD_DATABASE_URL\): connection refused/);
      assert.match(lines.at(-1) ?? '', /answers now/);
    } finally {
      clearTimeout(timer);
      await new Promise((r) => proxy.close(r));
    }
  });

  test('a refused login stops at once with DATABASE_LOGIN_FAILED', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, async () => {
    const url = new URL(postgresUrl!);
    url.pathname = '/ward_h14_no_such_database';
    await assert.rejects(waitForPostgres(url.href, 'WARD_DATABASE_URL', { waitSeconds: 30 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'DATABASE_LOGIN_FAILED');
      assert.match(e.message, /refused the login of user postgres: the database does not exist\. Check the user, password and database in WARD_DATABASE_URL/);
      return true;
    });
  });
});
