import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantId } from '@ward/contracts';
import type { Db, SystemDb, SystemTx } from '../../db/types.ts';
import { createFieldCipher, createKeyringKms, createMemoryKeyStore, type FieldCipher, type FieldRef, type Kms } from '../crypto/index.ts';
import { addApprovedDemoVendor } from '../ai/index.ts';
import { callFromNumberRef, caseNoteBodyRef, chunkRef, patientRef, PATIENT_LOOKUPS, PATIENT_PHI_FIELDS, utteranceRef } from '../phi/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { createWorkload, setWorkloadVendor } from '../workload/index.ts';
import { DEMO_WORKLOADS, demoWorkloadKey, demoWorkloadScopes } from './seed-workloads.ts';
import type { DemoData, DemoPatient, DemoTenant } from './types.ts';

/**
 * `ward demo seed`: inserts the generated demo data through `systemDb` (the owner role; seeding is
 * an operator action, not a request). Each table is one statement over a JSON array, so the whole
 * set lands in a few round trips. Seeding twice changes nothing.
 *
 * R-DATA-1: every PHI value is encrypted under its tenant's data key before it leaves this process,
 * and lookups get their blind indexes. Steps: (1) the tenants, in their own transaction (tenant_keys
 * references them); (2) their keys, outside any transaction (on the embedded engine the key store
 * writes through the one connection); (3) encryption in memory; (4) everything else in one
 * transaction. Should (2)–(4) fail, the tenants and their keys are removed again.
 *
 * Without a cipher (benchmarks that never decrypt), PHI is encrypted under a throwaway keyring.
 */
export const DEMO_CHUNK_BYTES = 16 * 1024;
const AUDIO_RATE = 8000;
const AUDIO_MAX_MS = 3000;

/** A short mono 16-bit PCM WAV: a 440 Hz tone of the call's duration, capped at three seconds. */
export function syntheticWav(durationMs: number): Buffer {
  const samples = Math.max(1, Math.round((Math.min(durationMs, AUDIO_MAX_MS) * AUDIO_RATE) / 1000));
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(AUDIO_RATE, 24);
  wav.writeUInt32LE(AUDIO_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i += 1) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / AUDIO_RATE)), 44 + i * 2);
  return wav;
}
export interface SeedResult {
  seeded: boolean;
  counts: Record<string, number>;
}

async function insertRows(tx: SystemTx, sql: string, rows: unknown[], ...params: unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.query(sql, [JSON.stringify(rows), ...params]);
  return result.rowCount;
}

const b64 = (b: Buffer | undefined) => b?.toString('base64') ?? null;

