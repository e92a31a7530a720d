import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { WardError, type TenantId } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { loadResourceAttributes } from '../../modules/phi/index.ts';
import { JWT_TOKEN_TYPE, mintSubjectToken, SUBJECT_TOKEN_SECONDS, oauthEndpoints, readDelegableAgent, type DelegationTarget } from '../../modules/workload/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * Delegation (R-WORK-3): a person, through their own session, lets a named AI agent act for them on
 * one patient or one call, for the purpose in `Ward-Purpose`. The Cedar action `delegation.create`
 * decides (step-up, purpose, the person's PHI scope, a managed device); the answer is a subject token
 * for 60 s that only that agent can exchange, once, at /oauth/token (RFC 8693; docs/workloads.md).
 */
const Id = Type.String({ format: 'uuid' });
const Agent = Type.String({ minLength: 25, maxLength: 25, pattern: '^wl_[A-Za-z0-9_-]{22}$' });
const Body = Type.Union([
  Type.Object({ agent: Agent, patientId: Id }, { additionalProperties: false }),
  Type.Object({ agent: Agent, callId: Id }, { additionalProperties: false }),
]);
type Body = Static<typeof Body>;
const Created = Type.Object(
  { subjectToken: Type.String(), subjectTokenType: Type.String(), expiresIn: Type.Integer(), agent: Type.String() },
  { additionalProperties: false },
);

function targetOf(body: Body): DelegationTarget {
  return 'patientId' in body ? { type: 'Patient', id: body.patientId } : { type: 'Call', id: body.callId };
}

export function delegationRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const endpoints = oauthEndpoints(deps.config.origin);
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/delegations',
    action: 'delegation.create',
    status: 201,
    schema: { summary: 'Let a named AI agent act for you on one patient or call, for one purpose (a subject token for 60 s)', body: Body, response: { 201: Created } },
    target: (req) => ({ type: targetOf(req.body).type.toLowerCase(), id: targetOf(req.body).id }),
    async load(tx, req, who) {
      // An agent that is not an active AI agent of this tenant reads as absent, like the record.
      if (!(await readDelegableAgent(tx, req.body.agent))) return null;
      const target = targetOf(req.body);
      return loadResourceAttributes(tx, who.principal.tenantId as TenantId, target.type, target.id);
    },
    // The token is signed after the guard's transaction has committed (the signing key may be read
    // from the database, which must not wait on the connection this transaction holds).
    async handle(_tx, { who }, req) {
      if (who.credential.kind !== 'session' || !who.device) throw new WardError('FORBIDDEN');
      const person = { principal: who.principal, credential: who.credential, device: who.device };
      return { person, agent: req.body.agent, purpose: String(req.headers['ward-purpose'] ?? '').trim(), target: targetOf(req.body), jti: randomUUID() };
    },
    auditMetadata: (r) => ({ agent: r.agent, delegation: r.jti, expiresIn: SUBJECT_TOKEN_SECONDS }),
    async reply(_reply, r) {
      const minted = await mintSubjectToken(
        { keys: deps.tokenSigningKeys, issuer: endpoints.issuer, tokenEndpoint: endpoints.tokenEndpoint, now: deps.clock.now() },
        r.person, { agentClientId: r.agent, purpose: r.purpose, target: r.target, jti: r.jti },
      );
      return { subjectToken: minted.subjectToken, subjectTokenType: JWT_TOKEN_TYPE, expiresIn: minted.expiresIn, agent: r.agent };
    },
  });
}
