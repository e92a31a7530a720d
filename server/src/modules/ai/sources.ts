import { WardError, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { PATIENT_PHI_FIELDS, getCall, getPatient, getTranscript, listCallsForPatient } from '../phi/index.ts';
import type { PatientFields } from './pseudonyms.ts';
import { assembleInputs, PATIENT_CALLS_MAX, type AiInputName, type AiTemplate, type AssembledInput, type InputSources } from './templates.ts';

/**
 * The declared inputs of a template on a call, read and decrypted in the caller's transaction (the
 * guard's decision for `POST /v1/ai/tasks`, the operator's for `ward ai preview`). Only the loaders of
 * the template's inputs run (R-AI-2); the patient's own PHI fields are read for pseudonymisation only.
 */
export interface CallInputs {
  inputs: Map<AiInputName, AssembledInput>;
  patient: PatientFields;
  /** The call's patient (for the date offset), or null. */
  patientId: string | null;
  phiScope: string;
}

export async function loadCallInputs(tx: Tx, cipher: FieldCipher, tenantId: TenantId, callId: string, template: AiTemplate): Promise<CallInputs> {
  const call = await getCall(tx, cipher, tenantId, callId);
  if (!call) throw new WardError('NOT_FOUND');
  let patient: PatientFields = {};
  if (call.patientId) {
    const p = await getPatient(tx, cipher, tenantId, call.patientId, { fields: PATIENT_PHI_FIELDS });
    if (p) patient = Object.fromEntries(PATIENT_PHI_FIELDS.map((f) => [f, p[f] ?? null]));
  }
  const transcript = async () => {
    const t = await getTranscript(tx, cipher, tenantId, callId);
    return { kind: 'utterances' as const, utterances: (t?.utterances ?? []).map((u) => ({ speaker: u.speaker, text: u.text })) };
  };
  const sources: InputSources = {
    'transcript.redacted': transcript,
    'transcript.full': transcript,
    'call.direction': async () => ({ kind: 'value', value: call.direction }),
    'patient.firstName': async () => ({ kind: 'value', value: patient.givenName ?? null }),
    'patient.calls.redacted': () => Promise.reject(new WardError('INTERNAL', undefined, { detail: 'ai: a call target has no patient.calls input' })),
  };
  return { inputs: await assembleInputs(template, sources), patient, patientId: call.patientId ?? null, phiScope: call.phiScope };
}

/**
 * The most recent calls of a patient with a transcript, in the caller's scope (RLS and MAC), newest
 * first, at most PATIENT_CALLS_MAX: what a patient-target task reads. Read under patient.view.
 */
export async function recentPatientCalls(tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string): Promise<Array<{ id: string; phiScope: string }>> {
  const calls = await listCallsForPatient(tx, cipher, tenantId, patientId);
  const { rows } = await tx.query<{ call_id: string }>('SELECT call_id FROM transcripts WHERE tenant_id = $1 AND call_id = ANY($2::uuid[])', [tenantId, calls.map((c) => c.id)]);
  const withTranscript = new Set(rows.map((r) => r.call_id));
  return calls
    .filter((c) => withTranscript.has(c.id))
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : 1))
    .slice(0, PATIENT_CALLS_MAX)
    .map((c) => ({ id: c.id, phiScope: c.phiScope }));
}

/**
 * The declared inputs of a patient-target template: the patient's given calls (oldest first, one
 * document so that one person is one surrogate across calls) and the patient's own fields.
 */
export async function loadPatientInputs(tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string, callIds: readonly string[], template: AiTemplate): Promise<CallInputs> {
  const p = await getPatient(tx, cipher, tenantId, patientId, { fields: PATIENT_PHI_FIELDS });
  if (!p) throw new WardError('NOT_FOUND');
  const patient: PatientFields = Object.fromEntries(PATIENT_PHI_FIELDS.map((f) => [f, p[f] ?? null]));
  const sources: InputSources = {
    'patient.calls.redacted': async () => {
      const utterances: Array<{ speaker: string; text: string }> = [];
      const ordered = [...callIds].reverse();
      for (const [i, id] of ordered.entries()) {
        const t = await getTranscript(tx, cipher, tenantId, id);
        utterances.push({ speaker: 'note', text: `call ${i + 1} of ${ordered.length}` });
        for (const u of t?.utterances ?? []) utterances.push({ speaker: u.speaker, text: u.text });
      }
      return { kind: 'utterances', utterances };
    },
    'patient.firstName': async () => ({ kind: 'value', value: patient.givenName ?? null }),
    'transcript.redacted': () => Promise.reject(new WardError('INTERNAL', undefined, { detail: 'ai: a patient target has no call input' })),
    'transcript.full': () => Promise.reject(new WardError('INTERNAL', undefined, { detail: 'ai: a patient target has no call input' })),
    'call.direction': () => Promise.reject(new WardError('INTERNAL', undefined, { detail: 'ai: a patient target has no call input' })),
  };
  return { inputs: await assembleInputs(template, sources), patient, patientId, phiScope: p.phiScope };
}
