/**
 * Calls, transcripts, recordings and case notes (R-DATA-1, R-DATA-3): inside `db.scoped`, after an
 * allowing decision. Row-level security decides what exists (hidden → null, the caller answers
 * 404); PHI is decrypted only for what the response carries.
 */
import { randomUUID } from 'node:crypto';
import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { callFromNumberRef, caseNoteBodyRef, chunkRef, utteranceRef } from './fields.ts';
import type { ByteRange, CallSummary, CaseNote, RecordingInfo, Transcript } from './types.ts';

const bytes = (v: unknown) => Buffer.from(v as Uint8Array);

interface CallRow {
  id: string; tenant_id: string; phi_scope: PhiScope; patient_id: string | null; direction: CallSummary['direction'];
  handled_by: CallSummary['handledBy']; started_at: Date; ended_at: Date | null; from_number_enc: Uint8Array | null;
}

async function toCall(cipher: FieldCipher, tenantId: TenantId, r: CallRow, includeFromNumber: boolean): Promise<CallSummary> {
  const call: CallSummary = {
    id: r.id, tenantId: r.tenant_id, phiScope: r.phi_scope, patientId: r.patient_id, direction: r.direction, handledBy: r.handled_by,
    startedAt: new Date(r.started_at), endedAt: r.ended_at ? new Date(r.ended_at) : null,
  };
  if (includeFromNumber) {
    call.fromNumber = r.from_number_enc ? await cipher.decryptPlaintextString(tenantId, callFromNumberRef(r.id), bytes(r.from_number_enc)) : null;
  }
  return call;
}

export interface CallOptions {
  /** Decrypt the caller's number (default: not decrypted, not returned). */
  includeFromNumber?: boolean;
  /** Page size 1–200 (default 50), newest first. */
  limit?: number;
}

const CALLS_FOR_PATIENT = `SELECT id, tenant_id, phi_scope, patient_id, direction, handled_by, started_at, ended_at, from_number_enc
  FROM calls WHERE tenant_id = $1 AND patient_id = $2 ORDER BY started_at DESC, id LIMIT $3`;
const CALL_BY_ID = `SELECT id, tenant_id, phi_scope, patient_id, direction, handled_by, started_at, ended_at, from_number_enc
  FROM calls WHERE tenant_id = $1 AND id = $2`;
const CALLS_BY_CALLER = `SELECT id, tenant_id, phi_scope, patient_id, direction, handled_by, started_at, ended_at, from_number_enc
  FROM calls WHERE tenant_id = $1 AND from_number_bidx = ANY ($2::bytea[]) ORDER BY started_at DESC, id LIMIT $3`;

function pageSize(limit = 50): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new WardError('BAD_REQUEST', 'The page size must be between 1 and 200.');
  return limit;
}

export async function listCallsForPatient(tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string, opts: CallOptions = {}): Promise<CallSummary[]> {
  const { rows } = await tx.query<CallRow>(CALLS_FOR_PATIENT, [tenantId, patientId, pageSize(opts.limit)]);
  return Promise.all(rows.map((r) => toCall(cipher, tenantId, r, opts.includeFromNumber ?? false)));
}

export async function getCall(tx: Tx, cipher: FieldCipher, tenantId: TenantId, callId: string, opts: CallOptions = {}): Promise<CallSummary | null> {
  const { rows } = await tx.query<CallRow>(CALL_BY_ID, [tenantId, callId]);
  return rows[0] ? toCall(cipher, tenantId, rows[0], opts.includeFromNumber ?? false) : null;
}

const RECENT_CALLS = `SELECT c.id, c.tenant_id, c.phi_scope, c.patient_id, c.direction, c.handled_by, c.started_at, c.ended_at,
    (SELECT r.id FROM recordings r WHERE r.tenant_id = c.tenant_id AND r.call_id = c.id ORDER BY r.id LIMIT 1) AS recording_id
  FROM calls c WHERE c.tenant_id = $1 ORDER BY c.started_at DESC, c.id LIMIT $2`;