/** The demo data with every PHI value replaced by its ciphertext (base64 for the JSON batches). */
async function encryptDemo(cipher: FieldCipher, data: DemoData) {
  const enc = (tenantId: string, ref: FieldRef, value: string | Buffer) => cipher.encryptField(tenantId as TenantId, ref, value).then(b64);
  const patients = await Promise.all(
    data.patients.map(async (p) => {
      const row: Record<string, unknown> = { id: p.id, tenantId: p.tenantId, phiScope: p.phiScope, sex: p.sex, state: p.state };
      for (const field of PATIENT_PHI_FIELDS) {
        const value = (p as unknown as Record<string, string | undefined>)[field satisfies keyof DemoPatient];
        row[field] = value ? await enc(p.tenantId, patientRef(p.id, field), value) : null;
      }
      for (const [lookup, { field }] of Object.entries(PATIENT_LOOKUPS)) {
        const value = (p as unknown as Record<string, string | undefined>)[lookup];
        row[`${lookup}Bidx`] = value ? b64(await cipher.blindIndex(p.tenantId as TenantId, field, value)) : null;
      }
      return row;
    }),
  );
  const calls = await Promise.all(
    data.calls.map(async (c) => ({
      id: c.id, tenantId: c.tenantId, phiScope: c.phiScope, patientId: c.patientId, direction: c.direction,
      startedAt: c.startedAt, endedAt: c.endedAt,
      handledBy: c.transcript.utterances.some((u) => u.speaker === 'ai_agent') ? 'ai_agent' : 'agent',
      fromNumber: c.fromNumber ? await enc(c.tenantId, callFromNumberRef(c.id), c.fromNumber) : null,
      fromNumberBidx: c.fromNumber ? b64(await cipher.blindIndex(c.tenantId as TenantId, 'phone', c.fromNumber)) : null,
    })),
  );
  const recordings: Record<string, unknown>[] = [];
  const chunks: Record<string, unknown>[] = [];
  for (const c of data.calls) {
    const audio = syntheticWav(c.recording.durationMs);
    recordings.push({ ...c.recording, tenantId: c.tenantId, phiScope: c.phiScope, callId: c.id, byteLength: audio.length, chunkBytes: DEMO_CHUNK_BYTES });
    for (let i = 0; i * DEMO_CHUNK_BYTES < audio.length; i += 1) {
      const part = audio.subarray(i * DEMO_CHUNK_BYTES, (i + 1) * DEMO_CHUNK_BYTES);
      chunks.push({ tenantId: c.tenantId, phiScope: c.phiScope, recordingId: c.recording.id, chunkIndex: i, audio: await enc(c.tenantId, chunkRef(c.recording.id, i), part) });
    }
  }
  const utterances = await Promise.all(
    data.calls.flatMap((c) =>
      c.transcript.utterances.map(async (u) => {
        const id = randomUUID();
        return {
          id, tenantId: c.tenantId, phiScope: c.phiScope, transcriptId: c.transcript.id, seq: u.seq, speaker: u.speaker,
          startMs: u.startMs, endMs: u.endMs, text: await enc(c.tenantId, utteranceRef(id), u.text),
        };
      }),
    ),
  );
  const caseNotes = await Promise.all(data.caseNotes.map(async (n) => ({ ...n, body: await enc(n.tenantId, caseNoteBodyRef(n.id), n.body) })));
  return { patients, calls, recordings, chunks, utterances, caseNotes };
}

async function throwawayCipher(): Promise<{ cipher: FieldCipher; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ward-seed-'));
  const kms = await createKeyringKms({ path: join(dir, 'keyring.json') });
  return { cipher: createFieldCipher({ kms, keyStore: createMemoryKeyStore() }), dispose: () => rm(dir, { recursive: true, force: true }) };
}

export async function seedDemo(systemDb: SystemDb, data: DemoData, opts: { cipher?: FieldCipher } = {}): Promise<SeedResult> {
  const slugs = data.tenants.map((t) => t.slug);
  const existing = await systemDb.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants WHERE slug = ANY ($1)', [slugs]);
  if ((existing.rows[0]?.n ?? 0) > 0) return { seeded: false, counts: {} };
  const tenantIds = data.tenants.map((t) => t.id);
  const counts: Record<string, number> = {};
  counts.tenants = await systemDb.transaction((tx) =>
    insertRows(
      tx,
      `INSERT INTO tenants (id, slug, name, default_phi_scope, settings)
       SELECT id, slug, name, "defaultPhiScope", jsonb_build_object('trustNewDevices', true, 'demo', true, 'unmanagedMembers', "unmanagedMembers")
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, slug text, name text, "defaultPhiScope" text, "unmanagedMembers" jsonb)`,
      data.tenants,
    ),
  );
  const throwaway = opts.cipher ? undefined : await throwawayCipher();
  const cipher = opts.cipher ?? throwaway!.cipher;
  try {
    for (const id of tenantIds) await cipher.provisionTenant(id as TenantId);
    const sealed = await encryptDemo(cipher, data);
    return await systemDb.transaction((tx) => insertDemo(tx, data, sealed, counts));
  } catch (e) {
    await systemDb.transaction(async (tx) => {
      await tx.query('DELETE FROM tenant_keys WHERE tenant_id = ANY ($1::uuid[])', [tenantIds]);
      await tx.query('DELETE FROM tenants WHERE id = ANY ($1::uuid[])', [tenantIds]);
    }).catch(() => {});
    throw e;
  } finally {
    await throwaway?.dispose();
  }
}

