/**
 * The PHI data-access layer (R-DATA-1, R-DATA-3, R-DATA-4): typed reads and writes of encrypted
 * patient records, calls, transcripts, recordings and case notes. Call these inside `db.scoped`
 * AFTER an allowing decision; row-level security filters rows, and only the fields a response
 * carries are decrypted. README.md documents the API.
 */
export type {
  ResourceAttributes, ResourceType, Patient, PatientSummary, CallSummary, Utterance, Transcript, RecordingInfo, ByteRange, CaseNote,
} from './types.ts';
export {
  PATIENT_PHI_FIELDS, PATIENT_LOOKUPS, patientRef, callFromNumberRef, utteranceRef, chunkRef, draftBodyRef, caseNoteBodyRef,
  type PatientPhiField, type PatientLookup,
} from './fields.ts';
export { rotateTenantDataKey, type RotationOptions, type RotationProgress, type RotationResult } from './rotation.ts';
export {
  getPatient, findPatientsByLookup, listPatients, loadSealedPatient, openPatient, type PatientLookupQuery, type PatientFieldsOption, type ListPatientsOptions, type SealedPatient,
} from './patients.ts';
export {
  getCall, getQueuedCall, listCallsForPatient, listRecentCalls, findCallsByCallerPhone, getTranscript, getRecording, parseByteRange, readRecordingAudio, readRecordingRange,
  listCaseNotes, writeCaseNote, type CallOptions,
} from './records.ts';
export { loadResourceAttributes } from './resources.ts';
export { callAgentOf, recordCallStarted, recordRecordingReady, recordTranscriptReady, type CallStarted } from './call-events.ts';