/** The agent's queue: the tenant's most recent calls that row-level security shows, with their recording's id; nothing decrypted. */
export async function listRecentCalls(tx: Tx, tenantId: TenantId, opts: { limit?: number } = {}): Promise<Array<Omit<CallSummary, 'fromNumber'> & { recordingId: string | null }>> {
  const { rows } = await tx.query<CallRow & { recording_id: string | null }>(RECENT_CALLS, [tenantId, pageSize(opts.limit)]);
  return rows.map((r) => ({
    id: r.id, tenantId: r.tenant_id, phiScope: r.phi_scope, patientId: r.patient_id, direction: r.direction, handledBy: r.handled_by,
    startedAt: new Date(r.started_at), endedAt: r.ended_at ? new Date(r.ended_at) : null, recordingId: r.recording_id,
  }));
}

/** One call as the queue lists it (its screen pop's address, R-UX-1): ids and times, its recording's id; nothing decrypted. */
export async function getQueuedCall(tx: Tx, tenantId: TenantId, callId: string): Promise<(Omit<CallSummary, 'fromNumber'> & { recordingId: string | null }) | null> {
  const { rows } = await tx.query<CallRow & { recording_id: string | null }>(QUEUED_CALL, [tenantId, callId]);
  const r = rows[0];
  return r ? {
    id: r.id, tenantId: r.tenant_id, phiScope: r.phi_scope, patientId: r.patient_id, direction: r.direction, handledBy: r.handled_by,
    startedAt: new Date(r.started_at), endedAt: r.ended_at ? new Date(r.ended_at) : null, recordingId: r.recording_id,
  } : null;
}

const QUEUED_CALL = `SELECT c.id, c.tenant_id, c.phi_scope, c.patient_id, c.direction, c.handled_by, c.started_at, c.ended_at,
    (SELECT r.id FROM recordings r WHERE r.tenant_id = c.tenant_id AND r.call_id = c.id ORDER BY r.id LIMIT 1) AS recording_id
  FROM calls c WHERE c.tenant_id = $1 AND c.id = $2`;

/** Earlier calls from the same number (screen pop), through the calls' blind index; exact match. */
export async function findCallsByCallerPhone(tx: Tx, cipher: FieldCipher, tenantId: TenantId, phone: string, opts: CallOptions = {}): Promise<CallSummary[]> {
  const candidates = await cipher.blindIndexCandidates(tenantId, 'phone', phone);
  const { rows } = await tx.query<CallRow>(CALLS_BY_CALLER, [tenantId, candidates, pageSize(opts.limit)]);
  return Promise.all(rows.map((r) => toCall(cipher, tenantId, r, opts.includeFromNumber ?? false)));
}

const TRANSCRIPT_FOR_CALL = `SELECT id, call_id, tenant_id, phi_scope, language, deidentified_at FROM transcripts WHERE tenant_id = $1 AND call_id = $2`;
const UTTERANCES = `SELECT id, seq, speaker, start_ms, end_ms, text_enc FROM utterances WHERE tenant_id = $1 AND transcript_id = $2 ORDER BY seq`;

/** The transcript of a call with every utterance decrypted, or null when hidden or absent. */
export async function getTranscript(tx: Tx, cipher: FieldCipher, tenantId: TenantId, callId: string): Promise<Transcript | null> {
  const { rows } = await tx.query<{ id: string; call_id: string; tenant_id: string; phi_scope: PhiScope; language: string; deidentified_at: Date | null }>(
    TRANSCRIPT_FOR_CALL,
    [tenantId, callId],
  );
  const t = rows[0];
  if (!t) return null;
  const u = await tx.query<{ id: string; seq: number; speaker: 'agent' | 'caller' | 'ai_agent'; start_ms: number; end_ms: number; text_enc: Uint8Array }>(UTTERANCES, [tenantId, t.id]);
  const utterances = await Promise.all(
    u.rows.map(async (r) => ({
      id: r.id, seq: r.seq, speaker: r.speaker, startMs: r.start_ms, endMs: r.end_ms,
      text: await cipher.decryptPlaintextString(tenantId, utteranceRef(r.id), bytes(r.text_enc)),
    })),
  );
  return {
    id: t.id, callId: t.call_id, tenantId: t.tenant_id, phiScope: t.phi_scope, language: t.language,
    deidentifiedAt: t.deidentified_at ? new Date(t.deidentified_at) : null, utterances,
  };
}