async function insertDemo(tx: SystemTx, data: DemoData, sealed: Awaited<ReturnType<typeof encryptDemo>>, counts: Record<string, number>): Promise<SeedResult> {
  {
    counts.members = await insertRows(
      tx,
      `INSERT INTO members (id, tenant_id, email, display_name, status)
       SELECT id, "tenantId", email, "displayName", 'active'
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, email text, "displayName" text)`,
      data.members,
    );
    counts.member_roles = await insertRows(
      tx,
      `INSERT INTO member_roles (tenant_id, member_id, role)
       SELECT "tenantId", id, jsonb_array_elements_text(roles)
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, roles jsonb)`,
      data.members,
    );
    counts.member_phi_scopes = await insertRows(
      tx,
      `INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope)
       SELECT "tenantId", id, jsonb_array_elements_text("phiScopes")
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScopes" jsonb)`,
      data.members,
    );
    counts.devices = await insertRows(
      tx,
      `INSERT INTO devices (id, tenant_id, member_id, thumbprint, posture, posture_source, posture_updated_at)
       SELECT id, "tenantId", "memberId", thumbprint, posture, 'demo', now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "memberId" uuid, thumbprint text, posture text)`,
      data.devices,
    );
    counts.patients = await insertRows(
      tx,
      `INSERT INTO patients (id, tenant_id, phi_scope, sex, state, mrn_enc, member_number_enc, given_name_enc, family_name_enc,
                             date_of_birth_enc, phone_enc, email_enc, address_line_enc, city_enc, zip_enc, ssn_enc,
                             mrn_bidx, phone_bidx, member_number_bidx)
       SELECT id, "tenantId", "phiScope", sex, state, decode(mrn, 'base64'), decode("memberNumber", 'base64'),
              decode("givenName", 'base64'), decode("familyName", 'base64'), decode("dateOfBirth", 'base64'),
              decode(phone, 'base64'), decode(email, 'base64'), decode("addressLine", 'base64'), decode(city, 'base64'),
              decode(zip, 'base64'), decode(ssn, 'base64'), decode("mrnBidx", 'base64'), decode("phoneBidx", 'base64'),
              decode("memberNumberBidx", 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, sex text, state text, mrn text,
              "memberNumber" text, "givenName" text, "familyName" text, "dateOfBirth" text, phone text, email text,
              "addressLine" text, city text, zip text, ssn text, "mrnBidx" text, "phoneBidx" text, "memberNumberBidx" text)`,
      sealed.patients,
    );
    counts.calls = await insertRows(
      tx,
      `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, from_number_enc, from_number_bidx, handled_by, started_at, ended_at)
       SELECT id, "tenantId", "phiScope", "patientId", direction, decode("fromNumber", 'base64'), decode("fromNumberBidx", 'base64'),
              "handledBy", "startedAt", "endedAt"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "patientId" uuid, direction text,
              "fromNumber" text, "fromNumberBidx" text, "handledBy" text, "startedAt" timestamptz, "endedAt" timestamptz)`,
      sealed.calls,
    );
    counts.recordings = await insertRows(
      tx,
      `INSERT INTO recordings (id, tenant_id, phi_scope, call_id, format, duration_ms, byte_length, chunk_bytes)
       SELECT id, "tenantId", "phiScope", "callId", format, "durationMs", "byteLength", "chunkBytes"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "callId" uuid, format text,
              "durationMs" int, "byteLength" bigint, "chunkBytes" int)`,
      sealed.recordings,
    );
    counts.recording_chunks = await insertRows(
      tx,
      `INSERT INTO recording_chunks (tenant_id, phi_scope, recording_id, chunk_index, audio_enc)
       SELECT "tenantId", "phiScope", "recordingId", "chunkIndex", decode(audio, 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS r("tenantId" uuid, "phiScope" text, "recordingId" uuid, "chunkIndex" int, audio text)`,
      sealed.chunks,
    );
    counts.transcripts = await insertRows(
      tx,
      `INSERT INTO transcripts (id, tenant_id, phi_scope, call_id)
       SELECT id, "tenantId", "phiScope", "callId"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "callId" uuid)`,
      data.calls.map((c) => ({ id: c.transcript.id, tenantId: c.tenantId, phiScope: c.phiScope, callId: c.id })),
    );
    counts.utterances = await insertRows(
      tx,
      `INSERT INTO utterances (id, tenant_id, phi_scope, transcript_id, seq, speaker, start_ms, end_ms, text_enc)
       SELECT id, "tenantId", "phiScope", "transcriptId", seq, speaker, "startMs", "endMs", decode(text, 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "transcriptId" uuid, seq int,
              speaker text, "startMs" int, "endMs" int, text text)`,
      sealed.utterances,
    );
    counts.case_notes = await insertRows(
      tx,
      `INSERT INTO case_notes (id, tenant_id, phi_scope, patient_id, call_id, author_id, body_enc)
       SELECT id, "tenantId", "phiScope", "patientId", "callId", "authorId", decode(body, 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "patientId" uuid,
              "callId" uuid, "authorId" uuid, body text)`,
      sealed.caseNotes,
    );
    // R-AI-6: upcoming appointments, counted from the seeding day (no PHI beyond the patient link).
    counts.appointments = await insertRows(
      tx,
      `INSERT INTO appointments (tenant_id, phi_scope, patient_id, starts_at, minutes, kind)
       SELECT "tenantId", "phiScope", "patientId", date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(days => "inDays", mins => "atMinute"), minutes, kind
         FROM jsonb_to_recordset($1::jsonb) AS r("tenantId" uuid, "phiScope" text, "patientId" uuid, "inDays" int, "atMinute" int, minutes int, kind text)`,
      data.appointments,
    );
    // R-AUDIT-1: an admin change is recorded, one event per seeded tenant; counts only, no PHI.
    await insertRows(
      tx,
      `INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, target_type, target_id, outcome, metadata)
       SELECT id, 'system', 'system:demo-seed', 'demo.seed', 'Tenant', id::text, 'success', jsonb_build_object('seed', $2::int)
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid)`,
      data.tenants,
      data.seed,
    );
    return { seeded: true, counts };
  }
}

