import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTenant } from '../../src/modules/identity/index.ts';
import { createFileOutbox } from '../../src/modules/notify/index.ts';
import { insertMember, insertPatient } from '../support/fixtures.ts';
import { auditReasons, CHROMIUM, newPerson, pageApi, statusText, startWard, type Person, type Ward } from './browser.ts';

/**
 * R-AUTHN-4, R-AUTHZ-5, R-SESS-3, R-SESS-4 in a real browser: a member who lost the device holding
 * their passkey gets back in. An Admin opens the recovery (step-up fresh), the Owner approves, the
 * link is read from the file outbox, the member registers a new passkey on a new device (the old
 * passkey and session stop working; the account is restricted and PHI is refused), uses it from that
 * managed device, a second person lifts the restriction, and PHI is readable again. The link works
 * once. The refusals without a browser are in server/test/http/recovery.int.test.ts.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe('lost-device recovery in headless Chromium', { skip, timeout: 120_000 }, () => {
  let ward: Ward;
  let tenantId: string;
  let ownerLink: string;
  const people: Person[] = [];
  const system = { kind: 'system', id: 'system:test' } as const;
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => ward.t.deps.db.systemDb.query<R>(text, params);
  const ids = { admin: crypto.randomUUID(), mia: crypto.randomUUID() };

  before(async () => {
    ward = await startWard();
    const owner = await createTenant({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) },
      { slug: 'clinic', name: 'Clinic', ownerEmail: 'owner@clinic.test', actor: system }, ward.clock.now());
    tenantId = owner.tenantId;
    ownerLink = owner.link;
    // New devices of this tenant are managed (R-SESS-4); the posture source is not under test here.
    await sql(`UPDATE tenants SET settings = '{"trustNewDevices": true}'::jsonb`);
    await ward.t.deps.db.systemDb.transaction(async (tx) => {
      await insertMember(tx, { id: ids.admin, tenantId, email: 'ada.admin@clinic.test', roles: ['Admin'], scopes: [] });
      await insertMember(tx, { id: ids.mia, tenantId, email: 'mia.agent@clinic.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertPatient(tx, { id: crypto.randomUUID(), tenantId, phiScope: 'Healthcare-PHI', mrn: 'MRN-1' });
    });
  });
  after(async () => {
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  async function person(): Promise<Person> {
    const p = await newPerson();
    people.push(p);
    return p;
  }

  /** A first-enrollment link for a provisioned member (the identity proofing of R-AUTHN-3 is not under test). */
  async function enrollmentLink(memberId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await sql('INSERT INTO enrollment_tokens (tenant_id, member_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [tenantId, memberId, createHash('sha256').update(token).digest(), new Date(ward.clock.now().getTime() + 3600_000)]);
    return `${ward.origin}/enroll#token=${token}`;
  }

  async function createPasskeyAt(p: Person, link: string): Promise<void> {
    await p.page.goto(link);
    await p.page.getByRole('button', { name: 'Create passkey' }).click();
    // Signed in (the home page), or a refusal on the page's status line: fail with it, not a timeout.
    await p.page.waitForFunction(() => (globalThis as any).location.pathname === '/' || ((globalThis as any).document.getElementById('status')?.textContent ?? '') !== '');
    assert.equal(new URL(p.page.url()).pathname, '/', (await p.page.textContent('#status').catch(() => null)) ?? '');
    await p.page.waitForSelector('#me:not([hidden])');
  }

  async function facts(p: Person): Promise<Record<string, string>> {
    await p.page.goto(`${ward.origin}/`);
    await p.page.waitForSelector('#me:not([hidden])');
    return (await p.page.evaluate("Object.fromEntries([...document.querySelectorAll('dd[data-fact]')].map((d) => [d.dataset.fact, d.textContent]))")) as Record<string, string>;
  }

  const readPatients = (p: Person) => pageApi(p, 'GET', '/v1/patients', { headers: { 'ward-purpose': 'TREAT' } });
  const linksTo = (email: string) => createFileOutbox(ward.t.deps.config.notify.outboxDir).read().filter((m) => m.to === email)
    .map((m) => /(http\S+\/recover#token=[A-Za-z0-9_-]{43})/.exec(m.text)?.[1]).filter((l): l is string => Boolean(l));

  test('open → approve by a second admin → link from the outbox → new passkey → restricted (PHI refused) → lifted → PHI readable', async () => {
    const started = performance.now();
    const step = (n: string) => process.env.WARD_TEST_STEPS && process.stdout.write(`# step ${n} at ${Math.round(performance.now() - started)} ms\n`);
    step('0');
    const owner = await person();
    await createPasskeyAt(owner, ownerLink);
    step('1');
    const admin = await person();
    await createPasskeyAt(admin, await enrollmentLink(ids.admin));
    step('2');
    const lostDevice = await person();
    await createPasskeyAt(lostDevice, await enrollmentLink(ids.mia));
    assert.equal((await readPatients(lostDevice)).status, 200, 'before the loss, Mia reads PHI');

    step('3');
    // 1. The Admin opens the recovery through their own session (verified at enrollment, within 300 s).
    const opened = await pageApi(admin, 'POST', `/v1/members/${ids.mia}/recovery`, { body: { verifiedBy: 'video-call', note: 'Video call, ID card matched the HR file.' } });
    assert.equal(opened.status, 201, JSON.stringify(opened));
    assert.equal(opened.json.state, 'opened');
    assert.deepEqual(linksTo('mia.agent@clinic.test'), [], 'no link before the second person');
    step('4');
    // 2. The Owner approves; the reply carries no link.
    const approved = await pageApi(owner, 'POST', `/v1/members/${ids.mia}/recovery/approve`);
    assert.equal(approved.status, 200, JSON.stringify(approved));
    assert.equal(approved.json.state, 'approved');
    assert.doesNotMatch(JSON.stringify(approved.json), /recover#|token/);
    step('5');
    // 3. The link, read from the file outbox, on a new device.
    const [link] = linksTo('mia.agent@clinic.test');
    assert.ok(link, 'the link went to the member through notify');
    const newDevice = await person();
    await createPasskeyAt(newDevice, link);
    assert.equal(new URL(newDevice.page.url()).hash, '', 'the used token left the address bar');
    const restricted = await facts(newDevice);
    assert.equal(restricted.Account, 'restricted');
    assert.equal(restricted['PHI scopes'], 'none');
    // The old passkey and session stop working.
    assert.equal((await readPatients(lostDevice)).status, 401, 'the lost device is signed out');
    const { rows: keys } = await sql<{ revoked: boolean }>('SELECT revoked_at IS NOT NULL AS revoked FROM passkey_credentials WHERE member_id = $1 ORDER BY created_at', [ids.mia]);
    assert.deepEqual(keys.map((k) => k.revoked), [true, false]);
    step('6');
    // 4. Restricted: PHI refused (the Cedar forbid reads the state).
    const refused = await readPatients(newDevice);
    assert.equal(refused.status, 403, JSON.stringify(refused));
    assert.equal(refused.code, 'FORBIDDEN');
    assert.ok((await auditReasons(ward, 'patient.list')).some((e) => e.outcome === 'denied' && e.reasons.includes('forbid:member-restricted-no-phi')));
    step('7');
    // 5. No lift before the new passkey is used from a managed device; never by the member.
    const early = await pageApi(admin, 'POST', `/v1/members/${ids.mia}/recovery/lift`);
    assert.equal(early.code, 'RECOVERY_DEVICE_NOT_TRUSTED', JSON.stringify(early));
    await newDevice.page.getByRole('button', { name: "Verify it's you" }).click();
    assert.equal(await statusText(newDevice.page), 'Verified.');
    assert.ok((await auditReasons(ward, 'member.recovery.device_trusted')).some((e) => e.outcome === 'success'));
    const byMember = await pageApi(newDevice, 'POST', `/v1/members/${ids.mia}/recovery/lift`);
    assert.equal(byMember.status, 403, JSON.stringify(byMember));
    step('8');
    // 6. A second person lifts it; PHI is readable again.
    const lifted = await pageApi(admin, 'POST', `/v1/members/${ids.mia}/recovery/lift`);
    assert.equal(lifted.status, 200, JSON.stringify(lifted));
    assert.equal(lifted.json.state, 'lifted');
    assert.equal((await facts(newDevice)).Account, 'active');
    assert.equal((await readPatients(newDevice)).status, 200, 'PHI is readable after the lift');
    // Every step is in the trail under its own action.
    for (const action of ['member.recovery.open', 'member.recovery.approve', 'member.recovery.link_sent', 'auth.recover', 'member.recovery.device_trusted', 'member.recovery.lift']) {
      assert.ok((await auditReasons(ward, action)).some((e) => e.outcome === 'success'), action);
    }
    process.stdout.write(`# the recovery run (3 enrollments, open, approve, new passkey, step-up, lift) took ${Math.round(performance.now() - started)} ms\n`);

    step('9');
    // 7. The link works once: on another browser it is refused, and nothing changes.
    const reuse = await person();
    await reuse.page.goto(link);
    await reuse.page.getByRole('button', { name: 'Create passkey' }).click();
    assert.equal(await statusText(reuse.page), 'This recovery link is not valid, was already used or has expired.');
    assert.equal(await reuse.page.getAttribute('#status', 'data-code'), 'RECOVERY_LINK_INVALID');
    assert.ok((await auditReasons(ward, 'auth.recover.options')).some((e) => e.reasons.includes('link_used')));
  });
});
