/** Shapes returned by the PHI data-access layer (R-DATA-1, R-DATA-3). PHI appears only where asked. */
import type { PhiScope } from '@ward/contracts';
import type { PatientPhiField } from './fields.ts';

/** What the policy decision needs about a resource: loaded without decrypting anything. */
export interface ResourceAttributes {
  type: ResourceType;
  id: string;
  tenant: string;
  phiScope: PhiScope;
}
export type ResourceType = 'Patient' | 'Call' | 'Recording' | 'Transcript' | 'AiDraft' | 'CaseNote';

/** The non-PHI part of a patient: always safe to return once the row is visible. */
export interface PatientSummary {
  id: string;
  tenantId: string;
  phiScope: PhiScope;
  sex: 'F' | 'M' | 'X' | null;
  state: string | null;
  createdAt: Date;
}

/** A patient with only the requested PHI fields decrypted (the others are absent, not empty). */
export type Patient = PatientSummary & { [F in PatientPhiField]?: string | null };

export interface CallSummary {
  id: string;
  tenantId: string;
  phiScope: PhiScope;
  patientId: string | null;
  direction: 'inbound' | 'outbound';
  handledBy: 'agent' | 'ai_agent';
  startedAt: Date;
  endedAt: Date | null;
  /** Decrypted only with `{ includeFromNumber: true }`. */
  fromNumber?: string | null;
}

export interface Utterance {
  id: string;
  seq: number;
  speaker: 'agent' | 'caller' | 'ai_agent';
  startMs: number;
  endMs: number;
  text: string;
}

export interface Transcript {
  id: string;
  callId: string;
  tenantId: string;
  phiScope: PhiScope;
  language: string;
  deidentifiedAt: Date | null;
  utterances: Utterance[];
}

export interface RecordingInfo {
  id: string;
  callId: string;
  tenantId: string;
  phiScope: PhiScope;
  format: string;
  durationMs: number;
  /** Plaintext length of the audio in bytes (0 when no audio is stored). */
  byteLength: number;
  chunkBytes: number;
}

/** An inclusive byte range, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface CaseNote {
  id: string;
  tenantId: string;
  phiScope: PhiScope;
  patientId: string;
  callId: string | null;
  authorId: string;
  createdAt: Date;
  deidentifiedAt: Date | null;
  /** Decrypted only with `{ includeBody: true }`. */
  body?: string;
}
