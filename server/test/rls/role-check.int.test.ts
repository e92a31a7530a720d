// R-AUTHZ-7: the server refuses to start as a database role that is, or belongs to (transitively,
// whatever INHERIT says), a role able to read or write past row-level security. Each refused
// membership stops the start with DB_UNSAFE_ROLE naming the role. PostgreSQL only: roles are
// cluster-wide, so each case creates its own uniquely named roles and drops them after.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { WardError } from '@ward/contracts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { postgresTestDatabase, postgresUrl, POSTGRES_SKIP_REASON, type TestDatabase } from '../support/databases.ts';

describe('start-up role check on PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let t: TestDatabase;
  const created: string[] = [];
  const tag = randomBytes(4).toString('hex');

  before(async () => {
    t = await postgresTestDatabase();
  });
  after(async () => {
    if (t) {
      await t.superuser(async (tx) => {
        for (const role of created.reverse()) await tx.query(`DROP ROLE IF EXISTS ${role}`);
      });
      await t.close();
    }
  });

  /** A role of this run; `attributes` is fixed SQL of this file, never input. */
  async function role(name: string, attributes: string): Promise<string> {
    const full = `ward_test_rc_${tag}_${name}`;
    await t.superuser((tx) => tx.query(`CREATE ROLE ${full} ${attributes}`));
    created.push(full);
    return full;
  }

  async function startAs(login: string): Promise<void> {
    const appUrl = Object.assign(new URL(t.env.WARD_DATABASE_URL!), { username: login }).href;
    const config = loadConfig({ WARD_DATABASE_URL: appUrl, WARD_MIGRATION_DATABASE_URL: t.env.WARD_MIGRATION_DATABASE_URL });
    const opened = await openDatabase(config, { migrate: false, serve: true });
    await opened.db.close();
  }

  async function refusedStart(login: string, named: string): Promise<string> {
    const error = await startAs(login).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof WardError, `start as ${login} must be refused, got ${String(error)}`);
    assert.equal(error.code, 'DB_UNSAFE_ROLE');
    assert.match(error.message, new RegExp(`\\b${named}\\b`), `the message names ${named}`);
    return error.message;
  }

  test('ward_app itself starts', async () => {
    await startAs('ward_app');
  });

  const predefined = ['pg_read_all_data', 'pg_write_all_data', 'pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];
  for (const granted of predefined) {
    test(`a member of ${granted} is refused`, async () => {
      const login = await role(granted.replace(/^pg_/, ''), 'LOGIN NOINHERIT');
      await t.superuser((tx) => tx.query(`GRANT ${granted} TO ${login}`));
      await refusedStart(login, granted);
    });
  }

  test('a member of a superuser, BYPASSRLS or CREATEROLE role is refused, even through another role and with NOINHERIT', async () => {
    const cases: Array<[string, string]> = [['super', 'NOLOGIN SUPERUSER'], ['bypass', 'NOLOGIN BYPASSRLS'], ['createrole', 'NOLOGIN CREATEROLE']];
    for (const [name, attributes] of cases) {
      const strong = await role(name, attributes);
      const middle = await role(`${name}_middle`, 'NOLOGIN NOINHERIT');
      const login = await role(`${name}_login`, 'LOGIN NOINHERIT');
      await t.superuser(async (tx) => {
        await tx.query(`GRANT ${strong} TO ${middle}`);
        await tx.query(`GRANT ${middle} TO ${login}`);
      });
      await refusedStart(login, strong);
    }
  });

  test('the role itself being BYPASSRLS or CREATEROLE is refused', async () => {
    await refusedStart(await role('self_bypass', 'LOGIN BYPASSRLS'), 'BYPASSRLS');
    await refusedStart(await role('self_createrole', 'LOGIN CREATEROLE'), 'CREATEROLE');
  });

  test('a member of the table owner or of the definer-function owner is refused', async () => {
    const ownerMember = await role('owner_member', 'LOGIN NOINHERIT');
    await t.superuser((tx) => tx.query(`GRANT ward_owner TO ${ownerMember}`));
    assert.match(await refusedStart(ownerMember, 'ward_owner'), /owner of tables/);
    const definerMember = await role('definer_member', 'LOGIN NOINHERIT');
    await t.superuser((tx) => tx.query(`GRANT ward_definer TO ${definerMember}`));
    assert.match(await refusedStart(definerMember, 'ward_definer'), /SECURITY DEFINER/);
  });
});
