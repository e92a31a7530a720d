import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { PasskeyListReply, SignedInReply, StepUpReply, WardError, type PersonAuthenticated } from '@ward/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { listPasskeys, renamePasskey, revokePasskey, type StepUpCaller } from '../../modules/identity/index.ts';
import { clearedSessionCookie, endSession, requireRecentVerification, revokeMemberSessions, sessionCookie } from '../../modules/sessions/index.ts';
import { personOf, selfTransaction } from '../plugins/authenticate.ts';
import { protectBrowserRoutes, toAuthRequest } from './auth-request.ts';

/** R-SESS-3: revoking a passkey, or signing out everywhere else, needs a user verification within the last 5 minutes. */
export const PASSKEY_REVOKE_STEP_UP_SECONDS = 300;

const RevokedOthers = Type.Object({ revokedSessions: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

const TokenBody = Type.Object({ token: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
// The WebAuthn responses are any JSON object here; @simplewebauthn/server verifies their shape and content.
const RegistrationResponse = Type.Unsafe<RegistrationResponseJSON>(Type.Object({}, { additionalProperties: true }));
const AuthenticationResponse = Type.Unsafe<AuthenticationResponseJSON>(Type.Object({}, { additionalProperties: true }));
const EnrollVerifyBody = Type.Object({ token: Type.String({ maxLength: 64 }), response: RegistrationResponse }, { additionalProperties: false });
const AssertionBody = Type.Object({ response: AuthenticationResponse }, { additionalProperties: false });
const PasskeyParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const RenameBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** R-SESS-3: a step-up re-verifies a browser session from the device it is bound to. */
function stepUpCaller(who: PersonAuthenticated): StepUpCaller {
  return { tenantId: who.principal.tenantId, memberId: who.principal.id, sessionId: who.credential.id, deviceId: who.device.id, thumbprint: who.device.thumbprint };
}

function actorOf(who: PersonAuthenticated, sourceIp: string) {
  return { tenantId: who.principal.tenantId, memberId: who.principal.id, sessionId: who.credential.id, deviceId: who.device.id, sourceIp };
}

const PUBLIC = { access: { kind: 'public' } } as const;
const SELF = { access: { kind: 'self' } } as const;

/**
 * The passkey ceremonies, logout and a member's own passkeys (R-AUTHN-1, R-AUTHN-3, R-SESS-1,
 * R-SESS-3). The ceremony routes are public (no session yet) but carry a device proof; the others are
 * `self` routes, authenticated by the one chain (plugins/authenticate.ts) for people only.
 */
export async function authRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    const origin = deps.config.origin;
    protectBrowserRoutes(scope, { origin, clock: deps.clock });
    const signedIn = (reply: FastifyReply, r: { token: string; memberId: string }) => {
      reply.header('set-cookie', sessionCookie(origin, r.token));
      return { memberId: r.memberId };
    };

    scope.post('/v1/auth/enroll/options', { config: PUBLIC, schema: { body: TokenBody } }, async (req) =>
      deps.passkeys.enrollOptions(toAuthRequest(req, origin), req.body.token));

    scope.post('/v1/auth/enroll/verify', { config: PUBLIC, schema: { body: EnrollVerifyBody, response: { 200: SignedInReply } } }, async (req, reply) => {
      return signedIn(reply, await deps.passkeys.enrollVerify(toAuthRequest(req, origin), req.body.token, req.body.response));
    });

    // R-AUTHN-4: the recovery link's registration (a new passkey; the account becomes restricted).
    scope.post('/v1/auth/recover/options', { config: PUBLIC, schema: { body: TokenBody } }, async (req) =>
      deps.passkeys.recoverOptions(toAuthRequest(req, origin), req.body.token));

    scope.post('/v1/auth/recover/verify', { config: PUBLIC, schema: { body: EnrollVerifyBody, response: { 200: SignedInReply } } }, async (req, reply) => {
      return signedIn(reply, await deps.passkeys.recoverVerify(toAuthRequest(req, origin), req.body.token, req.body.response));
    });

    scope.post('/v1/auth/sign-in/options', { config: PUBLIC }, async (req) => deps.passkeys.signInOptions(toAuthRequest(req, origin)));

    scope.post('/v1/auth/sign-in/verify', { config: PUBLIC, schema: { body: AssertionBody, response: { 200: SignedInReply } } }, async (req, reply) => {
      return signedIn(reply, await deps.passkeys.signInVerify(toAuthRequest(req, origin), req.body.response));
    });

    // The ceremonies run transactions of their own; authentication's writes settle in one first.
    const settled = (req: FastifyRequest) => selfTransaction(req, deps.db, async (_tx, who) => who);

    scope.post('/v1/auth/step-up/options', { config: SELF }, async (req) =>
      deps.passkeys.stepUpOptions(toAuthRequest(req, origin), stepUpCaller(await settled(req))));

    scope.post('/v1/auth/step-up/verify', { config: SELF, schema: { body: AssertionBody, response: { 200: StepUpReply } } }, async (req) => {
      const who = await settled(req);
      // R-SESS-3, R-GOV-5: step-ups done and failed, counted.
      const r = await deps.passkeys.stepUpVerify(toAuthRequest(req, origin), stepUpCaller(who), req.body.response).catch((e: unknown) => {
        deps.metrics.stepUp('failed');
        throw e;
      });
      deps.metrics.stepUp('verified');
      return { lastVerifiedAt: r.lastVerifiedAt.toISOString() };
    });

    scope.post('/v1/auth/logout', { config: SELF }, async (req, reply) => {
      await selfTransaction(req, deps.db, async (tx, who) => {
        await endSession(tx, who.credential.id, deps.clock.now());
        await deps.audit.append(tx, {
          tenantId: who.principal.tenantId, actorKind: 'human', actorId: who.principal.id, sessionId: who.credential.id,
          deviceId: who.device.id, sourceIp: req.ip, action: 'auth.logout', targetType: 'session', targetId: who.credential.id, outcome: 'success',
        });
      });
      reply.header('set-cookie', clearedSessionCookie(origin));
      return reply.status(204).send();
    });

    // R-SESS-1: "sign out everywhere else". A member who fears a session was stolen ends every other
    // session of theirs (each device key's with it: the next request of any is refused); this one goes
    // on. A fresh verification (MFA, 5 minutes) is asked first, so a stolen session, whose holder cannot
    // pass the member's user verification, cannot end the owner's sessions and keep its own.
    scope.post('/v1/me/sessions/revoke-others', { config: SELF, schema: { summary: "Sign out everywhere else: end the caller's other sessions (step-up)", response: { 200: RevokedOthers } } }, async (req) => {
      requireRecentVerification(personOf(req), PASSKEY_REVOKE_STEP_UP_SECONDS, deps.clock.now());
      const revokedSessions = await selfTransaction(req, deps.db, async (tx, who) => {
        const n = await revokeMemberSessions(tx, who.principal.id, deps.clock.now(), who.credential.id);
        await deps.audit.append(tx, {
          tenantId: who.principal.tenantId, actorKind: 'human', actorId: who.principal.id, sessionId: who.credential.id, deviceId: who.device.id, sourceIp: req.ip,
          action: 'session.revoke_others', targetType: 'member', targetId: who.principal.id,
          outcome: 'success', metadata: { revokedSessions: n },
        });
        return n;
      });
      return { revokedSessions };
    });

    scope.get('/v1/me/passkeys', { config: SELF, schema: { response: { 200: PasskeyListReply } } }, async (req) =>
      ({ passkeys: await selfTransaction(req, deps.db, (tx, who) => listPasskeys(tx, who.principal.id)) }));

    scope.patch('/v1/me/passkeys/:id', { config: SELF, schema: { params: PasskeyParams, body: RenameBody } }, async (req, reply) => {
      await selfTransaction(req, deps.db, (tx, who) =>
        renamePasskey(tx, deps.audit, actorOf(who, req.ip), req.params.id, req.body.name));
      return reply.status(204).send();
    });

    scope.delete('/v1/me/passkeys/:id', { config: SELF, schema: { params: PasskeyParams } }, async (req, reply) => {
      requireRecentVerification(personOf(req), PASSKEY_REVOKE_STEP_UP_SECONDS, deps.clock.now());
      const outcome = await selfTransaction(req, deps.db, (tx, who) =>
        revokePasskey(tx, deps.audit, actorOf(who, req.ip), req.params.id, deps.clock.now()));
      if (outcome === 'not_found') throw new WardError('NOT_FOUND');
      if (outcome === 'last_one') throw new WardError('PASSKEY_LAST_ONE');
      return reply.status(204).send();
    });
  });
}
