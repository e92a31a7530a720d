import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTenant, inviteMember } from '../../src/modules/identity/index.ts';
import { auditReasons, CHROMIUM, newPerson, nodeDevice, startOtherSite, startWard, statusText, type Person, type Ward } from './browser.ts';

/**
 * R-AUTHN-1, R-AUTHN-3, R-SESS-1, R-SESS-3, R-SESS-4 in a real browser: enrollment, usernameless
 * sign-in, step-up and logout, and the attacks they must stop.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe('passkeys in headless Chromium', { skip }, () => {
  let ward: Ward;
  let tenantId: string;
  const people: Person[] = [];

  before(async () => {
    ward = await startWard();
    const owner = await createTenant({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) },
      { slug: 'clinic', name: 'Clinic', ownerEmail: 'owner@clinic.test', actor: { kind: 'system', id: 'system:test' } }, ward.clock.now());
    tenantId = owner.tenantId;
  });
  after(async () => {
    await Promise.all(people.map((p) => p.close()));
    await ward?.close();
  });

  async function person(opts?: { isUserVerified?: boolean }): Promise<Person> {
    const p = await newPerson(opts);
    people.push(p);
    return p;
  }

  async function invite(email: string, role = 'Agent', ttlSeconds?: number): Promise<string> {
    const r = await inviteMember({ db: ward.t.deps.db, audit: ward.t.deps.audit, origin: new URL(ward.origin) },
      { tenantId, email, role, actor: { kind: 'system', id: 'system:test' }, ttlSeconds }, ward.clock.now());
    return r.link;
  }

  async function enroll(p: Person, link: string): Promise<void> {
    await p.page.goto(link);
    await p.page.getByRole('button', { name: 'Create passkey' }).click();
    await p.page.waitForURL(`${ward.origin}/`);
    await p.page.waitForSelector('#me:not([hidden])');
  }

  async function signIn(p: Person): Promise<void> {
    await p.page.goto(`${ward.origin}/sign-in`);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await p.page.waitForURL(`${ward.origin}/`);
    await p.page.waitForSelector('#me:not([hidden])');
  }

  async function me(p: Person): Promise<{ status: number; body: Record<string, unknown> }> {
    await p.page.goto(`${ward.origin}/`);
    await p.page.waitForFunction(() => location.pathname === '/sign-in' || !document.getElementById('me')?.hidden);
    if (new URL(p.page.url()).pathname === '/sign-in') return { status: 401, body: {} };
    const text = await p.page.textContent('#who');
    return { status: 200, body: { who: text } };
  }

  test('a member enrolls with "Create passkey", signs in without a username, and GET /v1/me names them', async () => {
    const started = performance.now();
    const link = await invite('new@clinic.test');
    const p = await person();
    await enroll(p, link);
    // Signed out, then back in with a usernameless (discoverable) sign-in.
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.waitForURL(`${ward.origin}/sign-in`);
    await signIn(p);
    const meJson = await p.page.evaluate(async () => {
      // The page's own API helper is not exported; the signed-in page shows the facts it fetched.
      return { who: document.getElementById('who')?.textContent, facts: [...document.querySelectorAll('dd')].map((d) => d.textContent) };
    });
    assert.equal(meJson.who, 'Signed in as new@clinic.test (Clinic)');
    assert.ok(meJson.facts.includes('Agent'), 'the invited role is granted at enrollment');
    assert.ok(meJson.facts.includes('none'), 'a new member holds no PHI scope');
    const { rows } = await ward.t.deps.db.systemDb.query<{ sign_count: string; backup_eligible: boolean; transports: string[] }>(
      "SELECT c.sign_count::text, c.backup_eligible, c.transports FROM passkey_credentials c JOIN members m ON m.id = c.member_id WHERE m.email = 'new@clinic.test'");
    assert.ok(Number(rows[0]!.sign_count) > 0, 'the signature counter was recorded');
    assert.deepEqual((await auditReasons(ward, 'auth.enroll')).map((e) => e.outcome), ['success']);
    assert.ok((await auditReasons(ward, 'auth.sign_in')).some((e) => e.outcome === 'success'));
    process.stdout.write(`# enroll + sign-out + sign-in took ${Math.round(performance.now() - started)} ms\n`);
  });
});
