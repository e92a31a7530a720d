// SCIM 2.0 provisioning end to end (R-AUTHN-5, R-AUTHZ-5, R-AUDIT-1): the request sequences Okta and
// Entra ID send, written from their public documentation —
//   Okta:     https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20 (create: a userName
//             filter, then POST; profile update: PUT; deactivate: PATCH {"op":"replace","value":{"active":false}};
//             group push: POST /Groups, PATCH add/replace members, PATCH remove `members[value eq "<id>"]`)
//   Entra ID: https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
//             (create with the enterprise extension; PATCH "Replace" with paths such as
//             `emails[type eq "work"].value`; disable with {"op":"Replace","path":"active","value":"False"};
//             DELETE; groups with `excludedAttributes=members`, members "Add"/"Remove" by path)
// — through the real app, the real authentication chain, guard, Cedar policies and database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { exportJWK, generateKeyPair } from 'jose';
import { createTenant } from '../../src/modules/identity/index.ts';
import { createFileOutbox } from '../../src/modules/notify/index.ts';
import { startCampaign } from '../../src/modules/reviews/index.ts';
import { runWard } from '../support/cli.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { signIn } from '../support/session-client.ts';

const ORIGIN = 'https://ward.test';
const SCIM_JSON = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const system = { kind: 'system', id: 'system:test' } as const;

type App = Awaited<ReturnType<typeof buildApp>>;
type Res = Awaited<ReturnType<App['inject']>>;

const runCli = (t: TestDeps, argv: string[]) => runWard(argv, { ctx: serverContext(t.deps) });

/** A SCIM error message (RFC 7644 §3.12): its media type, schema and status, and its scimType. */
function scimError(res: Res, status: number): string | undefined {
  assert.equal(res.statusCode, status, res.body);
  assert.ok(String(res.headers['content-type']).startsWith(SCIM_JSON), `an error on /scim/v2 is ${SCIM_JSON}`);
  const body = res.json() as { schemas: string[]; status: string; scimType?: string };
  assert.deepEqual(body.schemas, [ERROR]);
  assert.equal(body.status, String(status));
  return body.scimType;
}

