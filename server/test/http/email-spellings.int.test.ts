// R-AUTHN-3, R-AUTHN-5: an e-mail address names one member, however it is spelled. Invitations, SCIM
// provisioning, its filters and the operator's look-ups all store and compare the one normal form
// (identity/email.ts: NFKC, lower case, the domain's ASCII form), and refuse addresses with invisible,
// control or look-alike characters. Before it, `ＡＬＩＣＥ@clinic.test` (full-width) was a second
// member beside `alice@clinic.test`, and `аlice@clinic.test` (a Cyrillic а) a look-alike account.
// And SCIM's other strings: a name with control or bidi-override characters is refused, since it
// would read otherwise in the admin console, an access review or the operator's terminal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { serverContext } from '../../src/cli/main.ts';
import { createTenant, inviteMember } from '../../src/modules/identity/index.ts';
import { runWard } from '../support/cli.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

const SCIM_JSON = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const system = { kind: 'system', id: 'system:test' } as const;

describe('one member per e-mail address, whatever its spelling', () => {
  let t: TestDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let tenantId: string;
  let token: string;
  const deps = () => ({ db: t.deps.db, audit: t.deps.audit, origin: t.deps.config.origin });
  const invite = (email: string) => inviteMember(deps(), { tenantId, email, role: 'Agent', actor: system }, t.deps.clock.now());
  const members = async () => (await t.deps.db.systemDb.query<{ email: string }>('SELECT email FROM members WHERE tenant_id = $1 ORDER BY email', [tenantId])).rows.map((r) => r.email);
  const scim = (method: 'GET' | 'POST', url: string, body?: unknown) => app.inject({
    method, url: `/scim/v2${url}`, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': SCIM_JSON } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  const scimUser = (email: string) => ({ schemas: [USER], userName: email, emails: [{ primary: true, value: email, type: 'work' }], active: true });

  before(async () => {
    t = await createTestDeps('embedded');
    tenantId = (await createTenant({ systemDb: t.deps.db.systemDb, audit: t.deps.audit, origin: t.deps.config.origin },
      { slug: 'spellings', name: 'Spellings', ownerEmail: 'Owner@Spellings.TEST', actor: system }, t.deps.clock.now())).tenantId;
    app = await buildApp(t.deps);
    const r = await runWard(['scim', 'token', '--tenant', 'spellings'], { ctx: serverContext(t.deps) });
    assert.equal(r.code, 0, r.err);
    token = r.out.trim().split('\n').at(-1)!;
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('an invitation to another spelling of a member\'s address finds that member (MEMBER_EXISTS)', async () => {
    assert.equal((await invite('alice@clinic.test')).email, 'alice@clinic.test');
    for (const spelling of ['ＡＬＩＣＥ@clinic.test', 'alice@ＣＬＩＮＩＣ.test', 'ALICE@clinic.test ']) {
      await assert.rejects(invite(spelling), { code: 'MEMBER_EXISTS' }, spelling);
    }
    assert.deepEqual(await members(), ['alice@clinic.test', 'owner@spellings.test']);
  });

  test('addresses with invisible or look-alike characters are refused with EMAIL_INVALID', async () => {
    for (const [spelling, reason] of [['al\u200Bice@clinic.test', 'invisible_character'], ['\u0430lice@clinic.test', 'mixed_scripts'], ['alice@clinic.test\u202E', 'invisible_character']] as const) {
      await assert.rejects(invite(spelling), (e: { code?: string; reasons?: string[] }) => e.code === 'EMAIL_INVALID' && e.reasons?.[0] === reason, spelling);
    }
    assert.deepEqual(await members(), ['alice@clinic.test', 'owner@spellings.test']);
  });

  test('SCIM: another spelling of an existing address is not a new user (uniqueness), a look-alike is invalidValue, a filter finds the one form', async () => {
    const taken = await scim('POST', '/Users', scimUser('Ａlice@Clinic.test'));
    assert.equal(taken.statusCode, 409, taken.body);
    assert.equal(taken.json().scimType, 'uniqueness');
    const lookalike = await scim('POST', '/Users', scimUser('b\u043Eb@clinic.test'));
    assert.equal(lookalike.statusCode, 400, lookalike.body);
    assert.equal(lookalike.json().scimType, 'invalidValue');
    const created = await scim('POST', '/Users', scimUser('Bob@Bücher.Example'));
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().emails, [{ value: 'bob@xn--bcher-kva.example', type: 'work', primary: true }]);
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('emails.value eq "ＢＯＢ@bücher.example"')}`);
    assert.equal(found.json().totalResults, 1, found.body);
  });

  test('SCIM names and group names with control or bidi-override characters are invalidValue; ZWNJ in a Persian name is kept', async () => {
    const patch = (id: string, path: string, value: unknown) => app.inject({
      method: 'PATCH', url: `/scim/v2/Users/${id}`, headers: { authorization: `Bearer ${token}`, 'content-type': SCIM_JSON },
      payload: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path, value }] }),
    });
    const user = await scim('POST', '/Users', { ...scimUser('carol@clinic.test'), displayName: 'Carol' });
    assert.equal(user.statusCode, 201, user.body);
    const id = user.json().id as string;
    for (const [path, value] of [['displayName', 'Carol\u202E(Owner)'], ['name.givenName', 'Car\u2066ol'], ['displayName', 'Carol\u001b[2J'], ['userName', 'carol\u0085@clinic.test']]) {
      const res = await patch(id, path!, value!);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      assert.equal(res.json().scimType, 'invalidValue');
    }
    // Entra ID's path with a value that is no address: refused, not silently replaced by userName.
    assert.equal((await patch(id, 'emails[type eq "work"].value', { x: 1 })).json().scimType, 'invalidValue');
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Ops\u001b]0;owned\u0007' });
    assert.equal(group.statusCode, 400, group.body);
    assert.equal((await patch(id, 'displayName', 'مهسا\u200Cپور')).statusCode, 200);
  });

  test('the operator names a member by any spelling of their address', async () => {
    const r = await runWard(['invitation', 'status', '--tenant', 'spellings', '--email', 'ＡＬＩＣＥ@clinic.test', '--json'], { ctx: serverContext(t.deps) });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /"alice@clinic\.test"/);
  });
});
