import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { deviceKey, htu, passkeyCeremony, postSignIn, signInAgain, send } from '../clients.ts';
import { softPasskey } from '../authenticator.ts';
import { expectStatus, type Scenario, type World } from '../scenario.ts';
import { TM } from './boundaries.ts';

/**
 * The browser session (R-SESS-1, R-SESS-3, R-SESS-4, R-AUTHN-1, R-AUTHN-3): a cookie is useless
 * without the device key's proof, a proof is good once and for one request, writes need Ward's own
 * Origin, and the passkey ceremonies refuse replays, other origins and other relying parties.
 */
const ME = '/v1/me';

const unsigned = (header: object, payload: object) =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

export function sessionScenarios(): Scenario[] {
  const cat = 'cookie without device key and proof replay';
  const proofCase = (id: string, title: string, proof: (w: World) => Promise<string | null>, expected = 'HTTP 401'): Scenario => ({
    id: `session.${id}`, category: cat, title, expected, covers: ['R-SESS-1', 'R-SESS-4'],
    async run(w) {
      return expectStatus(await w.people.auditor.call(ME, { proof: await proof(w) }), [401]);
    },
  });
  return [
    proofCase('cookie-only', 'the session cookie alone, without a device proof', async () => null),
    proofCase('other-device', 'the cookie with a proof signed by another device key (a stolen cookie)', async (w) => (await deviceKey()).proof('GET', htu(w.origin, ME))),
    proofCase('other-person-device', "the cookie with a proof from another member's device", async (w) => w.people.viewer.device.proof('GET', htu(w.origin, ME))),
    proofCase('wrong-htu', 'a proof made for another URL', async (w) => w.people.auditor.device.proof('GET', htu(w.origin, '/v1/patients'))),
    proofCase('wrong-htm', 'a proof made for another method', async (w) => w.people.auditor.device.proof('POST', htu(w.origin, ME))),
    proofCase('other-origin-htu', 'a proof whose htu names another origin', async (w) => w.people.auditor.device.proof('GET', `https://evil.example${ME}`)),
    proofCase('stale-iat', 'a proof made ten minutes ago', async (w) => w.people.auditor.device.proof('GET', htu(w.origin, ME), { iat: Math.floor(Date.now() / 1000) - 600 })),
    proofCase('future-iat', 'a proof dated ten minutes ahead', async (w) => w.people.auditor.device.proof('GET', htu(w.origin, ME), { iat: Math.floor(Date.now() / 1000) + 600 })),
    proofCase('alg-none', 'an unsigned proof (alg "none")', async (w) =>
      unsigned({ typ: 'dpop+jwt', alg: 'none', jwk: w.people.auditor.device.jwk }, { htm: 'GET', htu: htu(w.origin, ME), jti: randomUUID(), iat: Math.floor(Date.now() / 1000) })),
    proofCase('alg-hs256', 'a proof "signed" with HS256 keyed by the public key (alg confusion)', async (w) =>
      new SignJWT({ htm: 'GET', htu: htu(w.origin, ME), jti: randomUUID() }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: w.people.auditor.device.jwk } as never)
        .setIssuedAt().sign(new TextEncoder().encode(JSON.stringify(w.people.auditor.device.jwk)))),
    {
      id: 'session.proof-replay', category: cat, covers: ['R-SESS-1', 'R-SESS-4'],
      title: 'the same device proof sent twice', expected: 'first HTTP 200, the replay HTTP 401',
      async run(w) {
        const proof = await w.people.auditor.device.proof('GET', htu(w.origin, ME));
        const first = await w.people.auditor.call(ME, { proof });
        const again = await w.people.auditor.call(ME, { proof });
        return { pass: first.status === 200 && again.status === 401, observed: `first HTTP ${first.status}, replay HTTP ${again.status}` };
      },
    },
    {
      id: 'session.proof-without-cookie', category: cat, covers: ['R-SESS-1'],
      title: 'a device proof without the session cookie', expected: 'HTTP 401',
      async run(w) {
        return expectStatus(await w.people.auditor.call(ME, { cookie: null }), [401]);
      },
    },
    {
      id: 'session.forged-cookie', category: cat, covers: ['R-SESS-1', TM.narrowLookups],
      title: 'a made-up session cookie with a valid proof', expected: 'HTTP 401',
      async run(w) {
        const name = w.people.auditor.cookie.split('=')[0];
        return expectStatus(await w.people.auditor.call(ME, { cookie: `${name}=${Buffer.from(randomUUID()).toString('base64url')}` }), [401]);
      },
    },
    {
      id: 'session.after-logout', category: 'stale session after a role change', covers: ['R-SESS-1', 'R-AUTHN-5'],
      title: 'the cookie of a session that signed out, with a fresh proof', expected: 'logout 204, then HTTP 401',
      async run(w) {
        const p = w.people.viewer;
        const fresh = await signInAgain(w.origin, p);
        const cookie = (fresh.reply.headers.get('set-cookie') ?? '').split(';')[0]!;
        const out = await p.call('/v1/auth/logout', { method: 'POST', cookie });
        const after = await p.call(ME, { cookie });
        return { pass: fresh.reply.status === 200 && out.status === 204 && after.status === 401, observed: `sign-in HTTP ${fresh.reply.status}, logout HTTP ${out.status}, reuse HTTP ${after.status}` };
      },
    },
    // CSRF (R-SESS-1): a state-changing request must carry Ward's own Origin.
    ...[['missing', null], ['evil', 'https://evil.example'], ['null', 'null'], ['sibling-port', 'http://localhost:1']].map(([name, origin]) => ({
      id: `csrf.case-note.origin-${name}`, category: 'CSRF', covers: ['R-SESS-1'],
      title: `a case-note write with ${origin === null ? 'no Origin header' : `Origin ${origin}`}`,
      expected: 'HTTP 403 ORIGIN_NOT_ALLOWED',
      async run(w: World) {
        return expectStatus(await w.people.agent.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', body: { body: 'drill: forged note' }, origin }), [403], ['ORIGIN_NOT_ALLOWED']);
      },
    })),
    {
      id: 'csrf.logout', category: 'CSRF', covers: ['R-SESS-1'],
      title: "a cross-site logout (another origin posts to /v1/auth/logout)", expected: 'HTTP 403, and the session still answers',
      async run(w) {
        const r = await w.people.auditor.call('/v1/auth/logout', { method: 'POST', origin: 'https://evil.example' });
        const still = await w.people.auditor.call(ME);
        return { pass: r.status === 403 && still.status === 200, observed: `logout HTTP ${r.status}, session afterwards HTTP ${still.status}` };
      },
    },
    {
      id: 'csrf.invitation', category: 'CSRF', covers: ['R-SESS-1', 'R-AUTHN-3'],
      title: 'a cross-site invitation made with an Owner\'s cookie', expected: 'HTTP 403 ORIGIN_NOT_ALLOWED',
      async run(w) {
        return expectStatus(await w.people.owner.call('/v1/members/invitations', { method: 'POST', body: { email: 'csrf@drill.invalid', role: 'Agent' }, origin: 'https://evil.example' }), [403], ['ORIGIN_NOT_ALLOWED']);
      },
    },
    // The passkey ceremonies (R-AUTHN-1, R-AUTHN-3).
    {
      id: 'webauthn.assertion-replay', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1'],
      title: 'a sign-in assertion posted a second time', expected: 'first HTTP 200, the replay refused (4xx)',
      async run(w) {
        const first = await signInAgain(w.origin, w.people.auditor);
        const again = await postSignIn(w.origin, w.people.auditor.device, first.response ?? {});
        return { pass: first.reply.status === 200 && again.status >= 400 && again.status < 500, observed: `first HTTP ${first.reply.status}, replay HTTP ${again.status} ${again.code}` };
      },
    },
    {
      id: 'webauthn.wrong-origin', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1'],
      title: 'a sign-in assertion made on a phishing origin', expected: 'refused (4xx), no session',
      async run(w) {
        const r = await signInAgain(w.origin, w.people.auditor, { origin: 'https://ward.evil.example' });
        return { pass: r.reply.status >= 400 && r.reply.status < 500 && !r.reply.headers.get('set-cookie'), observed: `HTTP ${r.reply.status} ${r.reply.code}` };
      },
    },
    {
      id: 'webauthn.wrong-rp', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1'],
      title: 'a sign-in assertion for another relying party id', expected: 'refused (4xx)',
      async run(w) {
        const r = await signInAgain(w.origin, w.people.auditor, { rpId: 'evil.example' });
        return { pass: r.reply.status >= 400 && r.reply.status < 500, observed: `HTTP ${r.reply.status} ${r.reply.code}` };
      },
    },
    {
      id: 'webauthn.no-user-verification', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1', 'R-AUTHN-2'],
      title: 'a sign-in assertion without user verification', expected: 'refused (4xx)',
      async run(w) {
        const r = await signInAgain(w.origin, w.people.auditor, { isUserVerified: false });
        return { pass: r.reply.status >= 400 && r.reply.status < 500, observed: `HTTP ${r.reply.status} ${r.reply.code}` };
      },
    },
    {
      id: 'webauthn.other-device-key', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1', 'R-SESS-4'],
      title: "a challenge issued to one device key answered from another", expected: 'refused (4xx)',
      async run(w) {
        const p = w.people.auditor;
        const path = '/v1/auth/sign-in/options';
        const options = await send(w.origin, path, { method: 'POST', body: {}, headers: { origin: w.origin, dpop: await p.device.proof('POST', htu(w.origin, path)) } });
        const r = await postSignIn(w.origin, await deviceKey(), p.passkey.assert(options.json as never));
        return { pass: r.status >= 400 && r.status < 500, observed: `HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'webauthn.unknown-credential', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-1', TM.narrowLookups],
      title: 'a sign-in with a passkey Ward never registered', expected: 'refused (4xx), nothing about any tenant',
      async run(w) {
        const device = await deviceKey();
        const path = '/v1/auth/sign-in/options';
        const options = await send(w.origin, path, { method: 'POST', body: {}, headers: { origin: w.origin, dpop: await device.proof('POST', htu(w.origin, path)) } });
        const stranger = softPasskey(w.origin);
        stranger.register({ challenge: 'x', rp: {}, user: { id: Buffer.from(w.people.owner.memberId).toString('base64url') } });
        const r = await postSignIn(w.origin, device, stranger.assert(options.json as never));
        return { pass: r.status >= 400 && r.status < 500 && !r.text.includes(w.a.id) && !r.text.includes(w.a.slug), observed: `HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'enrollment.link-reuse', category: 'enrollment and recovery link reuse', covers: ['R-AUTHN-3'],
      title: 'an enrollment link used a second time (by another device)', expected: 'refused (4xx), no session',
      async run(w) {
        const r = await passkeyCeremony(w.origin, await deviceKey(), 'enroll', w.spentEnrollmentToken, softPasskey(w.origin));
        return { pass: r.status >= 400 && r.status < 500 && !r.headers.get('set-cookie'), observed: `HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'enrollment.made-up-token', category: 'enrollment and recovery link reuse', covers: ['R-AUTHN-3', TM.narrowLookups],
      title: 'an enrollment with a made-up token', expected: 'refused (4xx)',
      async run(w) {
        const r = await passkeyCeremony(w.origin, await deviceKey(), 'enroll', Buffer.from(randomUUID() + randomUUID()).toString('base64url').slice(0, 43), softPasskey(w.origin));
        return { pass: r.status >= 400 && r.status < 500, observed: `HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'enrollment.wrong-origin', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-3', 'R-AUTHN-1'],
      title: 'an enrollment whose registration was made on a phishing origin', expected: 'refused (4xx); the link still works afterwards from Ward\'s own origin',
      async run(w) {
        const m = w.b.members.find((x) => x.roles.includes('Viewer'))!;
        const device = await deviceKey();
        const evil = await passkeyCeremony(w.origin, device, 'enroll', m.enrollmentToken, softPasskey(w.origin), { origin: 'https://ward.evil.example' });
        const honest = await passkeyCeremony(w.origin, device, 'enroll', m.enrollmentToken, softPasskey(w.origin));
        return { pass: evil.status >= 400 && evil.status < 500 && honest.status === 200, observed: `phishing origin HTTP ${evil.status} ${evil.code}, then Ward's origin HTTP ${honest.status}` };
      },
    },
    {
      id: 'enrollment.challenge-replay', category: 'WebAuthn challenge replay and wrong origin', covers: ['R-AUTHN-3', 'R-AUTHN-1'],
      title: 'an enrollment registration sent again after it succeeded', expected: 'refused (4xx)',
      async run(w) {
        const m = w.b.members.find((x) => x.roles.includes('Auditor'))!;
        const device = await deviceKey();
        const passkey = softPasskey(w.origin);
        const path = '/v1/auth/enroll/options';
        const options = await send(w.origin, path, { method: 'POST', body: { token: m.enrollmentToken }, headers: { origin: w.origin, dpop: await device.proof('POST', htu(w.origin, path)) } });
        const response = passkey.register(options.json as never);
        const verify = async () => send(w.origin, '/v1/auth/enroll/verify', { method: 'POST', body: { token: m.enrollmentToken, response }, headers: { origin: w.origin, dpop: await device.proof('POST', htu(w.origin, '/v1/auth/enroll/verify')) } });
        const first = await verify();
        const again = await verify();
        return { pass: first.status === 200 && again.status >= 400 && again.status < 500, observed: `first HTTP ${first.status}, replay HTTP ${again.status} ${again.code}` };
      },
    },
  ];
}

