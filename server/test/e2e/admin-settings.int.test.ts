import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { demoGoldDocuments, type DemoData } from '../../src/modules/demo/index.ts';
import { ROLE_LANDING } from '../../src/modules/identity/index.ts';
import { createWorkload, grantWorkloadScope } from '../../src/modules/workload/index.ts';
import { auditReasons, CHROMIUM, enrollDemoMember, look, startDemoWard, type AxeResults, type Person, type Ward } from './browser.ts';

/**
 * R-UX-1, R-GOV-1, R-DATA-5 in headless Chromium on the demo data (1280×720): in the admin console an
 * Owner starts an access-review campaign and sees its progress and who acts next, sets a retention
 * policy and a release of a legal hold (after placing holds on a call and a patient by id), a SCIM
 * token and the SSO connection's removal, which a second person, an Admin, approves in their own console (the token shown once), and a
 * new key for a PHI-scoped workload that the Admin approves the same way (R-AUTHZ-5); the
 * settings screens' text holds no
 * gold PHI of the tenant (`ward demo gold`) and no full record id. Each screen is checked with axe
 * (no serious or critical violation) and photographed into docs/screens/.
 */
const publicJwk = async (kid: string): Promise<JWK> => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid });
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe('the admin console\'s settings in headless Chromium', { skip, timeout: 300_000 }, () => {
  let ward: Ward;
  let demo: DemoData;
  const people: Person[] = [];
  const axeResults: AxeResults = {};

  before(async () => {
    ({ ward, demo } = await startDemoWard());
  });
  after(async () => {
    process.stdout.write(`# axe: ${JSON.stringify(axeResults)}\n`);
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  test('an Owner starts a review campaign, sets retention and places and releases legal holds; the console holds no PHI (R-GOV-1, R-DATA-5)', async () => {
    const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
    const r = await enrollDemoMember(ward, people, 'Owner', { landing: true });
    const page = r.p.page;
    await page.waitForURL(`${ward.origin}${ROLE_LANDING.Owner}`);
    await page.getByRole('link', { name: 'Admin console' }).click();
    await page.waitForURL(`${ward.origin}/admin`);
    await page.waitForSelector('[data-ready=review-campaigns]');
    await page.waitForSelector('[data-ready=legal-holds]');

    // R-GOV-1: start a campaign; its row shows progress and who decides next.
    await page.getByLabel('Campaign name (default: the quarter)').fill('2026-Q4 console');
    await page.getByLabel('Days to decide').fill('21');
    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.getByText(/^Started 2026-Q4 console: \d+ items/).waitFor();
    const row = page.locator('tr[data-campaign="2026-Q4 console"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /0 of \d+.*Next: Reviewers \(each member's manager, else an Owner or Admin other than the member\) decide \d+ items by/);
    const { rows: [campaign] } = await ward.t.deps.db.systemDb.query<{ started_by: string; days: number; items: number }>(
      `SELECT c.started_by, round(extract(epoch FROM c.deadline_at - c.started_at) / 86400)::int AS days,
              (SELECT count(*)::int FROM access_review_items i WHERE i.campaign_id = c.id) AS items
         FROM access_review_campaigns c WHERE c.tenant_id = $1 AND c.name = '2026-Q4 console'`, [riverside.id]);
    assert.deepEqual({ ...campaign, items: campaign!.items > 0 }, { started_by: `human:${r.memberId}`, days: 21, items: true });
    assert.deepEqual((await auditReasons(ward, 'policy.manage')).map((e) => e.outcome).filter((o) => o === 'success').length > 0, true);
    // The campaign's items reach the reviewers' list in the same console.
    await page.waitForSelector('table.reviews tbody tr, [data-ready=members] ~ *');

    // R-DATA-5: a retention policy, then a legal hold on a call by its id, placed from the console.
    const transcripts = page.locator('tr[data-artifact=transcripts]');
    await transcripts.getByLabel('Action for Transcripts').selectOption('deidentify');
    await transcripts.getByLabel('Days before Transcripts are retired').fill('400');
    await transcripts.getByRole('button', { name: 'Save retention for Transcripts' }).click();
    // R-AUTHZ-5: a first policy deletes sooner than "kept": a proposal that a second person approves (below).
    await transcripts.getByText(/^Proposed: Transcripts: de-identified after 400 days\. It deletes sooner than now/).waitFor();
    await page.locator('[data-retention-request=transcripts]').getByText('You proposed it: someone else approves').waitFor();
    const policyOf = async () => (await ward.t.deps.db.systemDb.query<{ after_days: number; updated_by: string }>(
      "SELECT after_days, updated_by FROM retention_policies WHERE tenant_id = $1 AND artifact = 'transcripts'", [riverside.id])).rows;
    assert.deepEqual(await policyOf(), [], 'a proposal is not in effect');

    const call = demo.calls.find((c) => c.tenantId === riverside.id && c.patientId)!;
    await page.getByLabel('Held record').selectOption('call');
    await page.getByLabel('Record id (from the request)').fill(call.id);
    await page.getByLabel('Matter reference').fill('DOCKET-2026-114');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.getByText(/^Hold placed on call …[0-9a-f]{4} for DOCKET-2026-114/).waitFor();
    await page.locator('tr[data-hold="DOCKET-2026-114"] [data-state=live]').waitFor();
    const { rows: holds } = await ward.t.deps.db.systemDb.query<{ call_id: string; placed_by: string; released_at: Date | null }>(
      "SELECT call_id, placed_by, released_at FROM legal_holds WHERE tenant_id = $1 AND matter = 'DOCKET-2026-114'", [riverside.id]);
    assert.deepEqual(holds, [{ call_id: call.id, placed_by: r.memberId, released_at: null }]);

    // A second hold, released from the console: kept on record.
    await page.getByLabel('Record id (from the request)').fill(call.patientId!);
    await page.getByLabel('Held record').selectOption('patient');
    await page.getByLabel('Matter reference').fill('TICKET-77');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.locator('tr[data-hold="TICKET-77"] [data-state=live]').waitFor();
    await page.getByRole('button', { name: 'Propose to release the hold TICKET-77' }).click();
    await page.getByText(/^Release of the hold TICKET-77 proposed: a second Owner or Admin approves it here/).waitFor();
    await page.locator('tr[data-hold="TICKET-77"] [data-state=live]').getByText('release proposed').waitFor();
    const releasedBy = async () => (await ward.t.deps.db.systemDb.query<{ released_by: string | null }>("SELECT released_by FROM legal_holds WHERE matter = 'TICKET-77'")).rows[0]!.released_by;
    assert.equal(await releasedBy(), null, 'still held until a second person approves');
    // R-AUTHZ-5, R-ELEV-1, R-AUTHN-5: a SCIM token takes two people. The Owner proposes it; the card
    // says who must approve next and offers the Owner no approval; nothing is issued yet.
    await page.waitForSelector('[data-ready=scim]');
    await page.getByRole('button', { name: 'Propose a SCIM token' }).click();
    await page.getByText(/^Proposed\. Next: a second Owner or Admin approves it/).waitFor();
    const proposal = page.locator('[data-scim-request]');
    await proposal.getByText('You proposed it: someone else approves').waitFor();
    assert.match((await proposal.textContent()) ?? '', new RegExp(`Next: a second Owner or Admin other than ${r.email.replace(/[.]/g, '\\.')} \\(who proposed it\\)`));
    assert.equal(await proposal.getByRole('button', { name: 'Approve and show the token' }).count(), 0);
    const tokens = async () => (await ward.t.deps.db.systemDb.query('SELECT 1 FROM scim_tokens WHERE tenant_id = $1', [riverside.id])).rowCount;
    assert.equal(await tokens(), 0, 'a proposal issues nothing');
    // A second person, an Admin, approves it in their own console and is shown the token once.
    const admin = await enrollDemoMember(ward, people, 'Admin', { landing: true });
    await admin.p.page.waitForURL(`${ward.origin}${ROLE_LANDING.Admin}`);
    await admin.p.page.locator('[data-scim-request]').getByRole('button', { name: 'Approve and show the token' }).click();
    const once = admin.p.page.getByLabel('New SCIM token (shown once)');
    await once.waitFor();
    assert.match(await once.inputValue(), /^ward_scim_[A-Za-z0-9_-]{43}$/);
    assert.equal(await tokens(), 1);
    await admin.p.page.getByRole('button', { name: 'I have copied it' }).click();
    await once.waitFor({ state: 'detached' });
    assert.ok(!((await admin.p.page.textContent('body')) ?? '').includes('ward_scim_'), 'not shown again');
    // The Admin approves the Owner's retention proposals the same way: the policy is written, the hold released.
    const policyCard = admin.p.page.locator('[data-retention-request=transcripts]');
    await policyCard.waitFor();
    assert.match((await policyCard.textContent()) ?? '', /Transcripts de-identified after 400 days \(now kept\), proposed by another Owner or Admin/);
    await policyCard.getByRole('button', { name: 'Approve' }).click();
    await admin.p.page.getByText(/^Approved: Transcripts de-identified after 400 days/).waitFor();
    assert.deepEqual(await policyOf(), [{ after_days: 400, updated_by: admin.memberId }]);
    await admin.p.page.locator('[data-retention-request="TICKET-77"]').getByRole('button', { name: 'Approve' }).click();
    await admin.p.page.getByText(/^Approved: Release of the legal hold TICKET-77/).waitFor();
    assert.equal(await releasedBy(), admin.memberId);
    await page.reload();
    await page.waitForSelector('[data-ready=scim]');
    await page.locator('tr[data-hold="TICKET-77"] [data-state=released]').waitFor();
    assert.equal(await page.locator('[data-scim-request], [data-retention-request]').count(), 0, 'nothing waits any more');
    // Keeping longer stays one step.
    await transcripts.getByLabel('Days before Transcripts are retired').fill('500');
    await transcripts.getByRole('button', { name: 'Save retention for Transcripts' }).click();
    await transcripts.getByText(/Transcripts: de-identified after 500 days\. Applies at once/).waitFor();

    // R-AUTHN-2, R-AUTHZ-5: disconnecting SSO takes two people the same way (0120): the Owner proposes it
    // on the SSO card, the Admin approves it in their own console, and only then is the connection gone.
    await ward.t.deps.db.systemDb.query(
      `INSERT INTO sso_providers (tenant_id, issuer, client_id, secret_kek_id, secret_wrapped, link_by) VALUES ($1, 'https://idp.riverside.test', 'ward', 'kek', '\\x00', 'subject')`, [riverside.id]);
    const connected = async () => (await ward.t.deps.db.systemDb.query('SELECT 1 FROM sso_providers WHERE tenant_id = $1', [riverside.id])).rowCount;
    await page.reload();
    await page.getByRole('button', { name: 'Propose disconnecting' }).click();
    await page.getByText(/^Disconnection proposed\. Next: a second Owner or Admin approves it here/).waitFor();
    await page.locator('[data-sso-request=disconnect]').getByText('You proposed it: someone else approves').waitFor();
    assert.equal(await connected(), 1, 'a proposal disconnects nothing');
    await admin.p.page.reload();
    const cut = admin.p.page.locator('[data-sso-request=disconnect]');
    assert.match((await cut.textContent()) ?? '', /Disconnecting SSO from https:\/\/idp\.riverside\.test .*proposed by another Owner or Admin/);
    await cut.getByRole('button', { name: 'Approve the disconnection' }).click();
    await admin.p.page.getByText(/^Approved: Disconnecting SSO from https:\/\/idp\.riverside\.test/).waitFor();
    assert.equal(await connected(), 0);
    assert.ok(!((await page.textContent('body')) ?? '').includes('ward_scim_'), 'never shown to the proposer');

    // R-AUTHZ-5, R-WORK-2: a new key for a workload with a PHI scope, the same way: the Owner proposes
    // it, the row says who approves next, the Admin approves it, and only then is the key in the set.
    const wl = await createWorkload(ward.t.deps.db, { audit: ward.t.deps.audit, clock: ward.clock }, { tenantId: riverside.id, name: 'PHI agent', kind: 'ai_agent', role: 'VoiceAgent', jwks: { keys: [await publicJwk('phi-1')] } });
    await grantWorkloadScope(ward.t.deps.db, { audit: ward.t.deps.audit }, { tenantId: riverside.id, clientId: wl.clientId, scope: 'Healthcare-PHI', approverMemberId: r.memberId }, ward.clock.now());
    const keyCount = async () => (await ward.t.deps.db.systemDb.query<{ n: number }>("SELECT jsonb_array_length(jwks -> 'keys') AS n FROM workloads WHERE client_id = $1", [wl.clientId])).rows[0]!.n;
    await page.reload();
    const wlRow = page.locator('tr[data-workload="PHI agent"]');
    await wlRow.getByLabel('New public key of PHI agent (one JWK, JSON)').fill(JSON.stringify(await publicJwk('phi-2')));
    await wlRow.getByRole('button', { name: 'Propose key' }).click();
    await wlRow.getByText('You proposed it: someone else approves').waitFor();
    assert.match((await wlRow.locator('[data-key-request]').textContent()) ?? '', /Next: a second Owner or Admin other than .* \(who proposed it\)/);
    assert.equal(await keyCount(), 1, 'a proposal adds nothing');
    await admin.p.page.reload();
    await admin.p.page.getByRole('button', { name: 'Approve the new key of PHI agent' }).click();
    await admin.p.page.getByText('Approved: PHI agent now has 2 keys.').waitFor();
    assert.equal(await keyCount(), 2);
    await page.reload();
    await page.waitForSelector('[data-ready=workloads], [data-ready=sso]');
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('[aria-busy=true]'));
    await look(page, 'admin-settings', axeResults);

    // R-DATA-3: the console shows no gold PHI of the tenant and no full record id.
    const calls = new Set(demo.calls.filter((c) => c.tenantId === riverside.id).map((c) => c.id));
    const gold = new Set<string>();
    for (const d of demoGoldDocuments(demo)) if (calls.has(d.id)) for (const s of d.spans) gold.add(d.text.slice(s.start, s.end));
    for (const x of demo.patients.filter((x) => x.tenantId === riverside.id)) {
      for (const v of [x.ssn, x.givenName, x.familyName, x.dateOfBirth, x.addressLine, x.mrn, x.phone]) if (v) gold.add(v);
    }
    // The settings screens' own text (the member list above them names the workforce by e-mail address:
    // workforce data, and a gold span may be a member's first name spoken on a call, or the clinic's name).
    const sections = ['[data-ready=review-campaigns]', 'table.retention', 'form.hold', '[data-ready=legal-holds]', '[data-ready=ai-vendors]', '[data-ready=sso]', '[data-ready=scim]'];
    const text = (await Promise.all(sections.map((s) => page.locator(s).textContent()))).join('\n');
    const workforce = demo.members.filter((m) => m.tenantId === riverside.id).flatMap((m) => [m.email, m.displayName]).join('\n').toLowerCase();
    assert.deepEqual([...gold].filter((g) => g.length >= 4 && text.includes(g) && !workforce.includes(g.toLowerCase())), [], 'the settings screens show no gold PHI');
    assert.ok(!text.includes(call.id) && !text.includes(call.patientId!), 'record ids are shown by their last four characters');
  });
});
