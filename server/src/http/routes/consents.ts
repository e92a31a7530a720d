import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { PURPOSE_PATTERN, WardError, type TenantId } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  PART2_REDISCLOSURE_NOTICE, RECIPIENT_PATTERN, findPart2Consent, insertPart2Consent, listPart2Consents, loadConsentPatient, recipientRef, revokePart2Consent,
} from '../../modules/disclosures/index.ts';
import { loadResourceAttributes } from '../../modules/phi/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * 42 CFR Part 2 consents through the API (R-AUTHZ-3, R-AUTHZ-4, R-SESS-3, R-AUDIT-1; 42 CFR 2.31,
 * 2.32; docs/disclosures.md): the privacy office records a patient's written consent to disclose
 * (recipient, purpose, expiry), revokes it, lists a patient's consents and checks whether one covers
 * a disclosure it is about to make. All four are the Cedar action `consent.manage` on the patient:
 * Owner and Manager, within their PHI scopes (so SUD-Part2 for a Part 2 patient), a person's session
 * only, a user verification within 300 s, a managed device, never under break-glass. The recipient
 * is Part 2 information: it travels in a body, never a URL, and is stored encrypted.
 */
const Id = Type.String({ format: 'uuid' });
const PatientParams = Type.Object({ id: Id }, { additionalProperties: false });
const Recipient = Type.String({ minLength: 2, maxLength: 200, pattern: RECIPIENT_PATTERN });
const RecordBody = Type.Object(
  {
    recipient: Recipient,
    // The purpose of use the consent names (HL7 PurposeOfUse); a disclosure must state the same.
    purpose: Type.String({ pattern: PURPOSE_PATTERN }),
    // 42 CFR 2.31(a)(6): a consent carries the date on which it expires.
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const Consent = Type.Object(
  {
    id: Id, recipient: Type.String(), purpose: Type.String(), expiresAt: Type.String(), recordedAt: Type.String(), recordedBy: Type.String(),
    revokedAt: Type.Union([Type.String(), Type.Null()]), revokedBy: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  },
  { additionalProperties: false },
);
const Recorded = Type.Object({ id: Id, patientId: Id, purpose: Type.String(), expiresAt: Type.String(), recordedAt: Type.String() }, { additionalProperties: false });
const Revoked = Type.Object({ id: Id, patientId: Id, revokedAt: Type.String() }, { additionalProperties: false });
const ConsentList = Type.Object({ patientId: Id, consents: Type.Array(Consent) }, { additionalProperties: false });
const CheckBody = Type.Object({ recipient: Recipient, purpose: Type.String({ pattern: PURPOSE_PATTERN }) }, { additionalProperties: false });
const CheckResult = Type.Object(
  {
    patientId: Id,
    // false: the patient's records are not Part 2 (no consent is needed beyond the policies).
    consentRequired: Type.Boolean(),
    covered: Type.Boolean(),
    consentId: Type.Union([Id, Type.Null()]),
    // Why not covered: part2-consent-missing | part2-consent-expired | part2-consent-revoked; null when covered.
    reason: Type.Union([Type.String(), Type.Null()]),
    // 42 CFR 2.32: the notice every disclosure under the consent carries (null when none is needed).
    redisclosureNotice: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export function consentRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const { cipher, clock } = deps;
  const people = { credentials: ['session'] as const };
  const patientRef = async (tx: Parameters<typeof loadResourceAttributes>[0], tenantId: string, id: string) => {
    const r = await loadResourceAttributes(tx, tenantId as TenantId, 'Patient', id);
    return r ? { type: 'Patient', id: r.id, tenant: r.tenant, phiScope: r.phiScope } : null;
  };

  // The recipient is encrypted before the access transaction opens (a first data key may need the KMS).
  const sealed = new WeakMap<FastifyRequest, { id: string; recipientEnc: Buffer }>();

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/patients/:id/part2-consents',
    action: 'consent.manage',
    status: 201,
    schema: { params: PatientParams, body: RecordBody, response: { 201: Recorded } },
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    before: async (req, who) => {
      const id = randomUUID();
      sealed.set(req, { id, recipientEnc: await cipher.encryptField(who.principal.tenantId as TenantId, recipientRef('part2_consents', id), req.body.recipient.trim()) });
    },
    load: (tx, req, who) => patientRef(tx, who.principal.tenantId, req.params.id),
    async handle(tx, { who }, req) {
      const s = sealed.get(req);
      if (!s) throw new WardError('INTERNAL');
      const now = clock.now();
      const expiresAt = new Date(req.body.expiresAt);
      if (!(expiresAt.getTime() > now.getTime())) throw new WardError('BAD_REQUEST', 'expiresAt is not in the future');
      await insertPart2Consent(tx, {
        id: s.id, tenantId: who.principal.tenantId as TenantId, patientId: req.params.id, recipientEnc: s.recipientEnc, purpose: req.body.purpose,
        expiresAt, recordedAt: now, recordedBy: who.principal.id,
      });
      return { id: s.id, patientId: req.params.id, purpose: req.body.purpose, expiresAt: expiresAt.toISOString(), recordedAt: now.toISOString() };
    },
    auditMetadata: (r) => ({ consent: 'record', consentId: r.id, purpose: r.purpose, expiresAt: r.expiresAt }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/part2-consents/:id/revoke',
    action: 'consent.manage',
    schema: { params: Type.Object({ id: Id }, { additionalProperties: false }), response: { 200: Revoked } },
    target: (req) => ({ type: 'Part2Consent', id: req.params.id }),
    // The resource is the consent's patient; a consent outside the caller's tenant or scopes is not found.
    async load(tx, req, who) {
      const c = await loadConsentPatient(tx, who.principal.tenantId as TenantId, req.params.id);
      return c ? patientRef(tx, who.principal.tenantId, c.patientId) : null;
    },
    async handle(tx, { resource, who }, req) {
      const now = clock.now();
      await revokePart2Consent(tx, who.principal.tenantId as TenantId, req.params.id, who.principal.id, now);
      return { id: req.params.id, patientId: resource.id, revokedAt: now.toISOString() };
    },
    auditMetadata: (r) => ({ consent: 'revoke', consentId: r.id }),
  });

  enforcedRoute(app, deps, {
    ...people,
    method: 'GET',
    url: '/v1/patients/:id/part2-consents',
    action: 'consent.manage',
    schema: { params: PatientParams, response: { 200: ConsentList } },
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    load: (tx, req, who) => patientRef(tx, who.principal.tenantId, req.params.id),
    async handle(tx, { who }, req) {
      const consents = await listPart2Consents(tx, cipher, who.principal.tenantId as TenantId, req.params.id, clock.now());
      return {
        patientId: req.params.id,
        consents: consents.map((c) => ({
          ...c, expiresAt: c.expiresAt.toISOString(), recordedAt: c.recordedAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
        })),
      };
    },
    auditMetadata: (r) => ({ consent: 'list', count: r.consents.length }),
  });

  // The check the export makes (the same matching), asked ahead of it: the recipient in the body.
  enforcedRoute(app, deps, {
    ...people,
    method: 'POST',
    url: '/v1/patients/:id/part2-consents/check',
    action: 'consent.manage',
    schema: { params: PatientParams, body: CheckBody, response: { 200: CheckResult } },
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    load: (tx, req, who) => patientRef(tx, who.principal.tenantId, req.params.id),
    async handle(tx, { resource, who }, req) {
      if (resource.phiScope !== 'SUD-Part2') {
        return { patientId: req.params.id, consentRequired: false, covered: true, consentId: null, reason: null, redisclosureNotice: null };
      }
      const { consent, why } = await findPart2Consent(tx, cipher, who.principal.tenantId as TenantId, req.params.id, req.body.recipient, req.body.purpose, clock.now());
      return {
        patientId: req.params.id, consentRequired: true, covered: consent !== null, consentId: consent?.id ?? null,
        reason: consent ? null : why, redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      };
    },
    auditMetadata: (r) => ({ consent: 'check', covered: r.covered, reason: r.reason }),
  });
}
