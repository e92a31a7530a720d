import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { demoEnrollment, landingLink, ROLE_LANDING } from '../../src/modules/identity/index.ts';
import { auditReasons, CHROMIUM, newPerson, pageApi, startDemoWard, type Person, type Ward } from './browser.ts';

/**
 * R-AUTHZ-5, R-AUTHZ-2, R-UX-1 in headless Chromium on the demo data (1280×720): an Admin proposes a
 * PHI scope for a Viewer in the admin console; the proposal says who must approve next, the Admin is
 * offered no approval of their own proposal and nothing is granted; the Owner, a second person,
 * approves it in their own console, and only then does the Viewer hold the scope. Each screen is
 * checked with axe and photographed into docs/screens/. The Owner then disables the Viewer and
 * revokes one of the Admin's devices from the same console (R-AUTHN-5, R-SESS-4). Before that, the
 * same two people change an Agent's roles: the Admin proposes Manager from the member's row and may
 * not approve it; the Owner, six minutes later, approves it with a passkey step-up (R-SESS-3), and
 * only then does the Agent hold it.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;
const SCREENS = fileURLToPath(new URL('../../../docs/screens/', import.meta.url));
const VIEWER = 'vera.viewer@riverside.test';
const AGENT = 'alex.agent@riverside.test';
const re = (s: string) => s.replace(/[.]/g, '\\.');

describe('PHI-scope grants by two people in the admin console, in headless Chromium', { skip, timeout: 300_000 }, () => {
  let ward: Ward;
  const people: Person[] = [];

  before(async () => {
    ({ ward } = await startDemoWard());
  });
  after(async () => {
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  type Console = { page: Page; person: Person; email: string; memberId: string };
  const consoles = new Map<string, Console>();
  /** The demo Owner's or Admin's console: enrolled once, reloaded when asked again (the tests share these two people). */
  async function consoleOf(role: 'Owner' | 'Admin'): Promise<Console> {
    const known = consoles.get(role);
    if (known) {
      await known.page.reload();
      await known.page.waitForSelector('[data-ready=phi-grants]');
      return known;
    }
    const r = await demoEnrollment({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) }, { slug: 'riverside', role }, ward.clock.now());
    const p = await newPerson();
    people.push(p);
    await p.page.setViewportSize({ width: 1280, height: 720 });
    await p.page.goto(landingLink(r.link, role));
    await p.page.getByRole('button', { name: 'Create passkey' }).click();
    await p.page.waitForURL(`${ward.origin}${ROLE_LANDING[role]}`);
    await p.page.waitForSelector('[data-ready=phi-grants]');
    const made = { page: p.page, person: p, email: r.email, memberId: r.memberId };
    consoles.set(role, made);
    return made;
  }

  async function look(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${SCREENS}${name}.png`, fullPage: true });
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
  }

  const scopesOfViewer = async () => (await ward.t.deps.db.systemDb.query<{ phi_scope: string }>(
    'SELECT s.phi_scope FROM member_phi_scopes s JOIN members m ON m.id = s.member_id WHERE m.email = $1', [VIEWER])).rows.map((r) => r.phi_scope);

  const rolesOf = async (email: string) => (await ward.t.deps.db.systemDb.query<{ role: string }>(
    'SELECT r.role FROM member_roles r JOIN members m ON m.id = r.member_id WHERE m.email = $1 ORDER BY r.role', [email])).rows.map((r) => r.role);

  test("an Admin proposes Manager for an Agent from the member's row; the Admin cannot approve it; the Owner approves with a step-up, and only then is it held", async () => {
    const admin = await consoleOf('Admin');
    await admin.page.locator(`tr[data-member="${AGENT}"]`).getByRole('button', { name: 'Change roles' }).click();
    const agentId = await admin.page.locator('#roles-member').inputValue();
    assert.equal((await admin.page.locator('#roles-member option:checked').textContent()), AGENT, "the row's button picks the member");
    await admin.page.locator('#roles-change').selectOption('add:Manager');
    await admin.page.locator('form.change-roles button[type=submit]').click();
    await admin.page.getByText(new RegExp(`^Proposed Manager for ${re(AGENT)}\\. Next: a second Owner or Admin approves it`)).waitFor();
    const row = admin.page.locator(`tr[data-grant="${AGENT} Manager"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`Next: a second Owner or Admin other than ${re(admin.email)} \\(who proposed it\\) and ${re(AGENT)}`));
    assert.equal(await row.getByRole('button', { name: /^Approve/ }).count(), 0, 'the proposer is offered no approval');
    const { rows: [proposal] } = await ward.t.deps.db.systemDb.query<{ id: string }>(
      "SELECT id FROM role_grant_requests WHERE member_id = $1 AND role = 'Manager' AND state = 'pending'", [agentId]);
    const self = await pageApi(admin.person, 'POST', `/v1/role-grants/${proposal!.id}/approve`, { clock: ward.clock });
    assert.deepEqual([self.status, self.code], [403, 'FORBIDDEN'], 'the proposer cannot approve it through the API either');
    assert.deepEqual(await rolesOf(AGENT), ['Agent'], 'a proposal grants nothing');
    await look(admin.page, 'admin-role-change-proposed');

    // Six minutes on, the Owner's verification is stale: the approval asks for a passkey step-up first.
    const owner = await consoleOf('Owner');
    ward.clock.advance(6 * 60 * 1000);
    const stepUps = (await auditReasons(ward, 'auth.step_up')).filter((e) => e.outcome === 'success').length;
    await owner.page.getByRole('button', { name: `Approve Manager for ${AGENT}` }).click();
    await owner.page.getByText(new RegExp(`^Approved: ${re(AGENT)} now holds the Manager role`)).waitFor();
    await owner.page.locator(`tr[data-grant="${AGENT} Manager"]`).waitFor({ state: 'detached' });
    assert.equal((await auditReasons(ward, 'auth.step_up')).filter((e) => e.outcome === 'success').length, stepUps + 1, 'approved after a step-up');
    assert.deepEqual(await rolesOf(AGENT), ['Agent', 'Manager']);
    const { rows: [granted] } = await ward.t.deps.db.systemDb.query<{ granted_by: string }>(
      "SELECT granted_by FROM member_roles WHERE member_id = $1 AND role = 'Manager'", [agentId]);
    assert.equal(granted!.granted_by, owner.memberId, 'granted by the approval, the second person');
    assert.deepEqual((await auditReasons(ward, 'member.role.grant')).map((e) => e.outcome), ['success']);
    await owner.page.locator(`tr[data-member="${AGENT}"]`).getByRole('button', { name: 'Change roles' }).click();
    await look(owner.page, 'admin-role-change-approved');
  });

  test('an Admin proposes Dental for a Viewer; it waits and says who approves next; the Owner approves, and only then is it granted', async () => {
    const admin = await consoleOf('Admin');
    await admin.page.locator('#grant-member').waitFor();
    await admin.page.locator('#grant-member').selectOption({ label: VIEWER });
    await admin.page.locator('#grant-scope').selectOption('Dental');
    await admin.page.locator('form.propose-grant button[type=submit]').click();
    await admin.page.getByText(/^Proposed Dental for /).waitFor();
    const row = admin.page.locator(`tr[data-grant="${VIEWER} Dental"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`Next: a second Owner or Admin other than ${admin.email.replace(/[.]/g, '\\.')} \\(who proposed it\\)`));
    assert.equal(await row.getByRole('button', { name: /^Approve/ }).count(), 0, 'the proposer is offered no approval');
    assert.deepEqual(await scopesOfViewer(), [], 'a proposal grants nothing');
    await look(admin.page, 'admin-phi-grant-proposed');

    const owner = await consoleOf('Owner');
    await owner.page.getByRole('button', { name: `Approve Dental for ${VIEWER}` }).click();
    await owner.page.getByText(new RegExp(`^Approved: ${VIEWER.replace(/[.]/g, '\\.')} now holds Dental`)).waitFor();
    await owner.page.locator(`tr[data-grant="${VIEWER} Dental"]`).waitFor({ state: 'detached' });
    await look(owner.page, 'admin-phi-grant-approved');
    assert.deepEqual(await scopesOfViewer(), ['Dental']);
    const { rows } = await ward.t.deps.db.systemDb.query<{ granted_by: string }>(
      "SELECT s.granted_by FROM member_phi_scopes s JOIN members m ON m.id = s.member_id WHERE m.email = $1 AND s.phi_scope = 'Dental'", [VIEWER]);
    assert.equal(rows[0]!.granted_by, owner.memberId, 'granted by the approval, the second person');
    assert.deepEqual((await auditReasons(ward, 'member.phiScope.grant')).map((e) => e.outcome), ['success']);

    // R-SESS-1: the Owner ends the Viewer's sessions without disabling them (a session feared stolen).
    await owner.page.getByRole('button', { name: `End sessions of ${VIEWER}` }).click();
    await owner.page.getByText(new RegExp(`^Ended \\d+ sessions? of ${VIEWER.replace(/[.]/g, '\\.')}; they stay `)).waitFor();
    assert.deepEqual((await auditReasons(ward, 'member.sessions.revoke')).map((e) => e.outcome), ['success']);

    // R-AUTHN-5: the Owner disables the Viewer; their status changes at once and every session ended.
    await owner.page.getByRole('button', { name: `Disable ${VIEWER}` }).click();
    await owner.page.getByText(new RegExp(`^Disabled ${VIEWER.replace(/[.]/g, '\\.')}`)).waitFor();
    await owner.page.locator(`tr[data-access="${VIEWER}"]`).getByRole('button', { name: `Enable ${VIEWER}` }).waitFor();
    const { rows: [vera] } = await ward.t.deps.db.systemDb.query<{ status: string }>('SELECT status FROM members WHERE email = $1', [VIEWER]);
    assert.equal(vera!.status, 'disabled');

    // R-SESS-4: the Admin's devices are listed with their posture; the Owner revokes one, and a lock holds it.
    await owner.page.locator('#devices-member').selectOption({ label: admin.email });
    const device = owner.page.locator('tr[data-device]').first();
    await device.waitFor();
    assert.match((await device.getAttribute('data-posture')) ?? '', /^(managed|unmanaged|unknown)$/);
    await device.getByRole('button', { name: /^Revoke device/ }).click();
    await owner.page.getByText(/^Revoked: \d+ sessions? ended; the device is locked/).waitFor();
    await owner.page.locator('tr[data-device]').first().getByText(/^Locked: a second Owner or Admin unlocks it/).waitFor();
    await look(owner.page, 'admin-access-and-devices');
    assert.deepEqual((await auditReasons(ward, 'device.revoke')).map((e) => e.outcome), ['success']);

    // R-AUTHZ-5: the Admin's console offers no button on the Owner's account, which only an Owner
    // manages (sod-owner-manages-owners), and the Owner is no candidate for a recovery the Admin opens.
    const again = await consoleOf('Admin');
    const ownerRow = again.page.locator(`tr[data-access="${owner.email}"]`);
    await ownerRow.getByText('An Owner manages this account').waitFor();
    assert.equal(await ownerRow.getByRole('button').count(), 0);
    assert.equal(await again.page.locator('#recovery-member option', { hasText: owner.email }).count(), 0);
  });
});