for (const { engine, skip } of ENGINES) {
  describe(`SCIM provisioning on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    let tokenA: string;
    let tokenB: string;
    let tenantA: string;

    async function issueToken(slug: string, ...flags: string[]): Promise<string> {
      const r = await runCli(t, ['scim', 'token', '--tenant', slug, ...flags]);
      assert.equal(r.code, 0, r.err);
      const last = r.out.trim().split('\n').at(-1)!;
      assert.match(last, /^ward_scim_[A-Za-z0-9_-]{43}$/, 'the token alone on the last line');
      return last;
    }

    const scim = (token: string, method: string, url: string, body?: unknown, contentType = SCIM_JSON) => app.inject({
      method: method as 'GET', url: `/scim/v2${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const json = (res: Res) => JSON.parse(res.body) as Record<string, any>;
    const memberRow = async (id: string) => (await t.deps.db.systemDb.query<{ status: string; roles: string[]; scopes: string[] }>(
      `SELECT status, ARRAY(SELECT role FROM member_roles r WHERE r.member_id = m.id ORDER BY role) AS roles,
              ARRAY(SELECT phi_scope FROM member_phi_scopes s WHERE s.member_id = m.id) AS scopes FROM members m WHERE id = $1`, [id])).rows[0]!;
    const auditOf = async (targetId: string, action: string) => (await t.deps.db.systemDb.query<{ actor_kind: string; actor_id: string; outcome: string; decision: string | null; metadata: Record<string, unknown> }>(
      'SELECT actor_kind, actor_id, outcome, decision, metadata FROM audit_events WHERE target_id = $1 AND action = $2 ORDER BY occurred_at', [targetId, action])).rows;

    /** Okta's user as its SCIM 2.0 reference shows it on create. */
    const oktaUser = (userName: string, given = 'Test', family = 'User') => ({
      schemas: [USER], userName, name: { givenName: given, familyName: family },
      emails: [{ primary: true, value: userName, type: 'work' }], displayName: `${given} ${family}`, locale: 'en-US', externalId: `00u${userName.length}okta`, groups: [], active: true,
    });
    /** Entra ID's user on create: the enterprise extension, `meta`, a `roles` list and `name.formatted`. */
    const entraUser = (userName: string, externalId: string) => ({
      schemas: [USER, ENTERPRISE], externalId, userName, active: true, addresses: [], displayName: 'Pat Example',
      emails: [{ primary: true, type: 'work', value: userName }], meta: { resourceType: 'User' },
      name: { formatted: 'Pat Example', familyName: 'Example', givenName: 'Pat' }, roles: [],
      [ENTERPRISE]: { department: 'Contact centre', manager: { value: 'someone' } },
    });

    before(async () => {
      t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN } });
      const deps = { systemDb: t.deps.db.systemDb, audit: t.deps.audit, origin: t.deps.config.origin };
      tenantA = (await createTenant(deps, { slug: 'clinic-a', name: 'Clinic A', ownerEmail: 'owner@a.test', actor: system }, t.deps.clock.now())).tenantId;
      await createTenant(deps, { slug: 'clinic-b', name: 'Clinic B', ownerEmail: 'owner@b.test', actor: system }, t.deps.clock.now());
      app = await buildApp(t.deps);
      tokenA = await issueToken('clinic-a');
      tokenB = await issueToken('clinic-b');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('the discovery resources are public and say what is supported', async () => {
      const config = await app.inject({ method: 'GET', url: '/scim/v2/ServiceProviderConfig' });
      assert.equal(config.statusCode, 200);
      assert.ok(String(config.headers['content-type']).startsWith(SCIM_JSON));
      assert.equal(json(config).patch.supported, true);
      assert.equal(json(config).filter.supported, true);
      assert.deepEqual(json(await app.inject({ method: 'GET', url: '/scim/v2/ResourceTypes' })).Resources.map((r: { id: string }) => r.id), ['User', 'Group']);
      assert.equal(json(await app.inject({ method: 'GET', url: '/scim/v2/Schemas' })).totalResults, 3, 'User, Group and the enterprise extension (its manager)');
    });

    test("Okta's create, update and deactivate sequence", async () => {
      const userName = 'okta.user@a.test';
      // 1. Does the user exist? A userName filter.
      const lookup = await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
      assert.equal(lookup.statusCode, 200, lookup.body);
      assert.deepEqual({ ...json(lookup), Resources: undefined }, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: undefined });
      // 2. Create.
      const created = await scim(tokenA, 'POST', '/Users', oktaUser(userName));
      assert.equal(created.statusCode, 201, created.body);
      assert.ok(String(created.headers['content-type']).startsWith(SCIM_JSON));
      const user = json(created);
      assert.equal(user.userName, userName);
      assert.equal(user.active, true);
      assert.deepEqual(user.emails, [{ value: userName, type: 'work', primary: true }]);
      assert.equal(user.meta.location, `${ORIGIN}/scim/v2/Users/${user.id}`);
      // The account starts with no role, no PHI scope, and no enrollment link (R-AUTHN-3).
      assert.deepEqual(await memberRow(user.id), { status: 'invited', roles: [], scopes: [] });
      const links = await t.deps.db.systemDb.query('SELECT 1 FROM enrollment_tokens WHERE member_id = $1', [user.id]);
      assert.equal(links.rowCount, 0);
      // 3. Okta finds it again by filter and reads it.
      assert.equal(json(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`)).totalResults, 1, 'userName compares case-insensitively');
      assert.equal(json(await scim(tokenA, 'GET', `/Users/${user.id}`)).id, user.id);
      // 4. A profile change: PUT the whole user.
      const put = await scim(tokenA, 'PUT', `/Users/${user.id}`, { ...oktaUser(userName, 'Testy', 'Userson'), id: user.id });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(json(put).name, { givenName: 'Testy', familyName: 'Userson', formatted: 'Testy Userson' });
      // 5. Deactivate: Okta's path-less replace with a JSON boolean.
      const off = await scim(tokenA, 'PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(json(off).active, false);
      assert.equal((await memberRow(user.id)).status, 'disabled');
      const deprovision = await auditOf(user.id, 'member.deprovision');
      assert.equal(deprovision.length, 1);
      assert.equal(deprovision[0]!.actor_kind, 'service', 'the SCIM client is the actor');
      // 6. Reactivate.
      const on = await scim(tokenA, 'PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
      assert.equal(json(on).active, true);
      assert.equal((await memberRow(user.id)).status, 'invited');
      // Every operation is a Cedar decision on the SCIM client, with its audit row.
      const decisions = await t.deps.db.systemDb.query<{ decision: string; op: string }>(
        "SELECT decision, metadata->>'scimOperation' AS op FROM audit_events WHERE action = 'scim.user.write' AND tenant_id = $1 AND outcome = 'success' ORDER BY occurred_at", [tenantA]);
      assert.ok(decisions.rows.length >= 7);
      assert.ok(decisions.rows.every((r) => r.decision === 'allow'));
      assert.deepEqual([...new Set(decisions.rows.map((r) => r.op))].sort(), ['create', 'get', 'list', 'patch', 'replace']);
    });

    test("Entra ID's create, update, disable (string booleans) and delete sequence", async () => {
      const userName = 'pat.example@a.test';
      const lookup = await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      assert.equal(json(lookup).totalResults, 0);
      const created = await scim(tokenA, 'POST', '/Users', entraUser(userName, 'entra-58342554-38d6-4ec8-948c-50044d0a33fd'));
      assert.equal(created.statusCode, 201, created.body);
      const id = json(created).id as string;
      assert.equal(json(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('externalId eq "entra-58342554-38d6-4ec8-948c-50044d0a33fd"')}`)).totalResults, 1);
      // Entra ID's update: capitalised ops, filtered and dotted paths.
      const update = await scim(tokenA, 'PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'pat.updated@a.test' },
          { op: 'Replace', path: 'name.familyName', value: 'Updated' },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Billing' },
        ],
      });
      assert.equal(update.statusCode, 200, update.body);
      assert.equal(json(update).emails[0].value, 'pat.updated@a.test');
      assert.equal(json(update).name.familyName, 'Updated');
      // Disable with a string boolean.
      const off = await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(json(off).active, false);
      assert.equal((await memberRow(id)).status, 'disabled');
      const on = await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
      assert.equal(json(on).active, true);
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'Nope' }] }), 400), 'invalidValue');
      // DELETE deactivates; the resource is gone for SCIM, the member row stays (the audit trail refers to it).
      const deleted = await scim(tokenA, 'DELETE', `/Users/${id}`);
      assert.equal(deleted.statusCode, 204, deleted.body);
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users/${id}`), 404), undefined);
      assert.equal((await memberRow(id)).status, 'disabled');
      assert.equal((await auditOf(id, 'member.deprovision')).length, 2);
    });

    test("R-GOV-1: the enterprise extension's manager, in Entra ID's and Okta's forms, names the member's access reviewer", async () => {
      const managerId = json(await scim(tokenA, 'POST', '/Users', entraUser('lead@a.test', 'lead-ext'))).id as string;
      const otherTenant = json(await scim(tokenB, 'POST', '/Users', entraUser('lead@b.test', 'lead-b'))).id as string;
      const managerOf = async (id: string) => (await t.deps.db.systemDb.query<{ manager_id: string | null }>('SELECT manager_id FROM members WHERE id = $1', [id])).rows[0]!.manager_id;
      // Create with the extension (RFC 7643 §4.3): the manager's id; it reads back.
      const created = await scim(tokenA, 'POST', '/Users', { ...entraUser('report@a.test', 'report-ext'), [ENTERPRISE]: { department: 'Billing', manager: { value: managerId } } });
      assert.equal(created.statusCode, 201, created.body);
      const report = json(created).id as string;
      assert.equal(await managerOf(report), managerId);
      assert.deepEqual(json(created)[ENTERPRISE], { manager: { value: managerId } });
      assert.deepEqual(json(created).schemas, [USER, ENTERPRISE]);
      // Entra ID's PATCH: remove, then add by path with a bare id.
      const removed = await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `${ENTERPRISE}:manager` }] });
      assert.equal(removed.statusCode, 200, removed.body);
      assert.equal(await managerOf(report), null);
      assert.equal(json(removed)[ENTERPRISE], undefined);
      assert.equal((await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: managerId }] })).statusCode, 200);
      assert.equal(await managerOf(report), managerId);
      // Okta's path-less replace naming the manager by externalId.
      await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `${ENTERPRISE}:manager` }] });
      const okta = await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { [ENTERPRISE]: { manager: { value: 'lead-ext' } } } }] });
      assert.equal(okta.statusCode, 200, okta.body);
      assert.equal(await managerOf(report), managerId);
      // Another tenant's member, an unknown name or the member themselves: no manager, audited as unresolved.
      for (const value of [otherTenant, 'nobody-known', report]) {
        const r = await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value }] });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(await managerOf(report), null, value);
        await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: managerId }] });
      }
      const audited = await auditOf(report, 'member.manager');
      assert.ok(audited.every((a) => a.actor_kind === 'service'), 'the SCIM client is the actor');
      assert.equal(audited.filter((a) => a.metadata.unresolved === true).length, 3);
      // A PUT without the extension clears it (PUT replaces the whole resource).
      const put = await scim(tokenA, 'PUT', `/Users/${report}`, { ...entraUser('report@a.test', 'report-ext'), [ENTERPRISE]: { manager: { value: managerId } }, id: report });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(await managerOf(report), managerId);
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${report}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 42 }] }), 400), 'invalidValue');

      // The campaign: the report's role is an item for the manager the IdP named.
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = ANY($1::uuid[])", [[managerId, report]]);
      await t.deps.db.systemDb.query("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Agent')", [tenantA, report]);
      const c = await startCampaign(t.deps, { tenantId: tenantA, name: 'scim manager' });
      const items = await t.deps.db.systemDb.query<{ reviewer_id: string }>('SELECT reviewer_id FROM access_review_items WHERE campaign_id = $1 AND subject_id = $2', [c.id, report]);
      assert.deepEqual(items.rows.map((r) => r.reviewer_id), [managerId]);
    });

    test('a group named "Owner" gives nothing unmapped; an explicit mapping gives its role; removal revokes it (Okta group push)', async () => {
      const member = json(await scim(tokenA, 'POST', '/Users', oktaUser('grouped@a.test'))).id as string;
      // Okta group push: create, then add members with PATCH.
      const owner = await scim(tokenA, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Owner', members: [] });
      assert.equal(owner.statusCode, 201, owner.body);
      const ownerId = json(owner).id as string;
      const add = await scim(tokenA, 'PATCH', `/Groups/${ownerId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: member, display: 'grouped@a.test' }] }] });
      assert.equal(add.statusCode, 200, add.body);
      assert.deepEqual(json(add).members.map((m: { value: string }) => m.value), [member]);
      assert.deepEqual((await memberRow(member)).roles, [], 'a group named Owner gives nothing by itself');

      const agents = json(await scim(tokenA, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Contact centre agents', members: [{ value: member }] })).id as string;
      assert.deepEqual((await memberRow(member)).roles, []);
      const listed = await runCli(t, ['scim', 'groups', '--tenant', 'clinic-a']);
      assert.equal(listed.code, 0, listed.err);
      assert.match(listed.out, new RegExp(`${agents}\\s+1\\s+-`));
      // A session of the member, to see that a role change ends it at once.
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = $1", [member]);
      const session = await signIn(t.deps, 'grouped@a.test');
      const mapped = await runCli(t, ['scim', 'map-group', '--tenant', 'clinic-a', '--group-id', agents, '--role', 'Agent']);
      assert.equal(mapped.code, 0, mapped.err);
      assert.match(mapped.out, /Agent granted/);
      assert.deepEqual((await memberRow(member)).roles, ['Agent']);
      assert.deepEqual((await memberRow(member)).scopes, [], 'PHI scopes never come from SCIM');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: await session.headers('GET', '/v1/me') })).statusCode, 401, 'a role change ends the live session');
      // Owner through a mapping still needs the second person.
      const ownerMap = await runCli(t, ['scim', 'map-group', '--tenant', 'clinic-a', '--group-id', ownerId, '--role', 'Owner']);
      assert.equal(ownerMap.code, 0, ownerMap.err);
      assert.match(ownerMap.out, /Owner approval required/);
      assert.deepEqual((await memberRow(member)).roles, ['Agent']);
      // Okta removes a member by a filtered path: the role the group gave ends, with the SCIM client as actor.
      const remove = await scim(tokenA, 'PATCH', `/Groups/${agents}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${member}"]` }] });
      assert.equal(remove.statusCode, 200, remove.body);
      assert.deepEqual((await memberRow(member)).roles, []);
      const revoked = await auditOf(member, 'member.role.revoke');
      assert.equal(revoked.length, 1);
      assert.equal(revoked[0]!.actor_kind, 'service');
      assert.equal(revoked[0]!.metadata.role, 'Agent');
      // Okta renames with a path-less replace that repeats the id.
      const renamed = await scim(tokenA, 'PATCH', `/Groups/${agents}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: agents, displayName: 'Agents' } }] });
      assert.equal(json(renamed).displayName, 'Agents');
    });

    test("Entra ID's group sequence: lookup without members, Add and Remove members by path, rename, delete", async () => {
      const a = json(await scim(tokenA, 'POST', '/Users', entraUser('entra.one@a.test', 'e1'))).id as string;
      const b = json(await scim(tokenA, 'POST', '/Users', entraUser('entra.two@a.test', 'e2'))).id as string;
      const lookup = await scim(tokenA, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Supervisors"')}`);
      assert.equal(json(lookup).totalResults, 0);
      const created = await scim(tokenA, 'POST', '/Groups', { schemas: [GROUP], externalId: 'g-1', displayName: 'Supervisors', members: [], meta: { resourceType: 'Group' } });
      assert.equal(created.statusCode, 201, created.body);
      const g = json(created).id as string;
      assert.equal(await runCli(t, ['scim', 'map-group', '--tenant', 'clinic-a', '--group-id', g, '--role', 'Manager']).then((r) => r.code), 0);
      const add = await scim(tokenA, 'PATCH', `/Groups/${g}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: a }, { $ref: null, value: b }] }] });
      assert.equal(add.statusCode, 200, add.body);
      assert.deepEqual((await memberRow(a)).roles, ['Manager']);
      const found = json(await scim(tokenA, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "supervisors"')}`));
      assert.equal(found.totalResults, 1);
      assert.equal(found.Resources[0].members, undefined, 'excludedAttributes=members');
      assert.equal(json(await scim(tokenA, 'GET', `/Groups?filter=${encodeURIComponent(`id eq "${g}" and members[value eq "${a}"]`)}`)).totalResults, 1);
      const removed = await scim(tokenA, 'PATCH', `/Groups/${g}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: a }] }] });
      assert.equal(removed.statusCode, 200, removed.body);
      assert.deepEqual((await memberRow(a)).roles, []);
      assert.deepEqual((await memberRow(b)).roles, ['Manager']);
      const renamed = await scim(tokenA, 'PATCH', `/Groups/${g}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Floor supervisors' }] });
      assert.equal(json(renamed).displayName, 'Floor supervisors');
      assert.equal((await scim(tokenA, 'DELETE', `/Groups/${g}`)).statusCode, 204);
      assert.deepEqual((await memberRow(b)).roles, [], 'a deleted group takes its roles with it');
      assert.equal(scimError(await scim(tokenA, 'GET', `/Groups/${g}`), 404), undefined);
    });

    test('filters: and, or, not, pr, value paths, case; anything else is invalidFilter', async () => {
      for (const u of ['f.alpha@a.test', 'f.beta@a.test', 'f.gamma@a.test']) assert.equal((await scim(tokenA, 'POST', '/Users', oktaUser(u, u.slice(2, 6)))).statusCode, 201);
      const count = async (filter: string) => {
        const res = await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
        assert.equal(res.statusCode, 200, res.body);
        return json(res).totalResults as number;
      };
      assert.equal(await count('userName sw "f." and userName ew "@a.test"'), 3);
      assert.equal(await count('userName eq "f.alpha@a.test" or emails.value eq "F.BETA@A.TEST"'), 2);
      assert.equal(await count('emails[type eq "work" and value co "gamma"]'), 1);
      assert.equal(await count('userName sw "f." and not (displayName sw "alph")'), 2);
      assert.equal(await count('userName sw "f." and externalId pr'), 3);
      assert.equal(await count('displayName eq "beta User"'), 1);
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('password eq "x"')}`), 400), 'invalidFilter');
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`), 400), 'invalidFilter');
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('userName eq "a" or')}`), 400), 'invalidFilter');
    });

    test('pagination: startIndex is 1-based, count bounds the page, totalResults counts every match', async () => {
      const filter = encodeURIComponent('userName sw "page."');
      for (let i = 1; i <= 5; i++) assert.equal((await scim(tokenA, 'POST', '/Users', oktaUser(`page.${i}@a.test`))).statusCode, 201);
      const second = json(await scim(tokenA, 'GET', `/Users?filter=${filter}&startIndex=2&count=2`));
      assert.equal(second.totalResults, 5);
      assert.equal(second.startIndex, 2);
      assert.equal(second.itemsPerPage, 2);
      assert.deepEqual(second.Resources.map((u: { userName: string }) => u.userName), ['page.2@a.test', 'page.3@a.test']);
      const last = json(await scim(tokenA, 'GET', `/Users?filter=${filter}&startIndex=5&count=10`));
      assert.deepEqual(last.Resources.map((u: { userName: string }) => u.userName), ['page.5@a.test']);
      assert.equal(json(await scim(tokenA, 'GET', `/Users?filter=${filter}&startIndex=0&count=0`)).itemsPerPage, 0);
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users?startIndex=x`), 400), 'invalidValue');
    });

    test('uniqueness, syntax and mutability errors are SCIM error messages with their scimType', async () => {
      assert.equal(scimError(await scim(tokenA, 'POST', '/Users', oktaUser('f.alpha@a.test')), 409), 'uniqueness');
      assert.equal(scimError(await scim(tokenA, 'POST', '/Users', oktaUser('owner@a.test')), 409), 'uniqueness', 'a member Ward made without SCIM is not taken over by e-mail');
      assert.equal(scimError(await scim(tokenA, 'POST', '/Users', { schemas: [USER] }), 400), 'invalidValue');
      const id = json(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('userName eq "f.alpha@a.test"')}`)).Resources[0].id;
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${id}`, { Operations: [{ op: 'replace', value: { active: false } }] }), 400), 'invalidSyntax');
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'move', path: 'active' }] }), 400), 'invalidSyntax');
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'x' }] }), 400), 'mutability');
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'x' }] }), 400), 'invalidPath');
      assert.equal(scimError(await scim(tokenA, 'GET', '/Users/not-a-uuid'), 404), undefined);
    });

    test("a token of tenant A sees nothing of tenant B's users and groups", async () => {
      const bUser = json(await scim(tokenB, 'POST', '/Users', oktaUser('only.b@b.test'))).id as string;
      const bGroup = json(await scim(tokenB, 'POST', '/Groups', { schemas: [GROUP], displayName: 'B people', members: [{ value: bUser }] })).id as string;
      assert.equal(scimError(await scim(tokenA, 'GET', `/Users/${bUser}`), 404), undefined);
      assert.equal(scimError(await scim(tokenA, 'PATCH', `/Users/${bUser}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }), 404), undefined);
      assert.equal(scimError(await scim(tokenA, 'DELETE', `/Groups/${bGroup}`), 404), undefined);
      assert.equal(json(await scim(tokenA, 'GET', `/Users?filter=${encodeURIComponent('userName eq "only.b@b.test"')}`)).totalResults, 0);
      assert.ok(!json(await scim(tokenA, 'GET', '/Groups')).Resources.some((g: { id: string }) => g.id === bGroup));
      assert.equal(scimError(await scim(tokenA, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Steal', members: [{ value: bUser }] }), 400), 'invalidValue', "another tenant's user cannot be put in a group");
      assert.equal((await memberRow(bUser)).status, 'invited');
    });

    test('the SCIM token is valid on /scim/v2 only, and nothing else is valid there; a revoked token is 401', async () => {
      // The SCIM token elsewhere: refused (Ward's API takes DPoP-bound tokens only).
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${tokenA}` } });
      assert.equal(me.statusCode, 401);
      // A person's session on /scim/v2: refused before any decision.
      const owner = await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'owner@a.test'");
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = $1", [owner.rows[0]!.id]);
      const session = await signIn(t.deps, 'owner@a.test');
      assert.equal(scimError(await app.inject({ method: 'GET', url: '/scim/v2/Users', headers: await session.headers('GET', '/scim/v2/Users') }), 401), undefined);
      assert.equal(scimError(await app.inject({ method: 'GET', url: '/scim/v2/Users' }), 401), undefined);
      assert.equal(scimError(await scim('ward_scim_' + 'A'.repeat(43), 'GET', '/Users'), 401), undefined);
      // Rotation: the old token works until --revoke ends it.
      const rotated = await issueToken('clinic-a');
      assert.equal((await scim(tokenA, 'GET', '/Users?count=1')).statusCode, 200);
      assert.equal((await scim(rotated, 'GET', '/Users?count=1')).statusCode, 200);
      const fresh = await issueToken('clinic-a', '--revoke');
      assert.equal(scimError(await scim(tokenA, 'GET', '/Users'), 401), undefined);
      assert.equal(scimError(await scim(rotated, 'GET', '/Users'), 401), undefined);
      assert.equal((await scim(fresh, 'GET', '/Users?count=1')).statusCode, 200);
      tokenA = fresh;
      // A disabled SCIM client: every token refused, and the refusal audited.
      const client = await t.deps.db.systemDb.query<{ client_id: string; id: string }>("SELECT client_id, id FROM workloads WHERE tenant_id = $1 AND role = 'ScimProvisioner'", [tenantA]);
      assert.equal((await runCli(t, ['workload', 'disable', '--tenant', 'clinic-a', '--client-id', client.rows[0]!.client_id])).code, 0);
      assert.equal(scimError(await scim(fresh, 'GET', '/Users'), 401), undefined);
      assert.equal((await auditOf(client.rows[0]!.id, 'scim.request.refused')).at(-1)?.outcome, 'denied');
      await t.deps.db.systemDb.query("UPDATE workloads SET status = 'active' WHERE id = $1", [client.rows[0]!.id]);
    });

    test('deprovision while a session is open: the very next request is 401 (time measured)', async () => {
      const id = json(await scim(tokenA, 'POST', '/Users', oktaUser('leaver@a.test'))).id as string;
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = $1", [id]);
      const session = await signIn(t.deps, 'leaver@a.test');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: await session.headers('GET', '/v1/me') })).statusCode, 200);
      const started = process.hrtime.bigint();
      const off = await scim(tokenA, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      assert.equal(off.statusCode, 200, off.body);
      const next = await app.inject({ method: 'GET', url: '/v1/me', headers: await session.headers('GET', '/v1/me') });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(next.statusCode, 401);
      // Reported in the test output (and the issue note): from the SCIM request's start to the refusal's end.
      console.log(`# deprovision-to-refusal on ${engine}: ${ms.toFixed(1)} ms (SCIM PATCH + the next session request)`);
      const [deprovision] = await auditOf(id, 'member.deprovision');
      assert.equal(deprovision!.metadata.revokedSessions, 1, 'the session was revoked in the deactivation itself');
    });
    test('identity proofing, with step-up, before the first enrollment link; the link goes out through notify, never in a response', async () => {
      const id = json(await scim(tokenA, 'POST', '/Users', oktaUser('newhire@a.test'))).id as string;
      const owner = await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'owner@a.test'");
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = $1", [owner.rows[0]!.id]);
      const session = await signIn(t.deps, 'owner@a.test');
      await t.deps.db.systemDb.query("UPDATE devices SET posture = 'managed' WHERE member_id = $1", [owner.rows[0]!.id]);
      const url = `/v1/members/${id}/id-proofing`;
      const body = { method: 'in_person_document', note: 'Passport checked at the front desk by the shift lead' };
      const post = async () => app.inject({ method: 'POST', url, headers: { ...(await session.headers('POST', url)), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      // Without a recent user verification: step-up first.
      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '10 minutes' WHERE id = $1", [session.sessionId]);
      const stale = await post();
      assert.equal(stale.statusCode, 403);
      assert.equal(stale.json().code, 'STEP_UP_REQUIRED');
      assert.equal((await t.deps.db.systemDb.query('SELECT 1 FROM enrollment_tokens WHERE member_id = $1', [id])).rows.length, 0, 'no link before proofing');
      await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [session.sessionId]);
      const outbox = createFileOutbox(t.deps.config.notify.outboxDir);
      const before = outbox.read().length;
      const res = await post();
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['expiresAt', 'memberId', 'requiresApproval']);
      assert.ok(!res.body.includes('#token='), 'the link is never in a response');
      const sent = outbox.read().slice(before);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.to, 'newhire@a.test');
      assert.match(sent[0]!.text, /\/enroll#token=[A-Za-z0-9_-]{43}/);
      const row = await t.deps.db.systemDb.query<{ method: string; note_enc: Buffer }>('SELECT method, note_enc FROM id_proofings WHERE member_id = $1', [id]);
      assert.equal(row.rows[0]!.method, 'in_person_document');
      assert.ok(!row.rows[0]!.note_enc.toString('latin1').includes('Passport'), 'the note is stored encrypted');
      assert.deepEqual(await memberRow(id), { status: 'invited', roles: [], scopes: [] }, 'the account starts with no PHI');
      assert.equal((await post()).statusCode, 201, 'proofing again sends a new link (the old one ends)');
      assert.equal((await t.deps.db.systemDb.query('SELECT 1 FROM enrollment_tokens WHERE member_id = $1 AND consumed_at IS NULL', [id])).rows.length, 1);
      // Not for a member Ward made itself, nor for oneself.
      const self = `/v1/members/${owner.rows[0]!.id}/id-proofing`;
      const refused = await app.inject({ method: 'POST', url: self, headers: { ...(await session.headers('POST', self)), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      assert.equal(refused.statusCode, 403);
    });

    test('the inactivity rule disables members and workloads unused for the tenant setting, with progress, and SCIM readers see active false', async () => {
      const id = json(await scim(tokenA, 'POST', '/Users', oktaUser('dormant@a.test'))).id as string;
      await t.deps.db.systemDb.query("UPDATE members SET status = 'active' WHERE id = $1", [id]);
      const session = await signIn(t.deps, 'dormant@a.test');
      await t.deps.db.systemDb.query(`UPDATE tenants SET settings = settings || '{"inactivityDisableDays": 30}'::jsonb WHERE id = $1`, [tenantA]);
      const old = "now() - interval '31 days'";
      await t.deps.db.systemDb.query(`UPDATE members SET created_at = ${old}, last_active_at = ${old} WHERE id = $1`, [id]);
      await t.deps.db.systemDb.query(`UPDATE sessions SET last_seen_at = ${old} WHERE member_id = $1`, [id]);
      // Every other account of the tenant stays recent, except one workload never used since its registration.
      const { publicKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
      const created = await runWard(['workload', 'create', '--tenant', 'clinic-a', '--name', 'idle-tool', '--kind', 'service', '--role', 'Redactor'], { ctx: serverContext(t.deps), stdin: JSON.stringify({ keys: [jwk] }) });
      assert.equal(created.code, 0, created.err);
      await t.deps.db.systemDb.query(`UPDATE workloads SET created_at = ${old} WHERE name = 'idle-tool'`);
      const r = await runCli(t, ['member', 'disable-inactive', '--tenant', 'clinic-a']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /disabled 1 member\(s\) and 1 workload\(s\) of clinic-a/);
      assert.equal((await memberRow(id)).status, 'disabled');
      assert.equal(json(await scim(tokenA, 'GET', `/Users/${id}`)).active, false, 'SCIM readers see active: false');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: await session.headers('GET', '/v1/me') })).statusCode, 401);
      const audit = await auditOf(id, 'member.deprovision');
      assert.equal(audit.at(-1)!.actor_id, 'system:inactivity');
      const wl = await t.deps.db.systemDb.query<{ status: string }>("SELECT status FROM workloads WHERE name = 'idle-tool'");
      assert.equal(wl.rows[0]!.status, 'disabled');
      assert.equal((await scim(tokenA, 'GET', '/Users?count=1')).statusCode, 200, 'the SCIM client, used just now, stays');
      assert.match((await runCli(t, ['member', 'disable-inactive', '--tenant', 'clinic-a'])).out, /disabled 0 member/);
    });
  });
}
