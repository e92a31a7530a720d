// R-AUTHZ-7, R-AUTHZ-5, R-AUDIT-2: a leaked ward_app credential reads nothing and grants nothing.
// The attacker here is a plain connection logged in as ward_app (what psql with the leaked password
// gives), issuing SQL of their choosing: they can set every ward.* setting themselves, but not make
// the MAC that the policies verify. A valid MAC made with the real key on the attacker's own
// connection reads rows: each refusal below is the MAC's doing, not a broken fixture.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { beginScopeSql, loadScopeKey, macScope } from '../../src/db/scope-key.ts';
import { postgresTestDatabase, postgresUrl, POSTGRES_SKIP_REASON, type TestDatabase } from '../support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../support/fixtures.ts';

const A = '0a000000-0000-4000-8000-0000000000aa';
const B = '0b000000-0000-4000-8000-0000000000bb';
const OWNER_A = '0a000000-0000-4000-8000-000000000001';
const ADMIN_A = '0a000000-0000-4000-8000-000000000002';
const AGENT_A = '0a000000-0000-4000-8000-000000000003';
const OWNER_B = '0b000000-0000-4000-8000-000000000001';
const INVITEE_A = '0a000000-0000-4000-8000-000000000004';
const TOKEN_A = '0a000000-0000-4000-8000-0000000000e1';

type Settings = string; // ward.scope (0099): MAC \n tenant \n PHI keys \n tenant/kind:actor \n expiry
const SET = "SELECT set_config('ward.scope', $1, true)";
/** The value with field i (0 MAC, 1 tenant, 2 PHI keys, 3 tenant/kind:actor, 4 expiry) replaced. */
const withField = (value: Settings, i: number, replacement: string): Settings => value.split('\n').map((f, j) => (j === i ? replacement : f)).join('\n');
/** A scope an attacker writes without the key: the server's format, a MAC of their making. */
const forgedScope = (tenant: string, actor: string, scopes: string[] = []) =>
  ['ab'.repeat(32), tenant, scopes.map((s) => `${tenant}/${s}`).join(','), `${tenant}/human:${actor}`, String(Math.floor(Date.now() / 1000) + 30)].join('\n');

