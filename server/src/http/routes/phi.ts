import { Type } from '@sinclair/typebox';
import { CallListReply as CallList, CallQueueReply, CallReply, CaseNoteListReply as CaseNoteList, PhiScopeSchema, RecordingReply as RecordingMeta, TranscriptReply as TranscriptBody, WardError, type Decision, type TenantId } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  PATIENT_PHI_FIELDS, findPatientsByLookup, getQueuedCall, getRecording, getTranscript, listCallsForPatient, listRecentCalls, listCaseNotes, listPatients,
  loadResourceAttributes, loadSealedPatient, openPatient, parseByteRange, readRecordingRange, writeCaseNote, type PatientLookupQuery, type PatientPhiField, type ResourceType, type SealedPatient,
} from '../../modules/phi/index.ts';
import { createStreamRedactor, redactOrMaskAll, renderForObligations } from '../../modules/redaction/index.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { IdParams, tenantOf } from './common.ts';

/**
 * The PHI read API (R-AUTHZ-3, R-DATA-3). Every route goes through the enforcement point with its
 * Cedar action; the response schemas list the only fields that leave; only the fields a response
 * carries are decrypted, minus those the decision masks (minimum necessary by default).
 */
const Id = Type.String({ format: 'uuid' });
const Scope = PhiScopeSchema;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const PatientListItem = Type.Object({ id: Id, phiScope: Scope, sex: Nullable(Type.String()), state: Nullable(Type.String()) }, { additionalProperties: false });
const PatientList = Type.Object({ patients: Type.Array(PatientListItem), next: Nullable(Type.String()) }, { additionalProperties: false });

// Fields of patient.view; those the decision masks are decrypted for no one and listed in `masked`.
const VIEW_FIELDS: readonly PatientPhiField[] = ['mrn', 'memberNumber', 'givenName', 'familyName', 'dateOfBirth', 'phone', 'email', 'addressLine', 'city', 'zip', 'ssn'];
const SENSITIVE_FIELDS: readonly PatientPhiField[] = ['ssn', 'dateOfBirth', 'addressLine', 'city', 'zip'];

const fieldProps = Object.fromEntries(PATIENT_PHI_FIELDS.map((f) => [f, Type.Optional(Nullable(Type.String()))]));
const PatientView = Type.Object(
  { id: Id, phiScope: Scope, sex: Nullable(Type.String()), state: Nullable(Type.String()), ...fieldProps, masked: Type.Array(Type.String()) },
  { additionalProperties: false },
);

const CaseNoteInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }), callId: Type.Optional(Id) }, { additionalProperties: false });
const CaseNoteCreated = Type.Object({ id: Id, createdAt: Type.String() }, { additionalProperties: false });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function maskedFields(decision: Decision): Set<PatientPhiField> {
  const out = new Set<PatientPhiField>();
  // Field names in policies/masks.json are the PHI layer's field names; a name it does not know is a
  // misconfiguration, and masks every field (fail closed).
  for (const name of decision.obligations.maskFields ?? []) {
    if (!PATIENT_PHI_FIELDS.includes(name as PatientPhiField)) return new Set(PATIENT_PHI_FIELDS);
    out.add(name as PatientPhiField);
  }
  return out;
}

/** A note body as the decision allows it: its masks applied to the spans found; a redaction failure masks all. */
function renderNote(body: string, decision: Decision): string {
  if (!decision.obligations.maskFields?.length) return body;
  const r = redactOrMaskAll(body);
  return r.failedClosed ? r.text : renderForObligations(body, r.spans, decision);
}

/** The resource of a PHI route, loaded without decrypting anything; hidden rows are null (404). */
async function loadAs(tx: Parameters<typeof loadResourceAttributes>[0], tenant: string, type: ResourceType, id: string, as?: string): Promise<ResourceRef | null> {
  const r = await loadResourceAttributes(tx, tenant as TenantId, type, id);
  return r ? { type: as ?? r.type, id: r.id, tenant: r.tenant, phiScope: r.phiScope } : null;
}

