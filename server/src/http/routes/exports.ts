import { createHash, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { PURPOSE_PATTERN, WardError, type Decision, type TenantId } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Tx } from '../../db/types.ts';
import type { Deps } from '../../deps.ts';
import {
  PART2_REDISCLOSURE_NOTICE, PART2_REDISCLOSURE_NOTICE_HEADER, RECIPIENT_PATTERN, claimExport, exportContentRef, findPart2Consent, insertDisclosure, insertExport, listDisclosures, loadExportResource, recipientRef,
} from '../../modules/disclosures/index.ts';
import {
  PATIENT_PHI_FIELDS, getCall, getPatient, getRecording, getTranscript, listCaseNotes, loadResourceAttributes, readRecordingRange, type PatientPhiField,
} from '../../modules/phi/index.ts';
import { redactOrMaskAll, renderForObligations } from '../../modules/redaction/index.ts';
import { enforcedRoute, enforcedTwoPhaseRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * Exports as disclosures (R-AUTHZ-3, R-AUDIT-1, R-AUTHZ-4; 45 CFR 164.528, 42 CFR 2.31, 2.32;
 * docs/disclosures.md). `POST /v1/exports` is `export.create` through the two-phase guard (step-up
 * and justification by policy): phase 1 decides, checks a Part 2 consent and reads the record; phase
 * 2 builds and encrypts the document outside any transaction; phase 3 stores it with its SHA-256 and
 * records the disclosure. The document is downloaded once, by the same session, within 5 minutes.
 */
const Id = Type.String({ format: 'uuid' });
const ExportInput = Type.Object(
  {
    // A patient's record, a call's transcript (by the call's id, as GET /v1/calls/:id/transcript), or a
    // call's recording (by the recording's id, as GET /v1/recordings/:id/audio).
    target: Type.Object({ type: Type.Union([Type.Literal('Patient'), Type.Literal('Transcript'), Type.Literal('Recording')]), id: Id }, { additionalProperties: false }),
    recipient: Type.String({ minLength: 2, maxLength: 200, pattern: RECIPIENT_PATTERN }),
    purpose: Type.String({ pattern: PURPOSE_PATTERN }),
    justification: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const ExportCreated = Type.Object(
  { id: Id, sha256: Type.String(), part2: Type.Boolean(), expiresAt: Type.String(), download: Type.String() },
  { additionalProperties: false },
);
const Accounting = Type.Object(
  {
    patientId: Id,
    since: Type.String(),
    disclosures: Type.Array(Type.Object(
      {
        id: Id, disclosedAt: Type.String(), recipient: Type.String(), purpose: Type.String(), description: Type.String(),
        disclosedBy: Type.String(), exportId: Type.Union([Id, Type.Null()]), part2ConsentId: Type.Union([Id, Type.Null()]),
        // The AI task that sent the data to a model vendor under a Part 2 consent (docs/ai.md), or null.
        aiTaskId: Type.Union([Id, Type.Null()]),
        // When the data left Ward (the export's one download); null when it never did.
        downloadedAt: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);

interface Prepared {
  patientId: string;
  part2: boolean;
  consentId: string | null;
  document: Record<string, unknown>;
  description: string;
}
interface Produced extends Prepared {
  exportId: string;
  contentEnc: Buffer;
  sha256: Buffer;
  recipientEnc: Buffer;
  disclosureId: string;
}

/** Free text as the decision allows it: its masks applied to the spans found; a redaction failure masks all. */
function masked(text: string, decision: Decision): string {
  if (!decision.obligations.maskFields?.length) return text;
  const r = redactOrMaskAll(text);
  return r.failedClosed ? r.text : renderForObligations(text, r.spans, decision);
}

/** A recording exported whole, in the JSON document (base64): larger ones are refused, not cut. */
export const EXPORT_MAX_RECORDING_BYTES = 16 * 1024 * 1024;

/** The patient a target belongs to (a transcript's or a recording's: its call's), or null when it names none. */
async function patientOfTarget(tx: Tx, cipher: Deps['cipher'], tenantId: TenantId, type: 'Patient' | 'Transcript' | 'Recording', id: string): Promise<string | null> {
  if (type === 'Patient') return id;
  const callId = type === 'Recording' ? (await getRecording(tx, tenantId, id))?.callId : id;
  return callId ? (await getCall(tx, cipher, tenantId, callId))?.patientId ?? null : null;
}

export function exportRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const { cipher, clock } = deps;

  enforcedTwoPhaseRoute(app, deps, {
    method: 'POST',
    url: '/v1/exports',
    action: 'export.create',
    credentials: ['session'], // R-SESS-3: a person, with a step-up; the download is bound to this session
    schema: { body: ExportInput, response: { 201: ExportCreated } },
    status: 201,
    purposeOf: (req) => req.body.purpose,
    justificationOf: (req) => req.body.justification,
    target: (req) => ({ type: req.body.target.type, id: req.body.target.id }),
    async load(tx, req, who) {
      // A transcript is the call's (its row carries the call's scope); Cedar sees it as a Transcript.
      const { type, id } = req.body.target;
      const r = await loadResourceAttributes(tx, who.principal.tenantId as TenantId, type === 'Transcript' ? 'Call' : type, id);
      return r ? { type, id: r.id, tenant: r.tenant, phiScope: r.phiScope } : null;
    },
    async prepare(tx, { resource, decision, who }, req) {
      const tenantId = who.principal.tenantId as TenantId;
      const type = req.body.target.type;
      // 45 CFR 164.528: a disclosure is accounted to its patient; a call with no identified patient is not exported.
      const patientId = await patientOfTarget(tx, cipher, tenantId, type, resource.id);
      if (!patientId) throw new WardError('BAD_REQUEST', 'the call has no identified patient');
      const part2 = resource.phiScope === 'SUD-Part2';
      let consentId: string | null = null;
      if (part2) {
        // 42 CFR 2.31: no disclosure of Part 2 records without the patient's consent for this recipient and purpose.
        const { consent, why } = await findPart2Consent(tx, cipher, tenantId, patientId, req.body.recipient, req.body.purpose, clock.now());
        if (!consent) throw new WardError('PART2_CONSENT_REQUIRED', why);
        consentId = consent.id;
      }
      if (type === 'Recording') {
        // Audio cannot be masked: a decision that masks anything refuses the recording (fail closed).
        if (decision.obligations.maskFields?.length) throw new WardError('FORBIDDEN', 'a recording cannot be exported under masks');
        const rec = await getRecording(tx, tenantId, resource.id);
        if (!rec || rec.byteLength === 0) throw new WardError('NOT_FOUND');
        if (rec.byteLength > EXPORT_MAX_RECORDING_BYTES) throw new WardError('BAD_REQUEST', 'the recording is too large to export');
        const audio = await readRecordingRange(tx, cipher, tenantId, rec, { start: 0, end: rec.byteLength - 1 });
        return {
          patientId, part2, consentId,
          description: `recording of one call (${Math.round(rec.durationMs / 1000)} s of audio, ${rec.format})`,
          document: {
            recording: {
              id: rec.id, callId: rec.callId, format: rec.format, durationMs: rec.durationMs, byteLength: rec.byteLength,
              sha256: createHash('sha256').update(audio).digest('hex'), audioBase64: audio.toString('base64'),
            },
          },
        };
      }
      if (type === 'Transcript') {
        const t = await getTranscript(tx, cipher, tenantId, resource.id);
        if (!t) throw new WardError('NOT_FOUND');
        return {
          patientId, part2, consentId,
          description: `transcript of one call (${t.utterances.length} utterances${decision.obligations.maskFields?.length ? ', masked' : ''})`,
          document: { transcript: { callId: t.callId, language: t.language, utterances: t.utterances.map((u) => ({ seq: u.seq, speaker: u.speaker, startMs: u.startMs, endMs: u.endMs, text: masked(u.text, decision) })) } },
        };
      }
      // Minimum necessary: the fields the decision masks are neither decrypted nor exported (an unknown name masks all).
      const masks = decision.obligations.maskFields ?? [];
      const unknownMask = masks.some((m) => !PATIENT_PHI_FIELDS.includes(m as PatientPhiField));
      const fields = unknownMask ? [] : PATIENT_PHI_FIELDS.filter((f) => !masks.includes(f));
      const patient = await getPatient(tx, cipher, tenantId, patientId, { fields });
      if (!patient) throw new WardError('NOT_FOUND');
      const notes = await listCaseNotes(tx, cipher, tenantId, patientId, { includeBody: true, limit: 200 });
      const p: Record<string, unknown> = { id: patient.id, phiScope: patient.phiScope, sex: patient.sex, state: patient.state };
      for (const f of fields) p[f] = patient[f] ?? null;
      return {
        patientId,
        part2,
        consentId,
        description: `patient record: demographics${fields.length < PATIENT_PHI_FIELDS.length ? ' (masked fields left out)' : ''} and ${notes.length} case notes`,
        document: {
          patient: p,
          caseNotes: notes.map((n) => ({ id: n.id, createdAt: n.createdAt.toISOString(), callId: n.callId, body: n.body === undefined ? null : masked(n.body, decision) })),
        },
      };
    },
    async work(input, { who }, req) {
      // Phase 2, outside any transaction: build, hash and encrypt the document under the tenant's key.
      const tenantId = who.principal.tenantId as TenantId;
      const exportId = randomUUID();
      const disclosureId = randomUUID();
      const doc = {
        ward: 'export/1',
        exportId,
        createdAt: clock.now().toISOString(),
        recipient: req.body.recipient,
        purpose: req.body.purpose,
        ...(input.part2 ? { redisclosureNotice: PART2_REDISCLOSURE_NOTICE } : {}),
        ...input.document,
      };
      const content = Buffer.from(JSON.stringify(doc, null, 2), 'utf8');
      const sha256 = createHash('sha256').update(content).digest();
      const contentEnc = await cipher.encryptField(tenantId, exportContentRef(exportId), content);
      const recipientEnc = await cipher.encryptField(tenantId, recipientRef('disclosures', disclosureId), req.body.recipient);
      return { ...input, exportId, contentEnc, sha256, recipientEnc, disclosureId };
    },
    async record(tx, r, { resource, who }, req) {
      const tenantId = who.principal.tenantId as TenantId;
      if (who.credential.kind !== 'session') throw new WardError('FORBIDDEN');
      const now = clock.now();
      const { expiresAt } = await insertExport(tx, {
        id: r.exportId, tenantId, phiScope: resource.phiScope!, patientId: r.patientId, targetType: req.body.target.type, targetId: resource.id,
        requestedBy: who.principal.id, sessionId: who.credential.id, contentEnc: r.contentEnc, contentSha256: r.sha256, part2: r.part2, createdAt: now,
      });
      // 45 CFR 164.528: every export is a disclosure, in the patient's accounting.
      await insertDisclosure(tx, {
        id: r.disclosureId, tenantId, phiScope: resource.phiScope!, patientId: r.patientId, exportId: r.exportId, disclosedAt: now,
        disclosedBy: who.principal.id, recipientEnc: r.recipientEnc, purpose: req.body.purpose, description: r.description, part2ConsentId: r.consentId,
      });
      return { id: r.exportId, sha256: r.sha256.toString('hex'), part2: r.part2, expiresAt: expiresAt.toISOString(), download: `/v1/exports/${r.exportId}/download` };
    },
    // What a detection rule reads (docs/disclosures.md): the outcome event of export.create, with these facts.
    auditMetadata: (r) => ({ disclosure: true, exportId: r.id, part2: r.part2, sha256: r.sha256 }),
  });

  // The one download: decided again as export.create (role, scope, step-up, device, purpose and
  // justification hold at the moment the data leaves), then claimed once by the requesting session.
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/exports/:id/download',
    action: 'export.create',
    credentials: ['session'],
    writes: true, // the claim: its record commits with it
    schema: { params: Type.Object({ id: Id }, { additionalProperties: false }) },
    target: (req) => ({ type: 'Export', id: req.params.id }),
    async load(tx, req, who) {
      const e = await loadExportResource(tx, who.principal.tenantId as TenantId, req.params.id);
      return e ? { type: e.targetType, id: e.targetId, tenant: who.principal.tenantId, phiScope: e.phiScope } : null;
    },
    async handle(tx, { who }, req) {
      if (who.credential.kind !== 'session') throw new WardError('FORBIDDEN');
      return claimExport(tx, cipher, who.principal.tenantId as TenantId, req.params.id, who.credential.id, clock.now());
    },
    auditMetadata: (r) => ({ phase: 'download', sha256: r.sha256, part2: r.part2 }),
    reply: (reply, r) => {
      // The data leaves here: the download carries, besides the document (which holds the notice
      // verbatim), its hash and, for Part 2 data, the 42 CFR 2.32 notice in a header of its own, so a
      // recipient's system that stores only the body's headers still has it (docs/disclosures.md).
      reply.header('content-type', 'application/json; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="ward-export.json"');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('ward-content-sha256', r.sha256);
      reply.header('ward-disclosure', r.part2 ? 'part2' : 'phi');
      if (r.part2) reply.header('ward-redisclosure-notice', PART2_REDISCLOSURE_NOTICE_HEADER);
      return reply.send(r.content);
    },
  });

  // The accounting of disclosures a patient may request (45 CFR 164.528): six years back.
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/patients/:id/disclosures',
    action: 'patient.view',
    schema: { params: Type.Object({ id: Id }, { additionalProperties: false }), response: { 200: Accounting } },
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    async load(tx, req, who) {
      const r = await loadResourceAttributes(tx, who.principal.tenantId as TenantId, 'Patient', req.params.id);
      return r ? { type: 'Patient', id: r.id, tenant: r.tenant, phiScope: r.phiScope } : null;
    },
    async handle(tx, { who }, req) {
      const { since, disclosures } = await listDisclosures(tx, cipher, who.principal.tenantId as TenantId, req.params.id, clock.now());
      return {
        patientId: req.params.id,
        since: since.toISOString(),
        disclosures: disclosures.map((d) => ({ ...d, disclosedAt: d.disclosedAt.toISOString(), downloadedAt: d.downloadedAt?.toISOString() ?? null })),
      };
    },
    auditMetadata: (r) => ({ count: r.disclosures.length, view: 'accounting' }),
  });
}
