import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { demoGoldDocuments, type DemoData } from '../../src/modules/demo/index.ts';
import { ROLE_LANDING } from '../../src/modules/identity/index.ts';
import { createFileOutbox } from '../../src/modules/notify/index.ts';
import { startCampaign } from '../../src/modules/reviews/index.ts';
import { auditReasons, CHROMIUM, enrollDemoMember, look as lookAt, newPerson, pageApi, startDemoWard, type AxeResults, type Person, type Ward } from './browser.ts';

/**
 * R-UX-1, R-AUTHZ-5, R-ELEV-1 in headless Chromium on the demo data (1280×720): in the admin console
 * an Owner invites a new Admin, the invitation waits for a second person and says who, and a second
 * administrator (an Admin) approves it in their own console, and the new Admin enrolls with the
 * link the notifier sent; a recovery opened by the Owner says who approves next, and the new Admin
 * approves it; an access review's item is kept with a note; a supervisor approves an agent's
 * elevation request on the supervisor screen, which holds no gold PHI. Each screen is checked with axe
 * (no serious or critical violation) and photographed into docs/screens/.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe('the admin console and the supervisor queue in headless Chromium', { skip, timeout: 300_000 }, () => {
  let ward: Ward;
  let demo: DemoData;
  const people: Person[] = [];
  const axeResults: AxeResults = {};
  const landed: Record<string, string> = {};

  before(async () => {
    ({ ward, demo } = await startDemoWard());
  });
  after(async () => {
    process.stdout.write(`# axe: ${JSON.stringify(axeResults)}\n# landed: ${JSON.stringify(landed)}\n`);
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  async function signedInAs(role: 'Owner' | 'Admin' | 'Manager' | 'Agent'): Promise<{ p: Person; email: string; memberId: string }> {
    // The link as `ward demo sign-in` prints it: it lands on the role's first screen (R-UX-1).
    const { p, email, memberId } = await enrollDemoMember(ward, people, role, { landing: true });
    await p.page.waitForURL(`${ward.origin}${ROLE_LANDING[role]}`);
    await p.page.waitForSelector('[data-fact=Roles]');
    landed[role] = new URL(p.page.url()).pathname;
    return { p, email, memberId };
  }

  const look = (page: Page, name: string) => lookAt(page, name, axeResults);

  test('an Owner invites a new Admin in the console; it waits for a second person, who approves it in theirs (R-AUTHZ-5)', async () => {
    const owner = await signedInAs('Owner');
    const invitee = 'new.admin@riverside.example';
    await owner.p.page.getByRole('link', { name: 'Admin console' }).click();
    await owner.p.page.waitForURL(`${ward.origin}/admin`);
    await owner.p.page.waitForSelector('[data-ready=members]');
    await look(owner.p.page, 'admin-console');

    await owner.p.page.getByLabel('Work e-mail address').fill(invitee);
    await owner.p.page.getByLabel('Role').selectOption('Admin');
    await owner.p.page.getByRole('button', { name: 'Send invitation' }).click();
    await owner.p.page.waitForSelector('form.invite .notice.ok');
    assert.match((await owner.p.page.textContent('form.invite .notice.ok')) ?? '', /Next: a second Owner or Admin approves/);
    const row = owner.p.page.locator(`tr[data-member="${invitee}"]`);
    await row.locator('[data-invitation="awaiting approval"]').waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`Next: a second Owner or Admin other than ${owner.email.replace(/[.]/g, '\\.')} \\(who invited\\)`));
    assert.equal(await row.getByRole('button', { name: /^Approve/ }).count(), 0, 'the inviter is offered no approval of their own invitation');
    await look(owner.p.page, 'admin-invite-awaiting-approval');

    // Not granted yet: the role waits for the second person.
    const { rows: [invited] } = await ward.t.deps.db.systemDb.query<{ id: string; roles: string[] }>(
      'SELECT m.id, ARRAY(SELECT role FROM member_roles r WHERE r.member_id = m.id) AS roles FROM members m WHERE m.email = $1', [invitee]);
    assert.deepEqual(invited!.roles, []);

    const admin = await signedInAs('Admin');
    await admin.p.page.getByRole('link', { name: 'Admin console' }).click();
    await admin.p.page.waitForSelector('[data-ready=members]');
    const theirs = admin.p.page.locator(`tr[data-member="${invitee}"]`);
    await theirs.getByRole('button', { name: `Approve ${invitee} as Admin` }).click();
    await admin.p.page.waitForSelector('[data-ready=members] .notice.ok');
    assert.match((await admin.p.page.textContent('[data-ready=members] .notice.ok')) ?? '', /Approved: .* is granted Admin/);
    await theirs.locator('[data-invitation="awaiting enrollment"]').waitFor();
    await look(admin.p.page, 'admin-invite-approved');

    const { rows: roles } = await ward.t.deps.db.systemDb.query<{ role: string; granted_by: string }>('SELECT role, granted_by FROM member_roles WHERE member_id = $1', [invited!.id]);
    assert.deepEqual(roles, [{ role: 'Admin', granted_by: admin.memberId }], 'granted by the approval, the second person');
    assert.deepEqual((await auditReasons(ward, 'member.invite.approve')).map((e) => e.outcome), ['success']);

    // The approved invitee enrolls with the link the notifier sent to their address (never shown in the console).
    const outbox = createFileOutbox(ward.t.deps.config.notify.outboxDir).read();
    const enrollLink = outbox.filter((m) => m.to === invitee).map((m) => /(http\S+\/enroll#token=[A-Za-z0-9_-]+)/.exec(m.text)?.[1]).find(Boolean);
    assert.ok(enrollLink, 'the enrollment link went to the invited address');
    const newAdmin = await newPerson();
    people.push(newAdmin);
    await newAdmin.page.setViewportSize({ width: 1280, height: 720 });
    await newAdmin.page.goto(enrollLink);
    await newAdmin.page.getByRole('button', { name: 'Create passkey' }).click();
    await newAdmin.page.waitForURL(`${ward.origin}/`);
    await newAdmin.page.getByRole('link', { name: 'Admin console' }).click();
    await newAdmin.page.waitForSelector('[data-ready=members]');

    // R-AUTHN-4: the Owner opens a lost-device recovery of the Admin after re-verifying them; it says
    // who approves next, and the Admin, its subject, is offered no approval; the new Admin approves it.
    await owner.p.page.reload();
    await owner.p.page.waitForSelector('form.recovery');
    await owner.p.page.locator('#recovery-member').selectOption({ label: admin.email });
    await owner.p.page.getByLabel('Identity re-verified by').selectOption('video-call');
    await owner.p.page.getByLabel('Note (encrypted, shown to no one)').fill('Video call, badge shown, laptop stolen');
    await owner.p.page.getByRole('button', { name: 'Open recovery' }).click();
    await owner.p.page.getByText(/^Recovery opened for /).waitFor();
    const recovering = owner.p.page.locator(`tr[data-member="${admin.email}"] [data-recovery=opened]`);
    await recovering.waitFor();
    assert.match((await recovering.textContent()) ?? '', new RegExp(`Next: a second Owner or Admin other than ${owner.email.replace(/[.]/g, '\\.')} \\(who opened it\\) approves`));
    assert.equal(await recovering.getByRole('button').count(), 0, 'the opener approves nothing');
    await look(owner.p.page, 'admin-recovery-opened');
    const { rows: [opened] } = await ward.t.deps.db.systemDb.query<{ state: string; note: string }>(
      'SELECT state, encode(note_enc, \'escape\') AS note FROM member_recoveries WHERE member_id = $1', [admin.memberId]);
    assert.equal(opened!.state, 'opened');
    assert.ok(!opened!.note.includes('badge shown'), 'the note is stored encrypted');
    await newAdmin.page.reload();
    await newAdmin.page.getByRole('button', { name: `Approve the recovery of ${admin.email}` }).click();
    await newAdmin.page.getByText(/^Recovery approved: /).waitFor();
    await newAdmin.page.locator(`tr[data-member="${admin.email}"] [data-recovery=approved]`).waitFor();
    await look(newAdmin.page, 'admin-recovery-approved');
    const { rows: [approved] } = await ward.t.deps.db.systemDb.query<{ state: string }>('SELECT state FROM member_recoveries WHERE member_id = $1', [admin.memberId]);
    assert.equal(approved!.state, 'approved');

    // R-GOV-1: a campaign's items reach their reviewer's console (no manager set: an Owner or Admin),
    // who keeps one with a note.
    const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
    const started = await startCampaign({ db: ward.t.deps.db, audit: ward.t.deps.audit, clock: ward.clock }, { tenantId: riverside.id, days: 14 });
    assert.ok(started.items > 0);
    let reviewer: Page | null = null;
    for (const page of [admin.p.page, owner.p.page, newAdmin.page]) {
      await page.reload();
      await page.waitForSelector('[data-ready=members]');
      await page.waitForFunction(() => !(globalThis as any).document.querySelector('[aria-busy=true]'));
      if (await page.locator('table.reviews tbody tr').count()) reviewer ??= page;
    }
    assert.ok(reviewer, 'one of the administrators reviews the items');
    const first = reviewer.locator('table.reviews tbody tr').first();
    await first.getByLabel('Note').fill('Still needed for the front desk');
    await look(reviewer, 'admin-access-review');
    await first.getByRole('button', { name: 'Keep' }).click();
    await reviewer.getByText(/^Kept: /).waitFor();
    assert.deepEqual((await auditReasons(ward, 'review.attest')).filter((e) => e.outcome === 'success').length >= 1, true);
  });

  test('a supervisor approves an agent\'s elevation request on the supervisor screen, which shows no gold PHI (R-ELEV-1, R-DATA-3)', async () => {
    const agent = await signedInAs('Agent');
    const asked = await pageApi(agent.p, 'POST', '/v1/elevations', {
      body: { phiScopes: ['BehavioralHealth-PHI'], target: { type: 'tenant' }, purpose: 'TREAT', reason: 'Covering the behavioural health queue today', durationSeconds: 3600 },
    });
    assert.equal(asked.status, 201, asked.code);
    const elevationId = String(asked.json.elevationId);

    const manager = await signedInAs('Manager');
    const page = manager.p.page;
    await page.getByRole('link', { name: 'Supervisor analytics' }).click();
    await page.waitForSelector('[data-ready=analytics] [data-ready=elevations]');
    const row = page.locator(`tr[data-elevation="${elevationId}"]`);
    assert.match((await row.textContent()) ?? '', /scope BehavioralHealth-PHI on the tenant.*1 more approval by an Owner, Admin or Manager/);
    assert.ok(((await row.textContent()) ?? '').includes(`…${agent.memberId.replace(/-/g, '').slice(-4)}`), 'the member by a masked id');

    const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
    const calls = new Set(demo.calls.filter((c) => c.tenantId === riverside.id).map((c) => c.id));
    const gold = new Set<string>();
    for (const d of demoGoldDocuments(demo)) if (calls.has(d.id)) for (const s of d.spans) gold.add(d.text.slice(s.start, s.end));
    for (const x of demo.patients.filter((x) => x.tenantId === riverside.id)) {
      for (const v of [x.ssn, x.givenName, x.familyName, x.dateOfBirth, x.addressLine, x.mrn, x.phone]) if (v) gold.add(v);
    }
    const text = (await page.textContent('body')) ?? '';
    assert.deepEqual([...gold].filter((g) => g.length >= 4 && text.includes(g)), [], 'the supervisor screen shows no gold PHI');
    await look(page, 'supervisor-elevation-queue');

    await row.getByRole('button', { name: 'Approve' }).click();
    await page.waitForSelector('[data-ready=elevations] .notice.ok');
    await row.waitFor({ state: 'detached' });
    const { rows: [e] } = await ward.t.deps.db.systemDb.query<{ state: string }>('SELECT state FROM elevations WHERE id = $1', [elevationId]);
    assert.equal(e!.state, 'approved');
  });
});