/** The one identifier of a search body (its schema admits exactly one). */
function lookupOf(body: { mrn?: string; phone?: string; memberNumber?: string }): PatientLookupQuery {
  if (body.mrn !== undefined) return { mrn: body.mrn };
  if (body.phone !== undefined) return { phone: body.phone };
  if (body.memberNumber !== undefined) return { memberNumber: body.memberNumber };
  throw new WardError('BAD_REQUEST', 'Give exactly one of mrn, phone or memberNumber.');
}

export function phiRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const { cipher } = deps;

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/patients',
    action: 'patient.list',
    decidePerScope: true,
    rateLimited: true,
    schema: {
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), after: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: PatientList },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, { who }, req) {
      const limit = req.query.limit ?? 50;
      const rows = await listPatients(tx, cipher, who.principal.tenantId, { limit, after: req.query.after });
      return {
        patients: rows.map((p) => ({ id: p.id, phiScope: p.phiScope, sex: p.sex, state: p.state })),
        next: rows.length === limit ? rows[rows.length - 1]!.id : null,
      };
    },
    auditMetadata: (r) => ({ count: r.patients.length }),
  });

  // The agent's screen pop: exact match on MRN, phone or member number through blind indexes. The
  // identifier travels in a POST body, never in the URL: proxies and load balancers log query
  // strings (R-DATA-4).
  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/patients/search',
    action: 'patient.list',
    decidePerScope: true,
    rateLimited: true,
    schema: {
      body: Type.Object(
        { mrn: Type.Optional(Type.String({ maxLength: 64 })), phone: Type.Optional(Type.String({ maxLength: 64 })), memberNumber: Type.Optional(Type.String({ maxLength: 64 })) },
        { additionalProperties: false, minProperties: 1, maxProperties: 1 },
      ),
      response: { 200: PatientList },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, { who }, req) {
      const rows = await findPatientsByLookup(tx, cipher, who.principal.tenantId, lookupOf(req.body));
      return { patients: rows.map((p) => ({ id: p.id, phiScope: p.phiScope, sex: p.sex, state: p.state })), next: null };
    },
    auditMetadata: (r) => ({ count: r.patients.length }),
  });

  // The patient views load the row with its fields sealed (one statement for the decision and the
  // answer); the handler decrypts the shown fields of that very row, and only after an allow.
  const sealedOf = new WeakMap<object, SealedPatient>();
  const patientRoute = (url: string, action: 'patient.view' | 'patient.viewSensitive', fields: readonly PatientPhiField[]) =>
    enforcedRoute(app, deps, {
      method: 'GET',
      url,
      action,
      schema: { params: IdParams, response: { 200: PatientView } },
      target: (req) => ({ type: 'Patient', id: req.params.id }),
      async load(tx, req, who) {
        const sealed = await loadSealedPatient(tx, who.principal.tenantId, req.params.id);
        if (!sealed) return null;
        sealedOf.set(req, sealed);
        const { type, id, tenant, phiScope } = sealed.attributes;
        return { type, id, tenant, phiScope };
      },
      async handle(_tx, { who, decision }, req) {
        const masked = maskedFields(decision);
        const shown = fields.filter((f) => !masked.has(f));
        const sealed = sealedOf.get(req);
        if (!sealed) throw new WardError('NOT_FOUND');
        const p = await openPatient(cipher, who.principal.tenantId, sealed, { fields: shown });
        const out: Record<string, unknown> = { id: p.id, phiScope: p.phiScope, sex: p.sex, state: p.state, masked: fields.filter((f) => masked.has(f)) };
        for (const f of shown) out[f] = p[f] ?? null;
        return out;
      },
      auditMetadata: (r) => ({ fields: (r as { masked: string[] }).masked.length ? `masked:${(r as { masked: string[] }).masked.join(',')}` : 'all' }),
    });
  patientRoute('/v1/patients/:id', 'patient.view', VIEW_FIELDS);
  patientRoute('/v1/patients/:id/sensitive', 'patient.viewSensitive', SENSITIVE_FIELDS);

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/patients/:id/calls',
    action: 'patient.view',
    schema: { params: IdParams, response: { 200: CallList } },
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Patient', req.params.id),
    async handle(tx, { who }, req) {
      const calls = await listCallsForPatient(tx, cipher, who.principal.tenantId, req.params.id);
      return {
        calls: calls.map((c) => ({ id: c.id, patientId: c.patientId, phiScope: c.phiScope, direction: c.direction, handledBy: c.handledBy, startedAt: c.startedAt.toISOString(), endedAt: iso(c.endedAt) })),
      };
    },
    auditMetadata: (r) => ({ count: r.calls.length }),
  });

  // Case notes (R-DATA-3): under patient.view their bodies go through the redaction engine and are
  // masked like the patient view (the same decision's obligations; failing closed per note, R-AI-7);
  // the full text is caseNote.readFull, a sensitive-field view (step-up and justification).
  // The agent's call queue (R-UX-1): recent calls, decided once per PHI scope on the list action;
  // row-level security keeps the rows to the caller's tenant and scopes. Ids and times only.
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/calls',
    action: 'patient.list',
    decidePerScope: true,
    schema: {
      summary: "The agent's call queue: recent calls, newest first (ids and times, no PHI)",
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
      response: { 200: CallQueueReply },
    },
    load: async (_tx, _req, who) => tenantOf(who),
    async handle(tx, { who }, req) {
      const calls = await listRecentCalls(tx, who.principal.tenantId, { limit: req.query.limit ?? 50 });
      return {
        calls: calls.map((c) => ({
          id: c.id, patientId: c.patientId, phiScope: c.phiScope, direction: c.direction, handledBy: c.handledBy, startedAt: c.startedAt.toISOString(), endedAt: iso(c.endedAt), recordingId: c.recordingId,
        })),
      };
    },
    auditMetadata: (r) => ({ count: r.calls.length }),
  });

  // One call of the queue (R-UX-1): the screen pop's address works for any call the caller may read,
  // not only the recent ones. Ids and times only, decided as the least the screen pop shows of a call:
  // transcript.readRedacted on it (its tenant and PHI scope; row-level security hides the others: 404).
  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/calls/:id',
    action: 'transcript.readRedacted',
    schema: { summary: 'One call for its screen pop (ids and times, no PHI)', params: IdParams, response: { 200: CallReply } },
    target: (req) => ({ type: 'Call', id: req.params.id }),
    load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Call', req.params.id),
    async handle(tx, { who }, req) {
      const c = await getQueuedCall(tx, who.principal.tenantId, req.params.id);
      if (!c) throw new WardError('NOT_FOUND');
      return { id: c.id, patientId: c.patientId, phiScope: c.phiScope, direction: c.direction, handledBy: c.handledBy, startedAt: c.startedAt.toISOString(), endedAt: iso(c.endedAt), recordingId: c.recordingId };
    },
  });

  const caseNoteRoute = (url: string, action: 'patient.view' | 'caseNote.readFull', view: 'masked' | 'full') =>
    enforcedRoute(app, deps, {
      method: 'GET',
      url,
      action,
      schema: { params: IdParams, response: { 200: CaseNoteList } },
      target: (req) => ({ type: 'Patient', id: req.params.id }),
      load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Patient', req.params.id),
      async handle(tx, { who, decision }, req) {
        const notes = await listCaseNotes(tx, cipher, who.principal.tenantId, req.params.id, { includeBody: true });
        return {
          view,
          notes: notes.map((n) => ({
            id: n.id, patientId: n.patientId, callId: n.callId, authorId: n.authorId, createdAt: n.createdAt.toISOString(), body: renderNote(n.body ?? '', decision),
          })),
        };
      },
      auditMetadata: (r) => ({ view: r.view, count: r.notes.length }),
    });
  caseNoteRoute('/v1/patients/:id/case-notes', 'patient.view', 'masked');
  caseNoteRoute('/v1/patients/:id/case-notes/full', 'caseNote.readFull', 'full');

  enforcedRoute(app, deps, {
    method: 'POST',
    url: '/v1/patients/:id/case-notes',
    action: 'caseNote.write',
    schema: { params: IdParams, body: CaseNoteInput, response: { 201: CaseNoteCreated } },
    status: 201,
    target: (req) => ({ type: 'Patient', id: req.params.id }),
    load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Patient', req.params.id),
    async handle(tx, { who }, req) {
      const input = req.body;
      const note = await writeCaseNote(tx, cipher, who.principal.tenantId, { patientId: req.params.id, callId: input.callId ?? null, authorId: who.principal.id, body: input.body });
      return { id: note.id, createdAt: note.createdAt.toISOString() };
    },
  });

  // Transcripts: redacted by default (the redaction engine, failing closed per utterance, R-AI-7);
  // the full text with transcript.read and a recent verification.
  const transcriptRoute = (url: string, action: 'transcript.readRedacted' | 'transcript.read', view: 'redacted' | 'full') =>
    enforcedRoute(app, deps, {
      method: 'GET',
      url,
      action,
      schema: { params: IdParams, response: { 200: TranscriptBody } },
      target: (req) => ({ type: 'Call', id: req.params.id }),
      load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Call', req.params.id),
      async handle(tx, { who, decision }, req) {
        const t = await getTranscript(tx, cipher, who.principal.tenantId, req.params.id);
        if (!t) throw new WardError('NOT_FOUND');
        const redactor = view === 'redacted' ? createStreamRedactor({ pseudonyms: true }) : null;
        // A full view may still carry masks (e.g. a service's): spans found once, with context across utterances.
        const masker = !redactor && decision.obligations.maskFields?.length ? createStreamRedactor({ pseudonyms: false }) : null;
        return {
          callId: t.callId,
          view,
          utterances: t.utterances.map((u) => {
            let text = u.text;
            if (redactor) text = redactor.push({ speaker: u.speaker, text }).text;
            else if (masker) {
              const r = masker.push({ speaker: u.speaker, text });
              text = r.failedClosed ? r.text : renderForObligations(u.text, r.spans, decision);
            }
            return { seq: u.seq, speaker: u.speaker, startMs: u.startMs, endMs: u.endMs, text };
          }),
        };
      },
      auditMetadata: (r) => ({ view: r.view, utterances: r.utterances.length }),
    });
  transcriptRoute('/v1/calls/:id/transcript', 'transcript.readRedacted', 'redacted');
  transcriptRoute('/v1/calls/:id/transcript/full', 'transcript.read', 'full');

  enforcedRoute(app, deps, {
    method: 'GET',
    url: '/v1/recordings/:id',
    action: 'recording.listen',
    schema: { params: IdParams, response: { 200: RecordingMeta } },
    target: (req) => ({ type: 'Recording', id: req.params.id }),
    load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Recording', req.params.id),
    async handle(tx, { who }, req) {
      const r = await getRecording(tx, who.principal.tenantId, req.params.id);
      if (!r) throw new WardError('NOT_FOUND');
      return { id: r.id, callId: r.callId, phiScope: r.phiScope, format: r.format, durationMs: r.durationMs, byteLength: r.byteLength };
    },
  });

  // Audio through the enforced route only (no bearer links), with byte ranges (RFC 9110 §14).
  enforcedRoute(app, deps, {
      method: 'GET',
      url: '/v1/recordings/:id/audio',
      action: 'recording.listen',
      schema: { params: IdParams },
      target: (req) => ({ type: 'Recording', id: req.params.id }),
      load: (tx, req, who) => loadAs(tx, who.principal.tenantId, 'Recording', req.params.id),
      async handle(tx, { who }, req) {
        const r = await getRecording(tx, who.principal.tenantId, req.params.id);
        if (!r || r.byteLength === 0) throw new WardError('NOT_FOUND');
        const header = typeof req.headers.range === 'string' ? req.headers.range : undefined;
        const range = parseByteRange(header, r.byteLength);
        if (!range) throw new WardError('RANGE_NOT_SATISFIABLE');
        const body = await readRecordingRange(tx, cipher, who.principal.tenantId, r, range);
        return { body, range, size: r.byteLength, format: r.format, partial: header !== undefined };
      },
      auditMetadata: (r) => ({ bytes: r.body.length, from: r.range.start }),
      reply: (reply, r) => {
        reply.header('content-type', r.format).header('accept-ranges', 'bytes');
        if (r.partial) reply.status(206).header('content-range', `bytes ${r.range.start}-${r.range.end}/${r.size}`);
        return r.body;
      },
    });
}
