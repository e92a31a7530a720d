import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  test('with no database URL it uses the embedded database under .ward/ and port 8080', () => {
    const config = loadConfig({});
    assert.equal(config.database.engine, 'embedded');
    assert.ok(config.dataDir.endsWith('/.ward'));
    assert.equal(config.port, 8080);
    assert.equal(config.origin.origin, 'http://localhost:8080');
  });

  test('enrollment links go to a file outbox under the data directory unless WARD_SMTP_URL names an SMTP server', () => {
    const local = loadConfig({ WARD_DATA_DIR: '/srv/ward' });
    assert.deepEqual(local.notify, { smtpUrl: null, outboxDir: '/srv/ward/outbox', from: 'Ward <no-reply@localhost>' });
    assert.equal(loadConfig({ WARD_SMTP_URL: 'smtps://ward:pw@mail.example.org:465' }).notify.smtpUrl, 'smtps://ward:pw@mail.example.org:465');
    assert.throws(() => loadConfig({ WARD_SMTP_URL: 'https://mail.example.org' }), { code: 'CONFIG_INVALID', message: /WARD_SMTP_URL/ });
  });

  test('WARD_EGRESS_ALLOW lists the outbound exceptions (R-WORK-4): none by default, a bad entry refuses the start', () => {
    assert.deepEqual(loadConfig({}).egressAllow, []);
    assert.deepEqual(loadConfig({ WARD_EGRESS_ALLOW: '127.0.0.1, ::1,10.20.0.0/16,idp.internal.example.org' }).egressAllow, ['127.0.0.1', '::1', '10.20.0.0/16', 'idp.internal.example.org']);
    assert.throws(() => loadConfig({ WARD_EGRESS_ALLOW: '10.0.0.0/40' }), { code: 'CONFIG_INVALID', message: /WARD_EGRESS_ALLOW/ });
  });

  test('the migration URL defaults to the application URL', () => {
    const config = loadConfig({ WARD_DATABASE_URL: 'postgres://ward_app@db:5432/ward' });
    assert.deepEqual(config.database, {
      engine: 'postgres', appUrl: 'postgres://ward_app@db:5432/ward', migrationUrl: 'postgres://ward_app@db:5432/ward',
      appUrlVariable: 'WARD_DATABASE_URL', migrationUrlVariable: 'WARD_DATABASE_URL', tls: 'off', waitSeconds: 30,
      pool: { size: 10, queueLimit: 200, acquireTimeoutMs: 5000, statementTimeoutMs: 15_000 },
    });
  });

  test('R-OPS-1: the pool limits come from WARD_DB_*; a value out of bounds refuses the start', () => {
    const base = { WARD_DATABASE_URL: 'postgres://ward_app@db:5432/ward' };
    const config = loadConfig({ ...base, WARD_DB_POOL_SIZE: '4', WARD_DB_QUEUE_LIMIT: '0', WARD_DB_ACQUIRE_TIMEOUT_MS: '250', WARD_DB_STATEMENT_TIMEOUT_MS: '2000' });
    assert.equal(config.database.engine, 'postgres');
    if (config.database.engine === 'postgres') assert.deepEqual(config.database.pool, { size: 4, queueLimit: 0, acquireTimeoutMs: 250, statementTimeoutMs: 2000 });
    assert.throws(() => loadConfig({ ...base, WARD_DB_POOL_SIZE: '0' }), { code: 'CONFIG_INVALID', message: /WARD_DB_POOL_SIZE must be a whole number from 1 to 500/ });
    assert.throws(() => loadConfig({ ...base, WARD_DB_STATEMENT_TIMEOUT_MS: '5s' }), { code: 'CONFIG_INVALID', message: /WARD_DB_STATEMENT_TIMEOUT_MS/ });
  });

  test('with only the owner URL the application logs in as ward_app on the same database', () => {
    const config = loadConfig({ WARD_MIGRATION_DATABASE_URL: 'postgres://postgres:secret@db:5432/ward' });
    assert.equal(config.database.engine, 'postgres');
    if (config.database.engine === 'postgres') assert.equal(config.database.appUrl, 'postgres://ward_app@db:5432/ward');
  });

  test('WARD_DEMO_SEED is read with the rest: auto on the embedded database, never on PostgreSQL', () => {
    assert.equal(loadConfig({}).demoSeed, 'auto');
    assert.equal(loadConfig({ WARD_DATABASE_URL: 'postgres://ward_app@db/ward' }).demoSeed, 'never');
    assert.equal(loadConfig({ WARD_DEMO_SEED: 'never' }).demoSeed, 'never');
  });

  test('WARD_KMS selects the keyring (default) or AWS KMS', () => {
    assert.deepEqual(loadConfig({}).kms, { kind: 'keyring' });
    assert.deepEqual(loadConfig({ WARD_KMS: 'aws', AWS_REGION: 'eu-west-1' }).kms, { kind: 'aws', region: 'eu-west-1', endpoint: undefined, keyPrefix: 'alias/ward-tenant-' });
    assert.deepEqual(
      loadConfig({ WARD_KMS: 'aws', WARD_AWS_REGION: 'us-east-2', WARD_AWS_KMS_ENDPOINT: 'https://vpce-1.kms.us-east-2.vpce.amazonaws.com', WARD_AWS_KMS_KEY_PREFIX: 'alias/acme-' }).kms,
      { kind: 'aws', region: 'us-east-2', endpoint: 'https://vpce-1.kms.us-east-2.vpce.amazonaws.com', keyPrefix: 'alias/acme-' },
    );
  });

  test('PostgreSQL over TLS: sslmode=verify-full with a readable CA file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
      const tls = loadConfig({ WARD_MIGRATION_DATABASE_URL: `postgres://postgres@db/ward?sslmode=verify-full&sslrootcert=${ca}` });
      assert.ok(tls.database.engine === 'postgres' && tls.database.tls === 'verify-full');
      // The derived application URL keeps the TLS parameters.
      assert.ok(tls.database.engine === 'postgres' && tls.database.appUrl.includes('sslmode=verify-full'));
      for (const [env, pattern] of [
        [{ WARD_DATABASE_URL: 'postgres://ward_app@db/ward?sslmode=require' }, /WARD_DATABASE_URL: sslmode must be verify-full/],
        [{ WARD_DATABASE_URL: 'postgres://ward_app@db/ward?sslmode=verify-full' }, /needs sslrootcert/],
        [{ WARD_DATABASE_URL: `postgres://ward_app@db/ward?sslmode=verify-full&sslrootcert=${join(dir, 'missing.pem')}` }, /sslrootcert file cannot be read/],
        [{ WARD_DATABASE_URL: `postgres://ward_app@db/ward?sslmode=verify-full&sslrootcert=${ca}`, WARD_MIGRATION_DATABASE_URL: 'postgres://postgres@db/ward' }, /both ask for TLS/],
      ] as const) {
        assert.throws(() => loadConfig(env), (e: { code?: string; message: string }) => e.code === 'CONFIG_INVALID' && pattern.test(e.message));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('only config.ts and its config/ folder read WARD_ variables, and they read every one the README documents', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !path.includes('/test-support/')) files.push(path);
      }
    };
    walk(join(root, 'server/src'));
    const readers = files.filter((f) => /process\.env\.WARD_|env\.WARD_(?!TEST)/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    assert.deepEqual(readers.filter((f) => f !== 'server/src/config.ts' && !f.startsWith('server/src/config/')), []);
    assert.ok(readers.includes('server/src/config.ts'));
    const config = readers.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    const documented = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^\| `(WARD_[A-Z_]+)`(?:, `(WARD_[A-Z_]+)`)? \|/gm)].flatMap((m) => [m[1], m[2]]).filter((v): v is string => v !== undefined);
    assert.ok(documented.length >= 15, `documented: ${documented.join(', ')}`);
    assert.deepEqual(documented.filter((v) => !config.includes(`env.${v}`)), [], 'documented but never read');
    const read = [...new Set([...config.matchAll(/env\.(WARD_[A-Z_]+)/g)].map((m) => m[1]!))];
    assert.deepEqual(read.filter((v) => !documented.includes(v)), [], 'read but not documented in the README');
  });

  for (const [name, env, pattern] of [
    ['a database URL that is not PostgreSQL', { WARD_DATABASE_URL: 'mysql://x@y/z' }, /WARD_DATABASE_URL must start with postgres/],
    ['a port that is not a number', { WARD_PORT: '80a' }, /WARD_PORT/],
    ['an origin with a path', { WARD_ORIGIN: 'https://ward.example.org/app' }, /WARD_ORIGIN must be an origin only/],
    ['a plain-http origin on a public host', { WARD_ORIGIN: 'http://ward.example.org' }, /https/],
    ['an unknown log level', { WARD_LOG_LEVEL: 'loud' }, /WARD_LOG_LEVEL/],
    ['an unknown demo seed mode', { WARD_DEMO_SEED: 'yes' }, /WARD_DEMO_SEED must be auto or never/],
    ['an unknown KMS', { WARD_KMS: 'vault' }, /WARD_KMS must be keyring or aws/],
    ['AWS KMS without a region', { WARD_KMS: 'aws' }, /WARD_AWS_REGION/],
    ['a database wait that is not seconds', { WARD_DATABASE_URL: 'postgres://a@b/c', WARD_DATABASE_WAIT_SECONDS: '5m' }, /WARD_DATABASE_WAIT_SECONDS/],
  ] as const) {
    test(`refuses ${name} with CONFIG_INVALID naming the variable`, () => {
      assert.throws(() => loadConfig(env), (e: { code?: string; message: string }) => e.code === 'CONFIG_INVALID' && pattern.test(e.message));
    });
  }
});

test('WARD_METRICS_ADDRESS: 127.0.0.1:9464 by default, off, and never the public port (R-OPS-1)', () => {
  assert.deepEqual(loadConfig({}).observability, { metrics: { host: '127.0.0.1', port: 9464 }, otlpEndpoint: null });
  assert.equal(loadConfig({ WARD_METRICS_ADDRESS: 'off' }).observability.metrics, null);
  assert.deepEqual(loadConfig({ WARD_METRICS_ADDRESS: '[::1]:9100' }).observability.metrics, { host: '::1', port: 9100 });
  assert.throws(() => loadConfig({ WARD_PORT: '9464' }), { code: 'CONFIG_INVALID', message: 'WARD_METRICS_ADDRESS must not use the public port (WARD_PORT)' });
  assert.throws(() => loadConfig({ WARD_METRICS_ADDRESS: '9464' }), { code: 'CONFIG_INVALID' });
  assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), { code: 'CONFIG_INVALID' });
  assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).observability.otlpEndpoint, 'http://127.0.0.1:4318');
});
