import assert from 'node:assert/strict';
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

  test('the migration URL defaults to the application URL', () => {
    const config = loadConfig({ WARD_DATABASE_URL: 'postgres://ward_app@db:5432/ward' });
    assert.deepEqual(config.database, { engine: 'postgres', appUrl: 'postgres://ward_app@db:5432/ward', migrationUrl: 'postgres://ward_app@db:5432/ward' });
  });

  test('with only the owner URL the application logs in as ward_app on the same database', () => {
    const config = loadConfig({ WARD_MIGRATION_DATABASE_URL: 'postgres://postgres:secret@db:5432/ward' });
    assert.equal(config.database.engine, 'postgres');
    if (config.database.engine === 'postgres') assert.equal(config.database.appUrl, 'postgres://ward_app@db:5432/ward');
  });

  for (const [name, env, pattern] of [
    ['a database URL that is not PostgreSQL', { WARD_DATABASE_URL: 'mysql://x@y/z' }, /WARD_DATABASE_URL must start with postgres/],
    ['a port that is not a number', { WARD_PORT: '80a' }, /WARD_PORT/],
    ['an origin with a path', { WARD_ORIGIN: 'https://ward.example.org/app' }, /WARD_ORIGIN must be an origin only/],
    ['a plain-http origin on a public host', { WARD_ORIGIN: 'http://ward.example.org' }, /https/],
    ['an unknown log level', { WARD_LOG_LEVEL: 'loud' }, /WARD_LOG_LEVEL/],
  ] as const) {
    test(`refuses ${name} with CONFIG_INVALID naming the variable`, () => {
      assert.throws(() => loadConfig(env), (e: { code?: string; message: string }) => e.code === 'CONFIG_INVALID' && pattern.test(e.message));
    });
  }
});
