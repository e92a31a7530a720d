import type { SystemDb, SystemTx } from '../../db/types.ts';
import type { DemoData } from './types.ts';

/**
 * `ward demo seed`: inserts the generated demo data in one transaction through `systemDb` (the
 * owner role; seeding is an operator action, not a request). Each table is one statement over a
 * JSON array, so the whole set lands in a few round trips. Seeding twice changes nothing.
 */
export interface SeedResult {
  seeded: boolean;
  counts: Record<string, number>;
}

async function insertRows(tx: SystemTx, sql: string, rows: unknown[], ...params: unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.query(sql, [JSON.stringify(rows), ...params]);
  return result.rowCount;
}

export async function seedDemo(systemDb: SystemDb, data: DemoData): Promise<SeedResult> {
  return systemDb.transaction(async (tx) => {
    const slugs = data.tenants.map((t) => t.slug);
    const existing = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants WHERE slug = ANY ($1)', [slugs]);
    if ((existing.rows[0]?.n ?? 0) > 0) return { seeded: false, counts: {} };

    const counts: Record<string, number> = {};
    counts.tenants = await insertRows(
      tx,
      `INSERT INTO tenants (id, slug, name, default_phi_scope, settings)
       SELECT id, slug, name, "defaultPhiScope", '{"trustNewDevices": true}'::jsonb
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, slug text, name text, "defaultPhiScope" text)`,
      data.tenants,
    );
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
      `INSERT INTO patients (id, tenant_id, phi_scope, mrn, member_number, given_name, family_name, date_of_birth,
                             sex, phone, email, address_line, city, state, zip, ssn)
       SELECT id, "tenantId", "phiScope", mrn, "memberNumber", "givenName", "familyName", "dateOfBirth",
              sex, phone, email, "addressLine", city, state, zip, ssn
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, mrn text, "memberNumber" text,
              "givenName" text, "familyName" text, "dateOfBirth" date, sex text, phone text, email text,
              "addressLine" text, city text, state text, zip text, ssn text)`,
      data.patients,
    );
    counts.calls = await insertRows(
      tx,
      `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, from_number, handled_by, started_at, ended_at)
       SELECT id, "tenantId", "phiScope", "patientId", direction, "fromNumber", "handledBy", "startedAt", "endedAt"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "patientId" uuid, direction text,
              "fromNumber" text, "handledBy" text, "startedAt" timestamptz, "endedAt" timestamptz)`,
      data.calls.map((c) => ({
        ...c,
        transcript: undefined,
        handledBy: c.transcript.utterances.some((u) => u.speaker === 'ai_agent') ? 'ai_agent' : 'agent',
      })),
    );
    counts.recordings = await insertRows(
      tx,
      `INSERT INTO recordings (id, tenant_id, phi_scope, call_id, format, duration_ms)
       SELECT id, "tenantId", "phiScope", "callId", format, "durationMs"
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "callId" uuid, format text, "durationMs" int)`,
      data.calls.map((c) => ({ ...c.recording, tenantId: c.tenantId, phiScope: c.phiScope, callId: c.id })),
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
      `INSERT INTO utterances (tenant_id, phi_scope, transcript_id, seq, speaker, start_ms, end_ms, text)
       SELECT "tenantId", "phiScope", "transcriptId", seq, speaker, "startMs", "endMs", text
         FROM jsonb_to_recordset($1::jsonb) AS r("tenantId" uuid, "phiScope" text, "transcriptId" uuid, seq int,
              speaker text, "startMs" int, "endMs" int, text text)`,
      data.calls.flatMap((c) =>
        c.transcript.utterances.map((u) => ({ ...u, spans: undefined, tenantId: c.tenantId, phiScope: c.phiScope, transcriptId: c.transcript.id })),
      ),
    );
    counts.case_notes = await insertRows(
      tx,
      `INSERT INTO case_notes (id, tenant_id, phi_scope, patient_id, call_id, author_id, body)
       SELECT id, "tenantId", "phiScope", "patientId", "callId", "authorId", body
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "tenantId" uuid, "phiScope" text, "patientId" uuid,
              "callId" uuid, "authorId" uuid, body text)`,
      data.caseNotes,
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
  });
}