/**
 * R-WORK-1: registers the demo workloads of each demo tenant (seed-workloads.ts) and writes their
 * private keys under `dir` (0600). Run right after the tenants are seeded; returns the key files.
 */
export async function seedDemoWorkloads(db: Db, deps: { audit: AuditLog; clock: { now(): Date }; kms?: Kms }, dir: string, tenants: readonly DemoTenant[]): Promise<string[]> {
  const files: string[] = [];
  for (const tenant of tenants) {
    // R-AUTHZ-5: the demo's PHI scopes for workloads are approved like any other, by the tenant's Owner.
    const { rows } = await db.systemDb.query<{ id: string }>(
      "SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.tenant_id = $1 AND m.status = 'active' AND r.role = 'Owner' ORDER BY m.email LIMIT 1", [tenant.id]);
    for (const w of DEMO_WORKLOADS) {
      const key = await demoWorkloadKey(dir, tenant, w);
      const { clientId } = await createWorkload(db, deps, {
        tenantId: tenant.id, name: w.name, kind: w.kind, role: w.role, jwks: key.publicJwks, scopes: demoWorkloadScopes(w), approverMemberId: rows[0]?.id,
      });
      files.push(key.save(clientId));
      if (w.kind === 'ai_agent' && deps.kms) await seedAgentVendor(db, { ...deps, kms: deps.kms }, tenant.id, clientId, rows[0]?.id);
    }
  }
  return files;
}

/**
 * R-AI-3, R-AI-6: the model behind the demo voice agent is a vendor with a BAA (attested by the Owner,
 * approved by the Admin), recorded on the agent, so that its MCP tools may return PHI. Ward never
 * calls this vendor (the voice platform runs the agent's model); its key is random.
 */
async function seedAgentVendor(db: Db, deps: { audit: AuditLog; clock: { now(): Date }; kms: Kms }, tenantId: string, clientId: string, owner: string | undefined): Promise<void> {
  const { rows } = await db.systemDb.query<{ id: string }>(
    "SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.tenant_id = $1 AND m.status = 'active' AND r.role = 'Admin' ORDER BY m.email LIMIT 1", [tenantId]);
  if (!owner || !rows[0]) return;
  const name = 'demo-voice-model';
  await addApprovedDemoVendor({ db, ...deps }, {
    tenantId, name, baseUrl: 'https://voice-model.demo.invalid/v1', model: 'demo-voice-1', apiKey: randomBytes(24).toString('base64url'), attester: owner, approver: rows[0].id,
  }, deps.clock.now());
  await setWorkloadVendor(db.systemDb, deps, { tenantId, clientId, vendor: name });
}