const RECORDING = `SELECT id, call_id, tenant_id, phi_scope, format, duration_ms, byte_length, chunk_bytes FROM recordings WHERE tenant_id = $1 AND id = $2`;
const CHUNKS = `SELECT chunk_index, audio_enc FROM recording_chunks
  WHERE tenant_id = $1 AND recording_id = $2 AND chunk_index BETWEEN $3 AND $4 ORDER BY chunk_index`;

/** A recording's metadata (no audio, nothing decrypted), or null when hidden. */
export async function getRecording(tx: Tx, tenantId: TenantId, recordingId: string): Promise<RecordingInfo | null> {
  const { rows } = await tx.query<{ id: string; call_id: string; tenant_id: string; phi_scope: PhiScope; format: string; duration_ms: number; byte_length: string | number | null; chunk_bytes: number }>(
    RECORDING,
    [tenantId, recordingId],
  );
  const r = rows[0];
  return r
    ? { id: r.id, callId: r.call_id, tenantId: r.tenant_id, phiScope: r.phi_scope, format: r.format, durationMs: r.duration_ms, byteLength: Number(r.byte_length ?? 0), chunkBytes: r.chunk_bytes }
    : null;
}

/**
 * Parses an HTTP `Range` header value for a body of `size` bytes (RFC 9110 §14.1.2: one range;
 * `bytes=a-b`, `bytes=a-`, `bytes=-n`). Undefined → the whole body; RANGE_NOT_SATISFIABLE is the
 * caller's 416 when it returns null.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (size <= 0) return null;
  if (header === undefined) return { start: 0, end: size - 1 };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n > 0 ? { start: Math.max(0, size - n), end: size - 1 } : null;
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end && start < size ? { start, end } : null;
}

/**
 * The decrypted audio of `range` (inclusive), chunk by chunk, reading only the chunks it overlaps,
 * a few per statement. The generator uses `tx`: consume it inside the same `db.scoped` callback.
 * A missing chunk fails closed (DECRYPT_FAILED) rather than returning a shorter body.
 */
export async function* readRecordingAudio(tx: Tx, cipher: FieldCipher, tenantId: TenantId, recording: RecordingInfo, range: ByteRange): AsyncGenerator<Buffer> {
  if (range.start < 0 || range.end < range.start || range.end >= recording.byteLength) throw new WardError('BAD_REQUEST', 'The byte range is outside the recording.');
  const first = Math.floor(range.start / recording.chunkBytes);
  const last = Math.floor(range.end / recording.chunkBytes);
  const PER_STATEMENT = 8;
  for (let from = first; from <= last; from += PER_STATEMENT) {
    const to = Math.min(last, from + PER_STATEMENT - 1);
    const { rows } = await tx.query<{ chunk_index: number; audio_enc: Uint8Array }>(CHUNKS, [tenantId, recording.id, from, to]);
    if (rows.length !== to - from + 1) throw new WardError('DECRYPT_FAILED', `Recording ${recording.id} is missing audio chunks.`);
    for (const row of rows) {
      const plain = await cipher.decryptPlaintext(tenantId, chunkRef(recording.id, row.chunk_index), bytes(row.audio_enc));
      const offset = row.chunk_index * recording.chunkBytes;
      yield plain.subarray(Math.max(0, range.start - offset), Math.min(plain.length, range.end - offset + 1));
    }
  }
}

/** Convenience for small ranges: the whole range in one Buffer. */
export async function readRecordingRange(tx: Tx, cipher: FieldCipher, tenantId: TenantId, recording: RecordingInfo, range: ByteRange): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of readRecordingAudio(tx, cipher, tenantId, recording, range)) parts.push(part);
  return Buffer.concat(parts);
}

