import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTenant, inviteMember } from '../../src/modules/identity/index.ts';
import { runWard } from '../support/cli.ts';
import { insertMember, insertPatient } from '../support/fixtures.ts';
import { auditReasons, CHROMIUM, newPerson, pageApi, startWard, statusText, type Person, type Ward } from './browser.ts';
import { startIdp, type Idp, type IdpAccount } from './idp.ts';

/**
 * R-AUTHN-2, R-SESS-1, R-SESS-3, R-SESS-4: single sign-on against a real OpenID provider
 * (oidc-provider on loopback) in headless Chromium: a login with MFA and one without, the passkey
 * step-up that lifts the refusal, the attacks that must be refused, and back-channel logout.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

const ACCOUNTS: Record<string, IdpAccount> = {
  alice: { password: 'alice-pw', email: 'alice@clinic.test', emailVerified: true, amr: ['pwd', 'mfa'] },
  bob: { password: 'bob-pw', email: 'bob@clinic.test', emailVerified: true, amr: ['pwd'] },
  carol: { password: 'carol-pw', email: 'carol@plain.test', emailVerified: true, amr: ['pwd', 'mfa'] },
  dave: { password: 'dave-pw', email: 'dave@clinic.test', emailVerified: false, amr: ['pwd', 'mfa'] },
  erin: { password: 'erin-pw', email: 'erin@clinic.test', emailVerified: true, amr: ['pwd', 'mfa'] },
  mallory: { password: 'mallory-pw', email: 'nobody@clinic.test', emailVerified: true, amr: ['pwd', 'mfa'] },
  // Alice's address with a Cyrillic а: a look-alike that must link no one (identity/email.ts).
  trent: { password: 'trent-pw', email: '\u0430lice@clinic.test', emailVerified: true, amr: ['pwd', 'mfa'] },
  // Grace's own address in full-width letters and upper case: the same address, so it finds her.
  grace: { password: 'grace-pw', email: 'ＧＲＡＣＥ@Clinic.test', emailVerified: true, amr: ['pwd', 'mfa'] },
};

describe('single sign-on through OpenID Connect in headless Chromium', { skip, timeout: 300_000 }, () => {
  let ward: Ward;
  let idp: Idp;
  let otherIdp: Idp;
  let clinicId: string;
  const people: Person[] = [];

  const system = { kind: 'system', id: 'system:test' } as const;
  const sql = (text: string, params: unknown[] = []) => ward.t.deps.db.systemDb.query(text, params);

  async function configure(slug: string, issuer: string, clientId: string, linkBy: 'email' | 'subject'): Promise<void> {
    const r = await runWard(['sso', 'configure', '--tenant', slug, '--issuer', issuer, '--client-id', clientId, '--link-by', linkBy, '--allow-http-issuer'],
      { stdin: `${clientId}-secret\n`, ctx: { withDeps: (fn) => fn(ward.t.deps) } });
    assert.equal(r.code, 0, r.err);
  }

  before(async () => {
    ward = await startWard();
    const clients = ['ward-clinic', 'ward-plain'].map((clientId) => ({ clientId, clientSecret: `${clientId}-secret`, wardOrigin: ward.origin }));
    idp = await startIdp({ accounts: ACCOUNTS, clients });
    otherIdp = await startIdp({ accounts: ACCOUNTS, clients });
    const deps = { systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) };
    clinicId = (await createTenant(deps, { slug: 'clinic', name: 'Clinic', ownerEmail: 'owner@clinic.test', actor: system }, ward.clock.now())).tenantId;
    const plainId = (await createTenant(deps, { slug: 'plain', name: 'Plain', ownerEmail: 'owner@plain.test', actor: system }, ward.clock.now())).tenantId;
    // Devices of these tenants are trusted at once: the tests are about SSO, not device posture.
    await sql(`UPDATE tenants SET settings = '{"trustNewDevices": true}'::jsonb`);
    await configure('clinic', idp.issuer, 'ward-clinic', 'email');
    await configure('plain', idp.issuer, 'ward-plain', 'subject');
    await ward.t.deps.db.systemDb.transaction(async (tx) => {
      await insertMember(tx, { id: crypto.randomUUID(), tenantId: clinicId, email: 'alice@clinic.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: crypto.randomUUID(), tenantId: clinicId, email: 'dave@clinic.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: crypto.randomUUID(), tenantId: clinicId, email: 'erin@clinic.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: crypto.randomUUID(), tenantId: clinicId, email: 'grace@clinic.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertMember(tx, { id: crypto.randomUUID(), tenantId: plainId, email: 'carol@plain.test', roles: ['Agent'], scopes: ['Healthcare-PHI'] });
      await insertPatient(tx, { id: crypto.randomUUID(), tenantId: clinicId, phiScope: 'Healthcare-PHI', mrn: 'MRN-1' });
    });
    await sql("UPDATE members SET status = 'disabled', disabled_at = now() WHERE email = 'erin@clinic.test'");
  });
  after(async () => {
    if (process.env.WARD_TEST_SSO_LOG) process.stdout.write(ward.t.logLines.filter((l) => /"level":(40|50)/.test(l)).join('').slice(-6000));
    await Promise.all(people.map((p) => p.close()));
    await idp?.close();
    await otherIdp?.close();
    await ward?.close();
  });

  async function person(): Promise<Person> {
    const p = await newPerson();
    people.push(p);
    return p;
  }

  /** "Sign in with SSO" on the sign-in page, the organisation typed, then the IdP's own form. */
  async function startSso(p: Person, slug = 'clinic'): Promise<void> {
    await p.page.goto(`${ward.origin}/sign-in`);
    await p.page.fill('#organisation', slug);
    await p.page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await p.page.waitForSelector('input[name=username]');
  }

  async function idpLogin(p: Person, username: string): Promise<void> {
    await p.page.fill('input[name=username]', username);
    await p.page.fill('input[name=password]', ACCOUNTS[username]!.password);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signedIn(p: Person): Promise<Record<string, string>> {
    await p.page.waitForURL(`${ward.origin}/`);
    await p.page.waitForSelector('#me:not([hidden])');
    return (await p.page.evaluate("Object.fromEntries([...document.querySelectorAll('dd[data-fact]')].map((d) => [d.dataset.fact, d.textContent]))")) as Record<string, string>;
  }

  /** The code the callback page shows when Ward refuses the completion. */
  async function refusedWith(p: Person): Promise<string> {
    await p.page.waitForURL(`${ward.origin}/v1/auth/sso/callback*`);
    await statusText(p.page);
    return (await p.page.getAttribute('#status', 'data-code')) ?? '';
  }

  /** Status and problem code of an API call from the page (the body aside). */
  const answer = async (r: Promise<{ status: number; code: string }>) => (({ status, code }) => ({ status, code }))(await r);
  const readPatients = (p: Person) => answer(pageApi(p, 'GET', '/v1/patients', { headers: { 'ward-purpose': 'TREAT' } }));

  test('the MFA member: "Sign in with SSO" → IdP (amr pwd+mfa) → back; /v1/me says oidc with MFA, and a patient is read', async () => {
    const started = performance.now();
    const p = await person();
    await startSso(p);
    await idpLogin(p, 'alice');
    const facts = await signedIn(p);
    assert.equal(facts['Signed in with'], 'oidc');
    assert.equal(facts.MFA, 'yes');
    assert.deepEqual(await readPatients(p), { status: 200, code: '' });
    const { rows } = await sql("SELECT linked_by FROM sso_identities i JOIN members m ON m.id = i.member_id WHERE m.email = 'alice@clinic.test'");
    assert.deepEqual(rows, [{ linked_by: 'email' }], 'the first login linked (iss, sub) by verified e-mail, once');
    process.stdout.write(`# SSO sign-in with MFA, then a patient read, took ${Math.round(performance.now() - started)} ms\n`);
  });

  test('the member without MFA (amr pwd): /v1/me says MFA no; PHI is refused with MFA_REQUIRED until a passkey step-up', async () => {
    const p = await person();
    // Bob holds a passkey (enrolled by invitation in this browser) and links by e-mail at his first SSO login.
    const invite = await inviteMember({ db: ward.t.deps.db, audit: ward.t.deps.audit, origin: new URL(ward.origin) },
      { tenantId: clinicId, email: 'bob@clinic.test', role: 'Agent', actor: system }, ward.clock.now());
    await p.page.goto(invite.link);
    await p.page.getByRole('button', { name: 'Create passkey' }).click();
    await p.page.waitForSelector('#me:not([hidden])');
    await sql("INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope) SELECT tenant_id, id, 'Healthcare-PHI' FROM members WHERE email = 'bob@clinic.test'");
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.waitForURL(`${ward.origin}/sign-in`);

    await startSso(p);
    await idpLogin(p, 'bob');
    const facts = await signedIn(p);
    assert.equal(facts['Signed in with'], 'oidc');
    assert.equal(facts.MFA, 'no');
    assert.deepEqual(await readPatients(p), { status: 403, code: 'MFA_REQUIRED' });
    assert.ok((await auditReasons(ward, 'patient.list')).some((e) => e.outcome === 'denied' && e.reasons.includes('forbid:member-mfa')));

    await p.page.getByRole('button', { name: "Verify it's you" }).click();
    assert.equal(await statusText(p.page), 'Verified.');
    assert.equal((await signedIn(p)).MFA, 'yes');
    assert.deepEqual(await readPatients(p), { status: 200, code: '' });
  });

  test('refused: a wrong state', async () => {
    const p = await person();
    await startSso(p);
    idp.rewriteNextCallback((u) => u.searchParams.set('state', 'A'.repeat(43)));
    await idpLogin(p, 'alice');
    assert.equal(await refusedWith(p), 'SSO_STATE_INVALID');
  });

  test('refused: a replayed callback (its state is spent) and a replayed code (the IdP refuses it)', async () => {
    const p = await person();
    await startSso(p);
    await idpLogin(p, 'alice');
    await signedIn(p);
    const used = idp.callbacks.at(-1)!;
    await p.page.goto(used.toString());
    assert.equal(await refusedWith(p), 'SSO_STATE_INVALID');
    // A new flow (another browser: this one's IdP session would skip the login), the spent code put in place of the fresh one.
    const q = await person();
    await startSso(q);
    idp.rewriteNextCallback((u) => u.searchParams.set('code', used.searchParams.get('code')!));
    await idpLogin(q, 'alice');
    assert.equal(await refusedWith(q), 'SSO_CALLBACK_INVALID');
    assert.ok((await auditReasons(ward, 'auth.sso_sign_in')).some((e) => e.outcome === 'failure' && e.reasons.includes('token_invalid_grant')));
  });

  test('refused: an ID token issued for another client', async () => {
    const p = await person();
    await startSso(p);
    idp.rewriteNextIdToken((claims) => ({ ...claims, aud: 'ward-plain' }));
    await idpLogin(p, 'alice');
    assert.equal(await refusedWith(p), 'SSO_CALLBACK_INVALID');
  });

  test('refused: a mismatched iss response parameter (RFC 9207)', async () => {
    const p = await person();
    await startSso(p);
    idp.rewriteNextCallback((u) => u.searchParams.set('iss', otherIdp.issuer));
    await idpLogin(p, 'alice');
    assert.equal(await refusedWith(p), 'SSO_CALLBACK_INVALID');
  });

  test("refused: an answer from an issuer that is not the tenant's (a mix-up: the flow sent to another provider)", async () => {
    const p = await person();
    await p.page.route(`${idp.issuer}/auth?*`, (route) =>
      route.fulfill({ status: 302, headers: { location: route.request().url().replace(idp.issuer, otherIdp.issuer) } }));
    await startSso(p);
    assert.ok(p.page.url().startsWith(otherIdp.issuer));
    await idpLogin(p, 'alice');
    assert.equal(await refusedWith(p), 'SSO_CALLBACK_INVALID');
  });

  test('refused: a callback finished in another browser (the flow is bound to the device key that started it)', async () => {
    const victim = await person();
    // The IdP's redirect back is diverted (Playwright routes no redirects): the attacker holds the callback URL.
    let captured = '';
    idp.rewriteNextCallback((u) => {
      captured = u.toString();
      u.pathname = '/healthz';
      u.search = '';
    });
    await startSso(victim);
    await idpLogin(victim, 'alice');
    await victim.page.waitForURL(`${ward.origin}/healthz`);
    assert.ok(captured.includes('code='));
    const thief = await person();
    await thief.page.goto(captured);
    assert.equal(await refusedWith(thief), 'SSO_STATE_INVALID');
    assert.ok((await auditReasons(ward, 'auth.sso_sign_in')).some((e) => e.outcome === 'failure' && e.reasons.includes('other_device_key')));
  });

  test('refused: e-mail linking on a non-authoritative issuer, an unverified e-mail, an unknown person, a disabled member', async () => {
    // Each in a browser of its own: an IdP session would skip the login form.
    const attempt = async (slug: string, username: string): Promise<string> => {
      const p = await person();
      await startSso(p, slug);
      await idpLogin(p, username);
      return refusedWith(p);
    };
    assert.equal(await attempt('plain', 'carol'), 'SSO_MEMBER_UNKNOWN', 'carol@plain.test is a member, but the tenant links by subject only');
    assert.equal(await attempt('clinic', 'dave'), 'SSO_MEMBER_UNKNOWN', 'email_verified: false');
    assert.equal(await attempt('clinic', 'mallory'), 'SSO_MEMBER_UNKNOWN', 'no such member: never created on the fly');
    assert.equal(await attempt('clinic', 'erin'), 'SSO_MEMBER_INACTIVE');
    assert.equal(await attempt('clinic', 'trent'), 'SSO_MEMBER_UNKNOWN', "a look-alike of alice's address (Cyrillic а) links no one");
    assert.ok((await auditReasons(ward, 'auth.sso_sign_in')).some((e) => e.outcome === 'failure' && e.reasons.includes('email_mixed_scripts')));
    const { rows } = await sql("SELECT count(*)::int AS n FROM members WHERE email IN ('nobody@clinic.test')");
    assert.deepEqual(rows, [{ n: 0 }]);
    const { rows: links } = await sql("SELECT count(*)::int AS n FROM sso_identities i JOIN members m ON m.id = i.member_id WHERE m.email IN ('carol@plain.test', 'dave@clinic.test', 'erin@clinic.test')");
    assert.deepEqual(links, [{ n: 0 }]);
  });

  test("a verified e-mail in another spelling (full-width, upper case) links the member whose address it is", async () => {
    const p = await person();
    await startSso(p);
    await idpLogin(p, 'grace');
    assert.equal((await signedIn(p))['Signed in with'], 'oidc');
    const { rows } = await sql("SELECT linked_by FROM sso_identities i JOIN members m ON m.id = i.member_id WHERE m.email = 'grace@clinic.test'");
    assert.deepEqual(rows, [{ linked_by: 'email' }]);
  });

  test('GET /sso/<slug> of a tenant without SSO says SSO_NOT_CONFIGURED', async () => {
    const p = await person();
    const res = await p.page.goto(`${ward.origin}/sso/no-such-org`);
    assert.equal(res?.status(), 404);
    assert.equal(await p.page.getAttribute('#status', 'data-code'), 'SSO_NOT_CONFIGURED');
  });

  test('back-channel logout: signing out at the IdP (RP-initiated) ends the member\'s live session in another browser', async () => {
    const desk = await person();
    await startSso(desk);
    await idpLogin(desk, 'alice');
    await signedIn(desk);
    assert.equal((await pageApi(desk, 'GET', '/v1/me')).status, 200);

    const laptop = await person();
    await startSso(laptop);
    await idpLogin(laptop, 'alice');
    await signedIn(laptop);
    await laptop.page.getByRole('button', { name: 'Sign out' }).click();
    await laptop.page.waitForURL(`${idp.issuer}/**`);
    await laptop.page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await laptop.page.waitForURL(`${ward.origin}/sign-in`);

    const after = await answer(pageApi(desk, 'GET', '/v1/me'));
    if (after.status !== 401) process.stdout.write(ward.t.logLines.filter((l) => l.includes('backchannel') || l.includes('"level":50') || l.includes('"level":40')).join('\n').slice(-4000));
    assert.deepEqual(after, { status: 401, code: 'UNAUTHENTICATED' });
    const logouts = await auditReasons(ward, 'auth.sso_logout');
    assert.ok(logouts.some((e) => e.outcome === 'success'));
  });
});
