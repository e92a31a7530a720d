// The operator's view of tenants, members and invitations (R-UX-2, R-AUTHN-3), demo sign-in links
// (embedded database, demo tenants only) and refusals that print their reason codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serverContext } from '../../src/cli/main.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { runWard } from '../support/cli.ts';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

describe('operator commands on the embedded database', () => {
  let t: TestDeps;
  const ward = (argv: string[]) => runWard(argv, { env: t.env, ctx: serverContext(t.deps) });
  before(async () => {
    t = await createTestDeps('embedded', { demo: 1 });
  });
  after(async () => {
    await t?.close();
  });

  test('tenant list shows the demo tenants, member list their members and roles', async () => {
    const tenants = await ward(['tenant', 'list']);
    assert.equal(tenants.code, 0, tenants.err);
    assert.match(tenants.out, /^SLUG +MEMBERS +ENROLLED +DEMO +NAME\n/);
    assert.match(tenants.out, /\nlakeside +\d+ +0 +yes /);
    assert.match(tenants.out, /\nriverside +\d+ +0 +yes /);
    const json = (await ward(['tenant', 'list', '--json'])).out.trim().split('\n').map((l) => JSON.parse(l) as { slug: string; demo: boolean });
    assert.deepEqual(json.map((r) => [r.slug, r.demo]), [['lakeside', true], ['riverside', true]]);

    const members = await ward(['member', 'list', '--tenant', 'riverside']);
    assert.equal(members.code, 0, members.err);
    assert.match(members.out, /^EMAIL +STATUS +PASSKEYS +ROLES \/ PHI SCOPES\n/);
    assert.match(members.out, /@\S+ +active +0 +\S*Agent\S* \/ /);
    assert.match(members.out, /\n\d+ members\n$/);
    const unknown = await ward(['member', 'list', '--tenant', 'nowhere']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /^ward: TENANT_NOT_FOUND: .*ward tenant list shows them/);
  });

  test('demo sign-in prints an enrollment link for an unenrolled demo member; invitation status follows it', async () => {
    const r = await ward(['demo', 'sign-in', '--tenant', 'riverside', '--role', 'Agent']);
    assert.equal(r.code, 0, r.err);
    const email = /^demo Agent (\S+@\S+) of riverside: open this link/.exec(r.out)?.[1];
    assert.ok(email, r.out);
    assert.match(r.out, /\nhttp:\/\/localhost:\d+\/enroll#token=[A-Za-z0-9_-]+&next=\/agent\n$/, 'the link lands on the Agent\'s call queue');
    const status = await ward(['invitation', 'status', '--tenant', 'riverside', '--email', email]);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, new RegExp(`\\n${email.replace(/[.+]/g, '\\$&')} +Agent +awaiting enrollment +\\d{4}-`));
    assert.doesNotMatch(status.out, /token=/, 'the link itself is never shown again');
    // A second link replaces the first.
    await ward(['demo', 'sign-in', '--tenant', 'riverside', '--role', 'Agent']);
    const again = (await ward(['invitation', 'status', '--tenant', 'riverside', '--email', email, '--json'])).out.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status);
    assert.deepEqual(again, ['awaiting enrollment', 'replaced']);
  });

  test('demo sign-in is refused, with its reason code, for a tenant the demo seed did not create', async () => {
    const created = await ward(['tenant', 'create', '--slug', 'acme', '--name', 'Acme', '--owner-email', 'owner@acme.example']);
    assert.equal(created.code, 0, created.err);
    const r = await ward(['demo', 'sign-in', '--tenant', 'acme', '--role', 'Owner']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^ward: FORBIDDEN \(not_a_demo_tenant\): /);
    assert.equal(r.out, '');
  });

  test('a refused approval prints the reason code its audit event records', async () => {
    const invite = await ward(['member', 'invite', '--tenant', 'acme', '--email', 'admin@acme.example', '--role', 'Admin']);
    assert.equal(invite.code, 0, invite.err);
    const r = await ward(['member', 'approve', '--tenant', 'acme', '--email', 'admin@acme.example', '--by', 'admin@acme.example']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^ward: ENROLLMENT_SELF_APPROVAL \(self_approval\): /);
    const pending = await ward(['invitation', 'status', '--tenant', 'acme']);
    assert.match(pending.out, /admin@acme\.example +Admin +awaiting approval/);
    assert.match(pending.out, /owner@acme\.example +Owner +awaiting enrollment/);
  });

  test('audit trace --member takes an e-mail address', async () => {
    await ward(['demo', 'traffic', '--reads', '40']);
    const members = (await ward(['member', 'list', '--tenant', 'riverside', '--json'])).out.trim().split('\n').map((l) => JSON.parse(l) as { email: string; roles: string[] });
    const agent = members.find((m) => m.roles.includes('Agent'))!;
    const r = await ward(['audit', 'trace', '--member', agent.email]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^tenant riverside: \d+ events\n/);
    assert.match(r.out, /patient\.view/);
    const nobody = await ward(['audit', 'trace', '--member', 'nobody@example.org']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.err, /^ward: NOT_FOUND: /);
  });
});

describe('demo sign-in on PostgreSQL', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  test('is refused: demo shortcuts stay on the embedded database', async () => {
    const t = await createTestDeps('postgres', { demo: 1 });
    try {
      const r = await runWard(['demo', 'sign-in', '--tenant', 'riverside', '--role', 'Agent'], { env: t.env, ctx: serverContext(t.deps) });
      assert.equal(r.code, 1);
      assert.match(r.err, /^ward: FORBIDDEN \(not_embedded\): /);
    } finally {
      await t.close();
    }
  });
});