interface NoteRow {
  id: string; tenant_id: string; phi_scope: PhiScope; patient_id: string; call_id: string | null; author_id: string;
  created_at: Date; deidentified_at: Date | null; body_enc: Uint8Array;
}
const NOTES = `SELECT id, tenant_id, phi_scope, patient_id, call_id, author_id, created_at, deidentified_at, body_enc
  FROM case_notes WHERE tenant_id = $1 AND patient_id = $2 ORDER BY created_at DESC, id LIMIT $3`;

/** A patient's case notes, newest first; bodies decrypted only with `{ includeBody: true }`. */
export async function listCaseNotes(
  tx: Tx,
  cipher: FieldCipher,
  tenantId: TenantId,
  patientId: string,
  opts: { includeBody?: boolean; limit?: number } = {},
): Promise<CaseNote[]> {
  const { rows } = await tx.query<NoteRow>(NOTES, [tenantId, patientId, pageSize(opts.limit)]);
  return Promise.all(
    rows.map(async (r) => {
      const note: CaseNote = {
        id: r.id, tenantId: r.tenant_id, phiScope: r.phi_scope, patientId: r.patient_id, callId: r.call_id, authorId: r.author_id,
        createdAt: new Date(r.created_at), deidentifiedAt: r.deidentified_at ? new Date(r.deidentified_at) : null,
      };
      if (opts.includeBody) note.body = await cipher.decryptPlaintextString(tenantId, caseNoteBodyRef(r.id), bytes(r.body_enc));
      return note;
    }),
  );
}

// The note takes its patient's tenant and scope from the patient row itself (visible to this
// transaction, or nothing is inserted). A call, when named, must be a call of that patient visible to
// this transaction (same tenant and scope), or nothing is inserted; the composite foreign key
// case_notes_call_of_patient (migration 0013) refuses any other combination in the database too.
const INSERT_NOTE = `INSERT INTO case_notes (id, tenant_id, phi_scope, patient_id, call_id, author_id, body_enc, ai_draft_id)
  SELECT $3, p.tenant_id, p.phi_scope, p.id, $4, $5, $6, $7 FROM patients p WHERE p.tenant_id = $1 AND p.id = $2
     AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM calls c
           WHERE c.tenant_id = p.tenant_id AND c.id = $4::uuid AND c.patient_id = p.id AND c.phi_scope = p.phi_scope))
  RETURNING id, phi_scope, created_at`;

/**
 * Writes a case note, its body encrypted (R-DATA-1). NOT_FOUND when the patient is not visible, or
 * when the named call is not a visible call of that patient.
 * The tenant must have keys already (provisioned at creation): on the embedded engine no key can be
 * created while a transaction is open.
 */
export async function writeCaseNote(
  tx: Tx,
  cipher: FieldCipher,
  tenantId: TenantId,
  /** `aiDraftId`: the reviewed AI draft the note comes from (R-AI-5; the database refuses one not reviewed). */
  note: { patientId: string; callId?: string | null; authorId: string; body: string; aiDraftId?: string | null },
): Promise<{ id: string; phiScope: PhiScope; createdAt: Date }> {
  if (typeof note.body !== 'string' || note.body.length === 0 || note.body.length > 20_000) throw new WardError('BAD_REQUEST', 'A case note needs a body of 1 to 20,000 characters.');
  const id = randomUUID(); // generated before the insert: the row id is bound into the ciphertext
  const body = await cipher.encryptField(tenantId, caseNoteBodyRef(id), note.body);
  const { rows } = await tx.query<{ id: string; phi_scope: PhiScope; created_at: Date }>(INSERT_NOTE, [tenantId, note.patientId, id, note.callId ?? null, note.authorId, body, note.aiDraftId ?? null]);
  if (!rows[0]) throw new WardError('NOT_FOUND');
  return { id: rows[0].id, phiScope: rows[0].phi_scope, createdAt: new Date(rows[0].created_at) };
}
