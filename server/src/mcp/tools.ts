import { Type, type Static, type TObject } from '@sinclair/typebox';
import {
  callSummary, CALLBACK_REASONS, findPatientOnCall, getAppointments, requestCallback, transferToHuman, TRANSFER_REASONS, verifyCaller,
  type ToolContext,
} from '../modules/voice/index.ts';
import { AGENT_NOTE_MAX_CHARS, draftFromAgent } from '../modules/ai/index.ts';

/**
 * The voice agent's tools → Cedar actions, as data (R-AI-6, docs/mcp.md). Each tool is one guarded
 * call into modules/voice on the Call named by `callId` (the resource Cedar decides on); a tool that
 * names a patient (`patientHandle`) is also decided on whether that patient is the call's
 * (`mcp-call-binding`). `draft_case_note` leaves a pending draft through the AI gateway's output
 * controls; only a person's review makes it a case note (R-AI-5, docs/ai.md).
 */
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const CallId = Type.String({ pattern: UUID, description: 'The call id from the voice platform\'s signed call-started webhook.' });
const PatientHandle = Type.String({ pattern: UUID, description: 'The opaque patient handle find_patient returned.' });
const strict = { additionalProperties: false } as const;

export interface ToolSpec<S extends TObject = TObject> {
  name: string;
  action: string;
  description: string;
  input: S;
  /** The patient the call names, decided as `patientOnCall` (R-AI-6). */
  patientOf?: (args: Static<S>) => string;
  /** Returns PHI: decided with `agentVendorBaa`, whether the agent's AI vendor has a BAA in force (R-AI-3, `mcp-vendor-baa`). */
  phi?: true;
  run(c: ToolContext, args: Static<S>): Promise<Record<string, unknown>>;
}

const tool = <S extends TObject>(t: ToolSpec<S>): ToolSpec => t as unknown as ToolSpec;

export const TOOLS: readonly ToolSpec[] = [
  tool({
    name: 'find_patient',
    action: 'mcp.findPatient',
    description: 'Find the caller of this call by phone (E.164 or digits) and date of birth (YYYY-MM-DD); returns a masked match and an opaque handle, or {"match": null}.',
    input: Type.Object({ callId: CallId, phone: Type.String({ pattern: '^\\+?[0-9 ().-]{7,20}$' }), dateOfBirth: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, strict),
    phi: true,
    run: (c, a) => findPatientOnCall(c, a),
  }),
  tool({
    name: 'verify_caller',
    action: 'mcp.verifyCaller',
    description: 'Verify the caller as the patient found on this call by the postal code they state. Locked after 3 failed attempts on one call.',
    input: Type.Object({ callId: CallId, patientHandle: PatientHandle, zip: Type.String({ pattern: '^[A-Za-z0-9 -]{3,10}$' }) }, strict),
    patientOf: (a) => a.patientHandle,
    run: (c, a) => verifyCaller(c, a),
  }),
  tool({
    name: 'get_appointments',
    action: 'mcp.getAppointments',
    description: 'The verified caller\'s upcoming appointments (times, lengths and kinds).',
    input: Type.Object({ callId: CallId, patientHandle: PatientHandle }, strict),
    patientOf: (a) => a.patientHandle,
    phi: true,
    run: (c, a) => getAppointments(c, a),
  }),
  tool({
    name: 'request_callback',
    action: 'mcp.requestCallback',
    description: 'Ask for a person to call the verified caller back, for one of a fixed list of reasons.',
    input: Type.Object({ callId: CallId, patientHandle: PatientHandle, reason: Type.Union(CALLBACK_REASONS.map((r) => Type.Literal(r))) }, strict),
    patientOf: (a) => a.patientHandle,
    run: (c, a) => requestCallback(c, a),
  }),
  tool({
    name: 'get_call_summary',
    action: 'mcp.getCallSummary',
    description: 'A redacted summary of this call so far: whether the caller was identified and verified, callbacks requested. No names, numbers or free text.',
    input: Type.Object({ callId: CallId }, strict),
    run: (c) => callSummary(c),
  }),
  tool({
    name: 'draft_case_note',
    action: 'mcp.draftCaseNote',
    description: 'Draft a case note about this call for the caller found on it. The draft is pseudonymised, scanned and kept pending until a person reviews it; it is never written to the record directly. Returns the draft id and status.',
    input: Type.Object({ callId: CallId, patientHandle: PatientHandle, note: Type.String({ minLength: 1, maxLength: AGENT_NOTE_MAX_CHARS }) }, strict),
    patientOf: (a) => a.patientHandle,
    run: (c, a) => draftFromAgent(c.tx, c.cipher, { tenantId: c.tenantId, callId: c.call.id, phiScope: c.call.phiScope!, patientId: a.patientHandle, agentId: c.agentId, note: a.note }).then((r) => ({ ...r })),
  }),
  tool({
    name: 'transfer_to_human',
    action: 'mcp.transferToHuman',
    description: 'Hand this call to a person. The agent\'s tools stop working on the call.',
    input: Type.Object({ callId: CallId, reason: Type.Union(TRANSFER_REASONS.map((r) => Type.Literal(r))) }, strict),
    run: (c, a) => transferToHuman(c, a),
  }),
];

export const TOOLS_BY_NAME: ReadonlyMap<string, ToolSpec> = new Map(TOOLS.map((t) => [t.name, t]));