describe('a leaked ward_app credential, used directly against PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let t: TestDatabase;
  let attacker: pg.Client;
  let attackerPid: number;
  let key: Buffer;

  before(async () => {
    t = await postgresTestDatabase();
    await t.superuser(async (tx) => {
      await insertTenant(tx, A, 'attacked-a');
      await insertTenant(tx, B, 'attacked-b');
      await insertMember(tx, { id: OWNER_A, tenantId: A, email: 'owner@a.test', roles: ['Owner'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: ADMIN_A, tenantId: A, email: 'admin@a.test', roles: ['Admin'], scopes: [] });
      await insertMember(tx, { id: AGENT_A, tenantId: A, email: 'agent@a.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: OWNER_B, tenantId: B, email: 'owner@b.test', roles: ['Owner'], scopes: ['Healthcare-PHI'] });
      await insertPatient(tx, { id: '0a000000-0000-4000-8000-0000000000f1', tenantId: A, phiScope: 'Healthcare-PHI', mrn: 'A-1' });
      await insertPatient(tx, { id: '0a000000-0000-4000-8000-0000000000f2', tenantId: A, phiScope: 'SUD-Part2', mrn: 'A-2' });
      await insertPatient(tx, { id: '0b000000-0000-4000-8000-0000000000f1', tenantId: B, phiScope: 'Healthcare-PHI', mrn: 'B-1' });
      await tx.query("INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome) VALUES ($1, 'system', 'fixture', 'fixture.load', 'success')", [B]);
      for (const m of [OWNER_A, ADMIN_A]) {
        await tx.query('INSERT INTO passkey_credentials (tenant_id, member_id, credential_id, public_key) VALUES ($1, $2, $3, $4)', [A, m, `cred-${m}`, Buffer.from('pk')]);
      }
      // A pending Admin invitation made by ADMIN_A, and a tenant policy proposed by OWNER_A.
      await tx.query("INSERT INTO members (id, tenant_id, email, display_name, status) VALUES ($1, $2, 'invitee@a.test', 'I', 'invited')", [INVITEE_A, A]);
      await tx.query(`INSERT INTO enrollment_tokens (id, tenant_id, member_id, token_hash, created_by, expires_at, role, requires_approval)
                      VALUES ($1, $2, $3, $4, $5, now() + interval '1 day', 'Admin', true)`, [TOKEN_A, A, INVITEE_A, Buffer.from('invite-a'), ADMIN_A]);
      await tx.query("INSERT INTO tenant_policies (tenant_id, version, policy_text, proposed_by) VALUES ($1, 1, 'forbid (principal, action, resource);', $2)", [A, OWNER_A]);
    });
    // The server's first scoped transaction creates the key.
    await t.db.scoped({ tenantId: A, phiScopes: [], actorId: OWNER_A, actorKind: 'human' }, (tx) => tx.query('SELECT 1'));
    key = await loadScopeKey(t.db.systemDb);
    attacker = new pg.Client({ connectionString: t.env.WARD_DATABASE_URL });
    await attacker.connect();
    attackerPid = (await attacker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  });
  after(async () => {
    await attacker?.end();
    await t?.close();
  });

  /** Runs statements as the attacker in one transaction with the given settings; rolls back. */
  async function as<T>(settings: Settings | null, fn: () => Promise<T>): Promise<T> {
    await attacker.query('BEGIN');
    try {
      if (settings) await attacker.query(SET, [settings]);
      return await fn();
    } finally {
      await attacker.query('ROLLBACK');
    }
  }
  const rows = async (sql: string, params: unknown[] = []) => (await attacker.query(sql, params)).rowCount ?? 0;
  async function sqlstate(sql: string, params: unknown[] = []): Promise<string> {
    await attacker.query('SAVEPOINT s');
    try {
      await attacker.query(sql, params);
    } catch (e) {
      await attacker.query('ROLLBACK TO SAVEPOINT s');
      return String((e as { code?: string }).code);
    }
    await attacker.query('ROLLBACK TO SAVEPOINT s');
    return assert.fail(`not refused: ${sql}`);
  }
  const valid = (tenant: string, scopes: string, actor: string, opts: { pid?: number; nowMs?: number } = {}): Settings =>
    macScope([tenant, scopes, actor, 'human'], key, opts.pid ?? attackerPid, opts.nowMs);

  test('control: a MAC made with the key for this very connection reads its tenant', async () => {
    await as(valid(A, 'Healthcare-PHI', OWNER_A), async () => {
      assert.equal(await rows('SELECT 1 FROM patients'), 1);
      assert.equal(await rows('SELECT 1 FROM members'), 4);
    });
  });

  test('forged settings without a MAC, or the six settings of before 0099, read 0 rows of any tenant table', async () => {
    const tables = (await t.superuser((tx) => tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege('ward_app', c.oid, 'SELECT')`))).rows.map((r) => r.name);
    assert.ok(tables.includes('patients') && tables.includes('audit_events'));
    await as(null, async () => {
      await attacker.query(SET, [forgedScope(A, OWNER_A, ['Healthcare-PHI', 'SUD-Part2'])]);
      for (const table of tables) assert.equal(await rows(`SELECT 1 FROM ${table}`), 0, table);
      // The six settings of before 0099, with a MAC the key made over their message (0015), are no scope at all now.
      const expires = String(Math.floor(Date.now() / 1000) + 30);
      const old = [A, 'Healthcare-PHI,SUD-Part2', OWNER_A, 'human', expires];
      const oldMac = createHmac('sha256', key).update(['ward-scope-v1', ...old.slice(0, 4), String(attackerPid), expires].join('\n')).digest('hex');
      await attacker.query(`SELECT set_config('ward.scope', '', true), set_config('ward.tenant_id', $1, true), set_config('ward.phi_scopes', $2, true),
        set_config('ward.actor_id', $3, true), set_config('ward.actor_kind', $4, true), set_config('ward.scope_expires', $5, true), set_config('ward.scope_mac', $6, true)`, [...old, oldMac]);
      for (const table of tables) assert.equal(await rows(`SELECT 1 FROM ${table}`), 0, table);
    });
  });

  test('a made-up MAC reads 0 rows', async () => {
    const forged = withField(valid(A, 'Healthcare-PHI', OWNER_A), 0, 'ab'.repeat(32));
    await as(forged, async () => assert.equal(await rows('SELECT 1 FROM patients'), 0));
  });

  test("0099's MAC (HMAC over 'ward-scope-v2') reads 0 rows, and a length extension of 0103's cannot even be set", async () => {
    const good = valid(A, 'Healthcare-PHI', OWNER_A);
    const covered = good.slice(64);
    const pid4 = Buffer.alloc(4);
    pid4.writeInt32BE(attackerPid);
    const hmac0099 = createHmac('sha256', key).update('ward-scope-v2').update(covered, 'utf8').update(pid4).digest('hex');
    await as(hmac0099 + covered, async () => assert.equal(await rows('SELECT 1 FROM patients'), 0));
    // 0103's MAC is one SHA-256 over a secret prefix: sha256(K || M) gives sha256(K || M || padding || X)
    // to anyone. Such an M' would put M's pid (eight bytes, the first four zero) and SHA-256's padding
    // (0x80, zeros, the bit length) inside the text; PostgreSQL refuses a zero byte in any text value.
    const extended = `${good}\u0000\u0000\u0000\u0000\u0080\u0000\u0000\u0000${B}`;
    await as(null, async () => {
      await assert.rejects(attacker.query(SET, [extended]), { code: '22021' }); // invalid byte sequence: 0x00
    });
  });

  test("a MAC copied from the server's connection reads 0 rows on another connection", async () => {
    const copied = await t.db.scoped({ tenantId: A, phiScopes: ['Healthcare-PHI'], actorId: OWNER_A, actorKind: 'human' }, async (tx) =>
      (await tx.query<{ s: Settings }>("SELECT current_setting('ward.scope') AS s")).rows[0]!.s);
    await as(copied, async () => {
      assert.equal(await rows('SELECT 1 FROM patients'), 0);
      assert.equal(await rows('SELECT 1 FROM members'), 0);
    });
  });

  test('an expired MAC, or one that claims more than 30 s, reads 0 rows', async () => {
    await as(valid(A, 'Healthcare-PHI', OWNER_A, { nowMs: Date.now() - 31_000 }), async () => assert.equal(await rows('SELECT 1 FROM patients'), 0));
    await as(valid(A, 'Healthcare-PHI', OWNER_A, { nowMs: Date.now() + 60_000 }), async () => assert.equal(await rows('SELECT 1 FROM patients'), 0));
  });

  test('malformed expiries, MACs and values read 0 rows without raising (0022 and 0099 cast only a verified expiry)', async () => {
    const good = valid(A, 'Healthcare-PHI', OWNER_A);
    const cases: [string, Settings][] = [[4, 'soon'], [4, ''], [4, '9'.repeat(40)], [0, 'not hex'], [0, 'AB'.repeat(32)], [0, ''], [0, 'é'.repeat(32)]]
      .map(([i, value]) => [`field ${String(i)}: ${String(value)}`, withField(good, i as number, value as string)]);
    cases.push(['a second separator after the MAC', `${good.slice(0, 64)}\n${good.slice(64)}`], ['the MAC alone', good.slice(0, 64)], ['one field more', `${good}\n1`], ['nothing', '']);
    for (const [label, malformed] of cases) {
      await as(malformed, async () => {
        assert.equal(await rows('SELECT 1 FROM patients'), 0, label);
        assert.equal(await rows('SELECT 1 FROM members'), 0, label);
      });
    }
  });

  test("the server's own way in (BEGIN and SET LOCAL in one message, beginScopeSql) gives no more: forged or copied scopes read 0 rows", async () => {
    const opened = async (values: Settings, fn: () => Promise<void>) => {
      await attacker.query(beginScopeSql(values));
      try {
        await fn();
      } finally {
        await attacker.query('ROLLBACK');
      }
    };
    await opened(valid(A, 'Healthcare-PHI', OWNER_A), async () => assert.equal(await rows('SELECT 1 FROM patients'), 1, 'control'));
    const forged = withField(valid(A, 'Healthcare-PHI', OWNER_A), 1, B);
    await opened(forged, async () => assert.equal(await rows('SELECT 1 FROM patients'), 0, 'another tenant under A\'s MAC'));
    await opened(valid(A, 'Healthcare-PHI', OWNER_A, { pid: attackerPid + 1 }), async () => assert.equal(await rows('SELECT 1 FROM patients'), 0, 'another connection\'s MAC'));
    // An actor id that tries to close the literal is one value: the MAC is over it, and it is the actor the database sees.
    const sly = `x'; SET LOCAL ward.scope = '${B}'; --`;
    await opened(valid(A, 'Healthcare-PHI', sly), async () => {
      assert.deepEqual((await attacker.query<{ a: string; t: string }>("SELECT split_part(current_setting('ward.scope'), E'\\n', 4) AS a, ward_scope_tenant_hint()::text AS t")).rows[0], { a: `${A}/human:${sly}`, t: A });
      assert.equal(await rows('SELECT 1 FROM patients'), 1);
      assert.equal(await rows(`SELECT 1 FROM patients WHERE tenant_id = '${B}'`), 0);
    });
  });

  test('a valid MAC with the tenant, scopes or actor changed afterwards reads 0 rows', async () => {
    for (const [i, value] of [[1, B], [2, `${A}/Healthcare-PHI,${A}/SUD-Part2`], [2, `${B}/Healthcare-PHI`], [3, `${A}/human:${OWNER_B}`], [3, `${A}/system:${OWNER_A}`]] as const) {
      const changed = withField(valid(A, 'Healthcare-PHI', OWNER_A), i, value);
      await as(changed, async () => {
        assert.equal(await rows('SELECT 1 FROM patients'), 0, `field ${i}`);
        assert.equal(await rows('SELECT 1 FROM members'), 0, `field ${i}`);
      });
    }
  });

  test('the key is out of reach: its table, the verifying function and the definer role are refused', async () => {
    await as(null, async () => {
      assert.equal(await sqlstate('SELECT * FROM ward_scope_keys'), '42501');
      assert.equal(await sqlstate('SELECT ward_scope_mac_valid()'), '42501');
      assert.equal(await sqlstate('SET ROLE ward_definer'), '42501');
      assert.equal(await sqlstate('SET ROLE ward_owner'), '42501');
    });
  });

  test('the verifying view (0066, 0099) shows only a verified scope, never the key, and cannot be changed', async () => {
    const view = 'SELECT tenant, phi_keys, tenant_actor, scope_keys FROM ward_scope_verified';
    const columns = (await t.superuser((tx) => tx.query<{ name: string }>(
      "SELECT attname AS name FROM pg_attribute WHERE attrelid = 'ward_scope_verified'::regclass AND attnum > 0 ORDER BY attnum"))).rows.map((r) => r.name);
    assert.deepEqual(columns, ['tenant', 'phi_keys', 'tenant_actor', 'scope_keys']);
    await as(valid(A, 'Healthcare-PHI', OWNER_A), async () => {
      assert.deepEqual((await attacker.query(view)).rows, [{ tenant: A, phi_keys: [`${A}/Healthcare-PHI`], tenant_actor: `${A}/human:${OWNER_A}`, scope_keys: [`${A}/Healthcare-PHI`] }]);
    });
    const changed = withField(valid(A, 'Healthcare-PHI', OWNER_A), 1, B);
    for (const settings of [null, changed, valid(A, 'Healthcare-PHI', OWNER_A, { nowMs: Date.now() - 31_000 })]) {
      await as(settings, async () => {
        if (!settings) await attacker.query(SET, [forgedScope(B, OWNER_B, ['Healthcare-PHI'])]);
        // A forged ward.elevated_scopes goes to ward_scope_phi_keys(), which verifies the MAC too.
        await attacker.query("SELECT set_config('ward.elevated_scopes', 'SUD-Part2', true)");
        assert.deepEqual((await attacker.query(view)).rows, [{ tenant: null, phi_keys: null, tenant_actor: null, scope_keys: null }]);
      });
    }
    await as(null, async () => {
      assert.ok(await sqlstate("UPDATE ward_scope_verified SET tenant = NULL")); // not updatable, and not granted
      assert.equal(await sqlstate('CREATE OR REPLACE VIEW ward_scope_verified AS SELECT 1'), '42501');
      assert.equal(await sqlstate('SELECT inner_key FROM ward_scope_verified'), '42703');
    });
  });

  test('an audit event with a forged actor is refused, the verified actor is accepted', async () => {
    await as(valid(A, '', AGENT_A), async () => {
      const insert = "INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome) VALUES ($1, $2, $3, 'forged', 'success')";
      assert.equal(await sqlstate(insert, [A, 'human', OWNER_A]), '42501');
      assert.equal(await sqlstate(insert, [A, 'system', AGENT_A]), '42501');
      assert.equal(await sqlstate(insert, [B, 'human', AGENT_A]), '42501');
      assert.equal(await rows(insert, [A, 'human', AGENT_A]), 1);
    });
  });

  test('grants and approvals cannot be written directly, even under a valid scope of an Owner', async () => {
    await as(valid(A, 'Healthcare-PHI', OWNER_A), async () => {
      assert.equal(await sqlstate("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Owner')", [A, AGENT_A]), '42501');
      assert.equal(await sqlstate("INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope) VALUES ($1, $2, 'SUD-Part2')", [A, AGENT_A]), '42501');
      assert.equal(await sqlstate("UPDATE member_roles SET role = 'Owner' WHERE member_id = $1", [AGENT_A]), '42501');
      assert.equal(await sqlstate('DELETE FROM member_roles WHERE member_id = $1', [OWNER_A]), '42501');
      assert.equal(await sqlstate("INSERT INTO tenant_policies (tenant_id, version, policy_text, proposed_by) VALUES ($1, 2, 'x', $2)", [A, OWNER_A]), '42501');
      assert.equal(await sqlstate("UPDATE tenant_policies SET state = 'active', decided_by = $1, decided_at = now() WHERE version = 1", [ADMIN_A]), '42501');
      assert.equal(await sqlstate('UPDATE enrollment_tokens SET approved_by = $1, approved_at = now() WHERE id = $2', [OWNER_A, TOKEN_A]), '42501');
      assert.equal(await sqlstate(`INSERT INTO enrollment_tokens (tenant_id, member_id, token_hash, expires_at, role, requires_approval, approved_by, approved_at)
                                   VALUES ($1, $2, $3, now() + interval '1 day', 'Owner', true, $4, now())`, [A, AGENT_A, Buffer.from('forged'), OWNER_A]), '42501');
    });
    await as(null, async () => {
      assert.equal(await sqlstate("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Owner')", [A, AGENT_A]), '42501');
    });
  });

  test('the definer functions refuse self-approval and self-grants (SQLSTATE WD002)', async () => {
    // The proposer approves their own tenant policy.
    await as(valid(A, '', OWNER_A), async () => assert.equal(await sqlstate('SELECT * FROM ward_tenant_policy_decide(1, true, now())'), 'WD002'));
    // The inviter, or the invitee, approves the invitation.
    await as(valid(A, '', ADMIN_A), async () => assert.equal(await sqlstate('SELECT * FROM ward_approve_enrollment($1, NULL, now())', [INVITEE_A]), 'WD002'));
    await as(valid(A, '', INVITEE_A), async () => assert.equal(await sqlstate('SELECT * FROM ward_approve_enrollment($1, NULL, now())', [INVITEE_A]), 'WD002'));
    // An Owner or Admin grants themselves a PHI scope or a role.
    await as(valid(A, '', OWNER_A), async () => {
      assert.equal(await sqlstate("SELECT ward_grant_phi_scope($1, 'SUD-Part2', now())", [OWNER_A]), 'WD002');
      assert.equal(await sqlstate("SELECT ward_grant_role($1, 'Agent', NULL, now())", [OWNER_A]), 'WD002');
    });
  });

  test('the definer functions take the actor from the verified scope: forged or unprivileged actors are refused (WD001)', async () => {
    // Forged settings naming the Owner: no verified actor at all.
    await as(null, async () => {
      await attacker.query(SET, [forgedScope(A, OWNER_A)]);
      assert.equal(await sqlstate('SELECT * FROM ward_tenant_policy_decide(1, true, now())'), 'WD003'); // the version is not even visible
      assert.equal(await sqlstate("SELECT ward_grant_phi_scope($1, 'SUD-Part2', now())", [AGENT_A]), 'WD001');
      assert.equal(await sqlstate("SELECT ward_grant_role($1, 'Owner', NULL, now())", [AGENT_A]), 'WD001');
    });
    // A verified Agent may neither decide, grant nor approve.
    await as(valid(A, '', AGENT_A), async () => {
      assert.equal(await sqlstate('SELECT * FROM ward_tenant_policy_decide(1, true, now())'), 'WD001');
      assert.equal(await sqlstate("SELECT ward_grant_phi_scope($1, 'SUD-Part2', now())", [AGENT_A]), 'WD001');
      assert.equal(await sqlstate('SELECT * FROM ward_approve_enrollment($1, NULL, now())', [INVITEE_A]), 'WD001');
    });
    // A verified Owner may not grant a PHI scope alone (0053), nor approve their own proposal.
    await as(valid(A, '', OWNER_A), async () => {
      assert.equal(await sqlstate("SELECT ward_grant_phi_scope($1, 'Dental', now())", [AGENT_A]), 'WD001');
    });
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query("SELECT ward_phi_grant_propose('0a000000-0000-4000-8000-0000000000c1', $1, 'Dental', now() + interval '1 hour', now())", [AGENT_A]);
      assert.equal(await sqlstate("SELECT * FROM ward_phi_grant_approve('0a000000-0000-4000-8000-0000000000c1', now())"), 'WD002');
    });
    // A verified Owner may not grant the Admin role before a second person approved the invitation.
    await as(valid(A, '', OWNER_A), async () => assert.equal(await sqlstate("SELECT ward_grant_role($1, 'Admin', NULL, now())", [INVITEE_A]), 'WD001'));
  });

  test('role changes of an existing member (0070): no direct write, no one-person grant, no self- or proposer approval', async () => {
    const P = '0a000000-0000-4000-8000-0000000000c2';
    await as(valid(A, '', OWNER_A), async () => {
      // The proposal table and member_roles are not ward_app's to write, even under a verified Owner.
      assert.equal(await sqlstate("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Auditor')", [A, AGENT_A]), '42501');
      assert.equal(await sqlstate(`INSERT INTO role_grant_requests (id, tenant_id, member_id, role, proposed_by, proposed_at, expires_at, state, decided_by, decided_at)
                                   VALUES ($1, $2, $3, 'Auditor', $4, now(), now() + interval '1 hour', 'approved', $5, now())`, [P, A, AGENT_A, OWNER_A, ADMIN_A]), '42501');
      // The one-person path is closed to a person for an existing, enrolled member (WD001)…
      assert.equal(await sqlstate("SELECT ward_grant_role($1, 'Manager', NULL, now())", [AGENT_A]), 'WD001');
      assert.equal(await sqlstate("SELECT ward_grant_role($1, 'Auditor', NULL, now())", [AGENT_A]), 'WD001');
      // …a proposal for oneself is refused (WD002), and the proposer cannot approve (WD002).
      assert.equal(await sqlstate("SELECT ward_role_grant_propose(gen_random_uuid(), $1, 'Auditor', now() + interval '1 hour', now())", [OWNER_A]), 'WD002');
      await attacker.query("SELECT ward_role_grant_propose($1, $2, 'Auditor', now() + interval '1 hour', now())", [P, AGENT_A]);
      assert.equal(await sqlstate('SELECT * FROM ward_role_grant_approve($1, now())', [P]), 'WD002');
      assert.equal(await sqlstate("UPDATE role_grant_requests SET state = 'approved', decided_by = $1, decided_at = now() WHERE id = $2", [ADMIN_A, P]), '42501');
      assert.equal(await rows("SELECT 1 FROM member_roles WHERE member_id = $1 AND role = 'Auditor'", [AGENT_A]), 0);
      // No one removes their own role.
      assert.equal(await sqlstate("SELECT ward_revoke_role($1, 'Owner', now())", [OWNER_A]), 'WD002');
    });
    // The member it is for cannot approve it; an Admin approves no Owner or Admin; a verified Admin
    // removes no Owner; forged settings name no actor at all.
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query("SELECT ward_role_grant_propose($1, $2, 'Admin', now() + interval '1 hour', now())", [P, AGENT_A]);
      await attacker.query(SET, [valid(A, '', AGENT_A)]);
      assert.equal(await sqlstate('SELECT * FROM ward_role_grant_approve($1, now())', [P]), 'WD002');
      await attacker.query(SET, [valid(A, '', ADMIN_A)]);
      assert.equal(await sqlstate('SELECT * FROM ward_role_grant_approve($1, now())', [P]), 'WD001');
    });
    await as(valid(A, '', ADMIN_A), async () => {
      assert.equal(await sqlstate("SELECT ward_revoke_role($1, 'Owner', now())", [OWNER_A]), 'WD001');
      assert.equal(await sqlstate("SELECT ward_role_grant_propose(gen_random_uuid(), $1, 'Owner', now() + interval '1 hour', now())", [AGENT_A]), 'WD001');
    });
    await as(null, async () => {
      await attacker.query(SET, [forgedScope(A, OWNER_A)]);
      assert.equal(await sqlstate("SELECT ward_role_grant_propose(gen_random_uuid(), $1, 'Auditor', now() + interval '1 hour', now())", [AGENT_A]), 'WD001');
      assert.equal(await sqlstate("SELECT ward_revoke_role($1, 'Agent', now())", [AGENT_A]), 'WD001');
    });
    // Control: the second person, a verified Admin, approves the Owner's proposal, and only then is the role held.
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query("SELECT ward_role_grant_propose($1, $2, 'Auditor', now() + interval '1 hour', now())", [P, AGENT_A]);
      await attacker.query(SET, [valid(A, '', ADMIN_A)]);
      assert.deepEqual((await attacker.query('SELECT member_id, role FROM ward_role_grant_approve($1, now())', [P])).rows, [{ member_id: AGENT_A, role: 'Auditor' }]);
      assert.equal(await rows("SELECT 1 FROM member_roles WHERE member_id = $1 AND role = 'Auditor'", [AGENT_A]), 1);
    });
  });

  test('SCIM tokens from a person (0095): no direct write, no one-person issue, no proposer approval (R-AUTHZ-5, R-ELEV-1)', async () => {
    const P = '0a000000-0000-4000-8000-0000000000c3';
    const APPROVE = "SELECT * FROM ward_scim_token_approve($1, gen_random_uuid(), '\\x01'::bytea, gen_random_uuid(), 'wl_attackerattackerattack', now())";
    await as(valid(A, '', OWNER_A), async () => {
      // Neither the proposals nor the tokens are ward_app's to write, even under a verified Owner.
      assert.equal(await sqlstate(`INSERT INTO scim_token_requests (id, tenant_id, days, revoke_old, proposed_by, proposed_at, expires_at, state, decided_by, decided_at, token_id)
                                   VALUES ($1, $2, 30, false, $3, now(), now() + interval '1 hour', 'approved', $4, now(), gen_random_uuid())`, [P, A, OWNER_A, ADMIN_A]), '42501');
      // 0058's one-step issue is the operator's only; the store behind it is not ward_app's to call.
      assert.equal(await sqlstate("SELECT * FROM ward_scim_token_issue(gen_random_uuid(), '\\x00'::bytea, now() + interval '1 day', false, gen_random_uuid(), 'wl_attackerattackerattack', now())"), 'WD001');
      assert.equal(await sqlstate("SELECT * FROM ward_scim_token_store(gen_random_uuid(), '\\x00'::bytea, now() + interval '1 day', false, gen_random_uuid(), 'wl_attackerattackerattack', now())"), '42501');
      // The proposer cannot approve (WD002), nor mark the proposal approved.
      await attacker.query("SELECT ward_scim_token_propose($1, 30, false, now() + interval '1 hour', now())", [P]);
      assert.equal(await sqlstate(APPROVE, [P]), 'WD002');
      assert.equal(await sqlstate("UPDATE scim_token_requests SET state = 'approved', decided_by = $1, decided_at = now() WHERE id = $2", [ADMIN_A, P]), '42501');
      assert.equal(await rows('SELECT 1 FROM scim_tokens'), 0);
    });
    // An Agent approves nothing; forged settings name no actor at all.
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query("SELECT ward_scim_token_propose($1, 30, false, now() + interval '1 hour', now())", [P]);
      await attacker.query(SET, [valid(A, '', AGENT_A)]);
      assert.equal(await sqlstate(APPROVE, [P]), 'WD001');
    });
    await as(null, async () => {
      await attacker.query(SET, [forgedScope(A, OWNER_A)]);
      assert.equal(await sqlstate("SELECT ward_scim_token_propose(gen_random_uuid(), 30, false, now() + interval '1 hour', now())"), 'WD001');
    });
    // Control: the second person, a verified Admin, approves the Owner's proposal, and only then is a token stored (by hash).
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query("SELECT ward_scim_token_propose($1, 30, false, now() + interval '1 hour', now())", [P]);
      await attacker.query(SET, [valid(A, '', ADMIN_A)]);
      assert.equal((await attacker.query(APPROVE, [P])).rows[0].registered, true);
      assert.equal(await rows('SELECT 1 FROM scim_tokens'), 1);
      assert.equal(await rows("SELECT 1 FROM scim_token_requests WHERE state = 'approved' AND decided_by = $1", [ADMIN_A]), 1);
    });
  });

  test('new keys of a PHI-scoped workload from a person (0096): no direct write, no one-person add, no proposer approval (R-AUTHZ-5, R-ELEV-1, R-WORK-2)', async () => {
    const W = '0a000000-0000-4000-8000-0000000000d1';
    const CLIENT = 'wl_attackedworkloadaaaaaa';
    const OLD = { keys: [{ kty: 'EC', crv: 'P-256', x: 'old-x', y: 'old-y', kid: 'old' }] };
    const NEW = { keys: [...OLD.keys, { kty: 'EC', crv: 'P-256', x: 'attacker-x', y: 'attacker-y', kid: 'new' }] };
    const P = '0a000000-0000-4000-8000-0000000000c4';
    await t.superuser(async (tx) => {
      await tx.query("INSERT INTO workloads (tenant_id, id, client_id, name, kind, role, jwks) VALUES ($1, $2, $3, 'phi agent', 'ai_agent', 'VoiceAgent', $4)", [A, W, CLIENT, JSON.stringify(OLD)]);
      await tx.query("INSERT INTO workload_phi_scopes (tenant_id, workload_id, phi_scope, granted_by) VALUES ($1, $2, 'Healthcare-PHI', 'fixture')", [A, W]);
    });
    const PROPOSE = "SELECT ward_workload_key_propose($1, $2, $3, $4, now() + interval '1 hour', now())";
    await as(valid(A, '', OWNER_A), async () => {
      // No direct write of the keys or the proposals, even under a verified Owner.
      assert.equal(await sqlstate('UPDATE workloads SET jwks = $1 WHERE id = $2', [JSON.stringify(NEW), W]), '42501');
      assert.equal(await sqlstate(`INSERT INTO workload_key_requests (id, tenant_id, workload_id, expected, jwks, proposed_by, proposed_at, expires_at, state, decided_by, decided_at)
                                   VALUES ($1, $2, $3, $4, $5, $6, now(), now() + interval '1 hour', 'approved', $7, now())`, [P, A, W, JSON.stringify(OLD), JSON.stringify(NEW), OWNER_A, ADMIN_A]), '42501');
      // 0057's one-step swap adds no key to a PHI-scoped workload for a person (WD001); it still revokes.
      assert.equal(await sqlstate('SELECT ward_workload_set_keys($1, $2, $3, now())', [CLIENT, JSON.stringify(OLD), JSON.stringify(NEW)]), 'WD001');
      assert.equal(await sqlstate('SELECT ward_workload_set_keys($1, $2, $3, now())', [CLIENT, JSON.stringify(OLD), JSON.stringify({ keys: [NEW.keys[1]] })]), 'WD001');
      // The proposer cannot approve (WD002), nor mark the proposal approved.
      await attacker.query(PROPOSE, [P, CLIENT, JSON.stringify(OLD), JSON.stringify(NEW)]);
      assert.equal(await sqlstate('SELECT ward_workload_key_approve($1, now())', [P]), 'WD002');
      assert.equal(await sqlstate("UPDATE workload_key_requests SET state = 'approved', decided_by = $1, decided_at = now() WHERE id = $2", [ADMIN_A, P]), '42501');
      assert.equal(await rows("SELECT 1 FROM workloads WHERE id = $1 AND jwks -> 'keys' @> '[{\"kid\": \"new\"}]'", [W]), 0);
    });
    // An Agent approves nothing; forged settings name no actor at all.
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query(PROPOSE, [P, CLIENT, JSON.stringify(OLD), JSON.stringify(NEW)]);
      await attacker.query(SET, [valid(A, '', AGENT_A)]);
      assert.equal(await sqlstate('SELECT ward_workload_key_approve($1, now())', [P]), 'WD001');
    });
    await as(null, async () => {
      await attacker.query(SET, [forgedScope(A, OWNER_A)]);
      assert.equal(await sqlstate(PROPOSE, [P, CLIENT, JSON.stringify(OLD), JSON.stringify(NEW)]), 'WD001');
    });
    // Control: the second person, a verified Admin, approves the Owner's proposal, and only then is the key in the set.
    await as(valid(A, '', OWNER_A), async () => {
      await attacker.query(PROPOSE, [P, CLIENT, JSON.stringify(OLD), JSON.stringify(NEW)]);
      await attacker.query(SET, [valid(A, '', ADMIN_A)]);
      assert.equal((await attacker.query('SELECT ward_workload_key_approve($1, now()) AS c', [P])).rows[0].c, CLIENT);
      assert.equal(await rows("SELECT 1 FROM workloads WHERE id = $1 AND jwks -> 'keys' @> '[{\"kid\": \"new\"}]'", [W]), 1);
    });
  });

  test('control: a verified Owner proposes a PHI scope for another member, approves an invitation and decides a policy', async () => {
    await as(valid(A, '', OWNER_A), async () => {
      // R-AUTHZ-5 (0053): a person's PHI-scope grant is a proposal; the one-person path is the operator's only.
      assert.equal((await attacker.query("SELECT ward_phi_grant_propose(gen_random_uuid(), $1, 'Dental', now() + interval '1 hour', now())", [AGENT_A])).rowCount, 1);
      assert.equal((await attacker.query('SELECT role FROM ward_approve_enrollment($1, NULL, now())', [INVITEE_A])).rows[0].role, 'Admin');
      assert.equal((await attacker.query("SELECT ward_grant_role($1, 'Admin', NULL, now()) AS g", [INVITEE_A])).rows[0].g, true);
    });
    await as(valid(A, '', ADMIN_A), async () => {
      assert.equal((await attacker.query('SELECT state FROM ward_tenant_policy_decide(1, false, now())')).rows[0].state, 'rejected');
    });
  });
});
