import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { generateDemo, seedDemo } from '../../src/modules/demo/index.ts';
import { demoEnrollment, landingLink, ROLE_LANDING } from '../../src/modules/identity/index.ts';
import { auditReasons, CHROMIUM, newPerson, startWard, type Person, type Ward } from './browser.ts';

/**
 * R-AUTHZ-5, R-AUTHZ-2, R-UX-1 in headless Chromium on the demo data (1280×720): an Admin proposes a
 * PHI scope for a Viewer in the admin console; the proposal says who must approve next, the Admin is
 * offered no approval of their own proposal and nothing is granted; the Owner, a second person,
 * approves it in their own console, and only then does the Viewer hold the scope. Each screen is
 * checked with axe and photographed into docs/screens/. The Owner then disables the Viewer and
 * revokes one of the Admin's devices from the same console (R-AUTHN-5, R-SESS-4).
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;
const SCREENS = fileURLToPath(new URL('../../../docs/screens/', import.meta.url));
const VIEWER = 'vera.viewer@riverside.test';

describe('PHI-scope grants by two people in the admin console, in headless Chromium', { skip, timeout: 300_000 }, () => {
  let ward: Ward;
  const people: Person[] = [];

  before(async () => {
    ward = await startWard();
    await seedDemo(ward.t.deps.db.systemDb, generateDemo(1), { cipher: ward.t.deps.cipher });
    mkdirSync(SCREENS, { recursive: true });
  });
  after(async () => {
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  async function consoleOf(role: 'Owner' | 'Admin'): Promise<{ page: Page; email: string; memberId: string }> {
    const r = await demoEnrollment({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) }, { slug: 'riverside', role }, ward.clock.now());
    const p = await newPerson();
    people.push(p);
    await p.page.setViewportSize({ width: 1280, height: 720 });
    await p.page.goto(landingLink(r.link, role));
    await p.page.getByRole('button', { name: 'Create passkey' }).click();
    await p.page.waitForURL(`${ward.origin}${ROLE_LANDING[role]}`);
    await p.page.waitForSelector('[data-ready=phi-grants]');
    return { page: p.page, email: r.email, memberId: r.memberId };
  }

  async function look(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${SCREENS}${name}.png`, fullPage: true });
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
  }

  const scopesOfViewer = async () => (await ward.t.deps.db.systemDb.query<{ phi_scope: string }>(
    'SELECT s.phi_scope FROM member_phi_scopes s JOIN members m ON m.id = s.member_id WHERE m.email = $1', [VIEWER])).rows.map((r) => r.phi_scope);

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
  });
});
