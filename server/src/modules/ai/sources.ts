import { WardError, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { PATIENT_PHI_FIELDS, getCall, getPatient, getTranscript } from '../phi/index.ts';
import type { PatientFields } from './pseudonyms.ts';
import { assembleInputs, type AiInputName, type AiTemplate, type AssembledInput, type InputSources } from './templates.ts';

/**
 * The declared inputs of a template on a call, read and decrypted in the caller's transaction (the
 * guard's decision for `POST /v1/ai/tasks`, the operator's for `ward ai preview`). Only the loaders of
 * the template's inputs run (R-AI-2); the patient's own PHI fields are read for pseudonymisation only.
 */
export interface CallInputs {
  inputs: Map<AiInputName, AssembledInput>;
  patient: PatientFields;
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
  };
  return { inputs: await assembleInputs(template, sources), patient, phiScope: call.phiScope };
}
