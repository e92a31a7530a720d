import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTenant, inviteMember } from '../../src/modules/identity/index.ts';
import { lockAsOperator, unlockInTx } from '../../src/modules/elevation/index.ts';
import { memberScope, revokeMemberSessions } from '../../src/modules/sessions/index.ts';
import { auditReasons, CHROMIUM, newPerson, nodeDevice, startOtherSite, startWard, statusText, type Person, type Ward } from './browser.ts';
import { problemCodeOf } from '../support/problem.ts';

/**
 * R-AUTHN-1, R-AUTHN-3, R-SESS-1, R-SESS-3, R-SESS-4 in a real browser: enrollment, usernameless
 * sign-in, step-up and logout, and the attacks they must stop.
 */
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

describe('passkeys in headless Chromium', { skip }, () => {
  let ward: Ward;
  let tenantId: string;
  let ownerLink: string;
  const people: Person[] = [];

  before(async () => {
    ward = await startWard();
    const owner = await createTenant({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) },
      { slug: 'clinic', name: 'Clinic', ownerEmail: 'owner@clinic.test', actor: { kind: 'system', id: 'system:test' } }, ward.clock.now());
    tenantId = owner.tenantId;
    ownerLink = owner.link;
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
    await p.page.waitForFunction(() => (globalThis as any).location.pathname === '/sign-in' || !(globalThis as any).document.getElementById('me')?.hidden);
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
    // The signed-in page shows what GET /v1/me returned.
    const meJson = (await p.page.evaluate(
      "({ who: document.getElementById('who')?.textContent, facts: [...document.querySelectorAll('dd')].map((d) => d.textContent) })",
    )) as { who: string; facts: string[] };
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

  async function memberId(email: string): Promise<string> {
    const { rows } = await ward.t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM members WHERE email = $1', [email]);
    return rows[0]!.id;
  }

  async function enrolled(email: string): Promise<Person> {
    const p = await person();
    await enroll(p, await invite(email));
    return p;
  }

  /** Options fetched by the test's own device (Node), for ceremonies run by hand in a page. */
  const nowSeconds = () => Math.floor(ward.clock.now().getTime() / 1000);

  async function optionsFromNode(path: string): Promise<{ device: Awaited<ReturnType<typeof nodeDevice>>; challenge: string }> {
    const device = await nodeDevice();
    const url = `${ward.origin}${path}`;
    const res = await fetch(url, { method: 'POST', headers: { origin: ward.origin, 'content-type': 'application/json', dpop: await device.proof('POST', url, nowSeconds()) }, body: '{}' });
    assert.equal(res.status, 200);
    return { device, challenge: ((await res.json()) as { challenge: string }).challenge };
  }

  async function verifyFromNode(device: Awaited<ReturnType<typeof nodeDevice>>, response: unknown): Promise<{ status: number; code: string }> {
    const url = `${ward.origin}/v1/auth/sign-in/verify`;
    const res = await fetch(url, { method: 'POST', headers: { origin: ward.origin, 'content-type': 'application/json', dpop: await device.proof('POST', url, nowSeconds()) }, body: JSON.stringify({ response }) });
    return { status: res.status, code: res.ok ? '' : await problemCodeOf(res) };
  }

  /** navigator.credentials.get run by hand in the page, with the options the test chooses (a string: no transpiler helpers). */
  function getAssertion(p: Person, challenge: string, extra: { allow?: string; userVerification?: string } = {}): Promise<unknown> {
    const args = JSON.stringify({ challenge, allow: extra.allow ?? null, userVerification: extra.userVerification ?? 'required' });
    return p.page.evaluate(`(async () => {
      const a = ${args};
      const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
      const cred = await navigator.credentials.get({ publicKey: {
        challenge: dec(a.challenge), rpId: 'localhost', userVerification: a.userVerification,
        allowCredentials: a.allow ? [{ type: 'public-key', id: dec(a.allow) }] : [] } });
      return cred.toJSON();
    })()`);
  }

  test('step-up: revoking a passkey after 6 minutes asks for a new verification, which the page runs before retrying', async () => {
    const p = await enrolled('stepup@clinic.test');
    const { rows: before } = await ward.t.deps.db.systemDb.query<{ last_verified_at: Date }>('SELECT last_verified_at FROM sessions WHERE member_id = $1', [await memberId('stepup@clinic.test')]);
    ward.clock.advance(6 * 60 * 1000);
    await p.page.getByRole('button', { name: 'Revoke Passkey' }).click();
    // The step-up ceremony ran, then the retried revocation was refused: it is the only passkey.
    assert.equal(await statusText(p.page), 'The last passkey of an account cannot be revoked.');
    const { rows: afterRows } = await ward.t.deps.db.systemDb.query<{ last_verified_at: Date }>('SELECT last_verified_at FROM sessions WHERE member_id = $1', [await memberId('stepup@clinic.test')]);
    assert.ok(afterRows[0]!.last_verified_at.getTime() > before[0]!.last_verified_at.getTime() + 5 * 60 * 1000);
    assert.ok((await auditReasons(ward, 'auth.step_up')).some((e) => e.outcome === 'success'));
    assert.ok((await auditReasons(ward, 'passkey.revoke')).some((e) => e.reasons.includes('last_passkey')));
  });

  test('logout revokes the session: the page goes back to sign-in', async () => {
    const p = await enrolled('logout@clinic.test');
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.waitForURL(`${ward.origin}/sign-in`);
    assert.equal((await me(p)).status, 401);
    assert.ok((await auditReasons(ward, 'auth.logout')).length >= 1);
  });

  test('a replayed assertion is refused: its challenge was consumed by the first sign-in', async () => {
    const p = await enrolled('replay@clinic.test');
    let captured: string | null = null;
    await p.page.route('**/v1/auth/sign-in/verify', async (route) => {
      if (captured === null) {
        captured = route.request().postData();
        return route.continue();
      }
      return route.continue({ postData: captured });
    });
    await signIn(p);
    await p.page.goto(`${ward.origin}/sign-in`);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    assert.equal(await statusText(p.page), 'The passkey ceremony expired or was already used; start again.');
    assert.ok((await auditReasons(ward, 'auth.sign_in')).some((e) => e.reasons.includes('challenge_invalid')));
  });

  test('an assertion made on another origin (a look-alike site on the same host) is refused', async () => {
    const p = await enrolled('phished@clinic.test');
    const evil = await startOtherSite();
    try {
      const { device, challenge } = await optionsFromNode('/v1/auth/sign-in/options');
      await p.page.goto(`${evil.origin}/`);
      const response = await getAssertion(p, challenge);
      assert.deepEqual(await verifyFromNode(device, response), { status: 401, code: 'WEBAUTHN_VERIFICATION_FAILED' });
      assert.ok((await auditReasons(ward, 'auth.sign_in')).some((e) => e.reasons.includes('response_invalid')));
    } finally {
      await evil.close();
    }
  });

  test('an assertion without user verification is refused (the server checks UV itself)', async () => {
    const p = await enrolled('nouv@clinic.test');
    const { rows } = await ward.t.deps.db.systemDb.query<{ credential_id: string }>('SELECT credential_id FROM passkey_credentials WHERE member_id = $1', [await memberId('nouv@clinic.test')]);
    await p.cdp.send('WebAuthn.setUserVerified', { authenticatorId: p.authenticatorId, isUserVerified: false });
    const { device, challenge } = await optionsFromNode('/v1/auth/sign-in/options');
    const response = await getAssertion(p, challenge, { allow: rows[0]!.credential_id, userVerification: 'discouraged' });
    assert.deepEqual(await verifyFromNode(device, response), { status: 401, code: 'WEBAUTHN_VERIFICATION_FAILED' });
  });

  test('a cloned authenticator (its counter behind) is refused and the passkey flagged as possibly cloned', async () => {
    const original = await enrolled('cloned@clinic.test');
    const { credentials } = await original.cdp.send('WebAuthn.getCredentials', { authenticatorId: original.authenticatorId });
    await signIn(original); // the original moves its counter on
    const clone = await person();
    await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.authenticatorId, credential: { ...credentials[0]!, signCount: 0 } });
    await clone.page.goto(`${ward.origin}/sign-in`);
    await clone.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    assert.equal(await statusText(clone.page), 'The passkey could not be verified.');
    const { rows } = await ward.t.deps.db.systemDb.query<{ possibly_cloned: boolean }>('SELECT possibly_cloned FROM passkey_credentials WHERE member_id = $1', [await memberId('cloned@clinic.test')]);
    assert.equal(rows[0]!.possibly_cloned, true);
    assert.ok((await auditReasons(ward, 'auth.sign_in')).some((e) => e.reasons.includes('counter_not_increased')));
  });

  test('an enrollment link works once, and not after it expires', async () => {
    const link = await invite('once@clinic.test');
    await enroll(await person(), link);
    const again = await person();
    await again.page.goto(link);
    await again.page.getByRole('button', { name: 'Create passkey' }).click();
    assert.equal(await statusText(again.page), 'This enrollment link is not valid, was already used or has expired.');

    const late = await invite('late@clinic.test');
    ward.clock.advance(25 * 60 * 60 * 1000);
    try {
      const p = await person();
      await p.page.goto(late);
      await p.page.getByRole('button', { name: 'Create passkey' }).click();
      assert.equal(await statusText(p.page), 'This enrollment link is not valid, was already used or has expired.');
      assert.ok((await auditReasons(ward, 'auth.enroll.options')).some((e) => e.reasons.includes('token_expired')));
    } finally {
      ward.clock.advance(-25 * 60 * 60 * 1000);
    }
  });

  test('a session idle for 16 minutes is logged off (injected clock)', async () => {
    const p = await enrolled('idle@clinic.test');
    ward.clock.advance(16 * 60 * 1000);
    assert.equal((await me(p)).status, 401);
    assert.ok((await auditReasons(ward, 'session.refused')).some((e) => e.reasons.includes('idle_timeout')));
  });

  test('revoking all sessions of a member takes effect on the next request', async () => {
    const p = await enrolled('revoked@clinic.test');
    const id = await memberId('revoked@clinic.test');
    await ward.t.deps.db.scoped(memberScope(tenantId, id), (tx) => revokeMemberSessions(tx, id, ward.clock.now()));
    assert.equal((await me(p)).status, 401);
    // A revoked session's cookie no longer resolves to any tenant (the lookup skips revoked rows).
    const { rows } = await ward.t.deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE member_id = $1 AND revoked_at IS NULL', [id]);
    assert.equal(rows[0]!.n, 0);
  });

  test('"End my other sessions" (sign out everywhere else) ends the member\'s other sessions from the account page; this one goes on (R-SESS-1)', async () => {
    const p = await enrolled('everywhere@clinic.test');
    const id = await memberId('everywhere@clinic.test');
    const other = await nodeDevice();
    const { rows: mine } = await ward.t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM sessions WHERE member_id = $1 AND revoked_at IS NULL', [id]);
    const elsewhere = await ward.t.deps.db.scoped(memberScope(tenantId, id), (tx) => ward.t.deps.sessions.issue(tx, {
      tenantId, memberId: id, authMethod: 'passkey', amr: ['hwk', 'user'], mfa: true, deviceKey: { thumbprint: 'elsewhere-device', publicJwk: other.jwk }, sourceIp: '127.0.0.1',
    }));
    await p.page.getByRole('button', { name: 'End my other sessions' }).click();
    assert.equal(await statusText(p.page), '1 other session ended; this one goes on.');
    const { rows } = await ward.t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM sessions WHERE member_id = $1 AND revoked_at IS NULL', [id]);
    assert.deepEqual(rows.map((r) => r.id), mine.map((r) => r.id), 'only the page\'s own session lives');
    assert.notEqual(rows[0]!.id, elsewhere.sessionId);
    assert.equal((await me(p)).status, 200);
  });

  test('a request from another origin is refused even with the cookie (CSRF), and the session lives on', async () => {
    const p = await enrolled('csrf@clinic.test');
    const evil = await startOtherSite();
    try {
      await p.page.goto(`${evil.origin}/`);
      const failed = new Promise<string>((resolve) => p.page.on('requestfailed', (r) => {
        if (r.url().endsWith('/v1/auth/logout')) resolve(r.failure()?.errorText ?? '');
      }));
      const status = await p.page.evaluate(async (target) => {
        // A simple request (no preflight): the browser sends it with the cookie; only the server can refuse it.
        const res = await fetch(`${target}/v1/auth/logout`, { method: 'POST', credentials: 'include', mode: 'no-cors', body: 'x' }).catch(() => null);
        return res ? res.status : -1;
      }, ward.origin);
      // The request went out and was answered; the browser withheld even the opaque answer from the
      // other site because every answer says Cross-Origin-Resource-Policy: same-origin.
      assert.equal(status, -1);
      assert.match(await failed, /BLOCKED_BY_RESPONSE/, 'the answer came back, blocked by its Cross-Origin-Resource-Policy');
      assert.equal((await me(p)).status, 200);
    } finally {
      await evil.close();
    }
  });

  test('the session cookie presented with another device key is refused', async () => {
    const p = await enrolled('stolen@clinic.test');
    const cookie = (await p.context.cookies(ward.origin)).find((c) => c.name === 'ward_session');
    assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict');
    const thief = await nodeDevice();
    const url = `${ward.origin}/v1/me`;
    const withOtherKey = await fetch(url, { headers: { cookie: `ward_session=${cookie.value}`, dpop: await thief.proof('GET', url, Math.floor(ward.clock.now().getTime() / 1000)) } });
    assert.equal(withOtherKey.status, 401);
    const withoutKey = await fetch(url, { headers: { cookie: `ward_session=${cookie.value}` } });
    assert.equal(withoutKey.status, 401);
    const reasons = (await auditReasons(ward, 'session.refused')).flatMap((e) => e.reasons);
    assert.ok(reasons.includes('other_device_key') && reasons.includes('device_proof_missing'));
    assert.equal((await me(p)).status, 200, 'the owner of the key is still signed in');
  });
  test('a locked member or device cannot sign in: LOCKED, audited, no session written; after the Owner unlocks, sign-in works (R-GOV-5)', async () => {
    const p = await enrolled('frozen@clinic.test');
    const id = await memberId('frozen@clinic.test');
    // A second person able to unlock: the tenant's Owner, enrolled in the browser.
    await enroll(await person(), ownerLink);
    const admin = await memberId('owner@clinic.test');
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.waitForURL(`${ward.origin}/sign-in`);
    const { device_id: deviceId } = (await ward.t.deps.db.systemDb.query<{ device_id: string }>(
      'SELECT device_id FROM sessions WHERE member_id = $1 ORDER BY created_at DESC LIMIT 1', [id])).rows[0]!;
    const sessionCount = async () => (await ward.t.deps.db.systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE member_id = $1', [id])).rows[0]!.n;
    const signInRefused = async (): Promise<{ status: number; code: string }> => {
      await p.page.goto(`${ward.origin}/sign-in`);
      const answer = p.page.waitForResponse((r) => r.url().endsWith('/v1/auth/sign-in/verify'));
      await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      const res = await answer;
      return { status: res.status(), code: ((await res.json()) as { code?: string }).code ?? '' };
    };
    for (const target of [{ member: 'frozen@clinic.test' }, { device: deviceId }]) {
      const before = await sessionCount();
      const lock = await lockAsOperator(ward.t.deps.db, ward.t.deps.audit, { tenantId, ...target, detectionId: null }, ward.clock.now());
      assert.deepEqual(await signInRefused(), { status: 403, code: 'LOCKED' });
      assert.equal(await sessionCount(), before, 'no session row was written');
      // Unlocked by a second person (the Owner, not the operator who locked): sign-in works again.
      await ward.t.deps.db.scoped(memberScope(tenantId, admin), (tx) => unlockInTx(tx, lock.id, ward.clock.now()));
      await signIn(p);
      assert.equal(await sessionCount(), before + 1);
      await p.page.getByRole('button', { name: 'Sign out' }).click();
      await p.page.waitForURL(`${ward.origin}/sign-in`);
    }
    const refused = (await auditReasons(ward, 'auth.sign_in')).filter((e) => e.reasons.some((r) => r.startsWith('locked:')));
    assert.deepEqual(refused, [{ outcome: 'failure', reasons: ['locked:member'] }, { outcome: 'failure', reasons: ['locked:device'] }]);
  });
});
