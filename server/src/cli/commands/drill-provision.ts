import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import { generateDemo, seedDemo, seedDemoWorkloads, type DemoData, type DemoTenant } from '../../modules/demo/index.ts';
import { issueScimToken } from '../../modules/provisioning/index.ts';
import { newSecret, secretHash } from '../../modules/sessions/index.ts';
import { defineCommand } from '../options.ts';

/**
 * `ward drill provision --name <prefix>` (R-GOV-3): the privilege-escalation drill's throwaway world,
 * made by the operator inside the server (the drill reaches it through the operator socket): two
 * tenants `<prefix>-a` and `<prefix>-b` with synthetic members in every role, a few patients per PHI
 * scope with calls, recordings, transcripts and case notes (the demo generator's, with fresh ids), a
 * one-time enrollment link for every member, the demo workloads (keys under
 * `<data dir>/drill/<slug>/`, 0600) and a SCIM token per tenant. Prints one JSON line. `ward tenant
 * shred` ends each tenant after the drill.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const PATIENTS_PER_SCOPE = 3;

/** The demo data of one seed with every id replaced by a fresh one, trimmed to a few patients per scope. */
export function drillData(prefix: string): DemoData {
  const demo = generateDemo(1);
  const fresh = new Map<string, string>();
  const data = JSON.parse(JSON.stringify(demo).replace(UUID, (id) => {
    if (!fresh.has(id)) fresh.set(id, randomUUID());
    return fresh.get(id)!;
  })) as DemoData;
  const kept = new Set<string>();
  const withCalls = new Set(data.calls.map((c) => c.patientId));
  for (const t of data.tenants) {
    for (const scope of new Set(data.patients.map((p) => p.phiScope))) {
      data.patients.filter((p) => p.tenantId === t.id && p.phiScope === scope && withCalls.has(p.id)).slice(0, PATIENTS_PER_SCOPE).forEach((p) => kept.add(p.id));
    }
  }
  return {
    ...data,
    // The slugs name the drill's tenants; the type lists the demo's two, whose shape they share.
    tenants: data.tenants.map((t) => ({ ...t, slug: `${prefix}-${t.slug === 'riverside' ? 'a' : 'b'}` as DemoTenant['slug'], name: `Drill ${t.name}` })),
    devices: [],
    patients: data.patients.filter((p) => kept.has(p.id)),
    calls: data.calls.filter((c) => c.patientId !== null && kept.has(c.patientId)),
    caseNotes: data.caseNotes.filter((n) => kept.has(n.patientId)),
    appointments: data.appointments.filter((a) => kept.has(a.patientId)),
  };
}

export default defineCommand({
  path: ['drill', 'provision'],
  summary: "create the privilege-escalation drill's two throwaway tenants (used by ward drill)",
  options: { name: { value: '<prefix>', description: 'the tenants are <prefix>-a and <prefix>-b (lower-case letters, digits, dashes)', required: true } },
  help: 'Prints one JSON line: tenants, members with enrollment links, patients, calls, workloads, SCIM tokens.\nEnd them with ward tenant shred after the drill (ward drill does both).',
  usesDatabase: true,
  async run(o, io, ctx) {
    if (!/^[a-z0-9][a-z0-9-]{1,50}$/.test(o.name)) throw new WardError('USAGE', 'The --name prefix is 2 to 51 lower-case letters, digits or dashes.');
    return ctx.withDeps(async (deps) => {
      const data = drillData(o.name);
      const seeded = await seedDemo(deps.db.systemDb, data, { cipher: deps.cipher });
      if (!seeded.seeded) throw new WardError('CONFLICT', 'Tenants with these slugs exist already: choose another --name.');
      const keyDir = join(deps.config.dataDir, 'drill');
      await seedDemoWorkloads(deps.db, deps, keyDir, data.tenants);
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + 3600_000);
      const tokens = new Map<string, string>();
      await deps.db.systemDb.transaction(async (tx) => {
        for (const m of data.members) {
          const token = newSecret();
          tokens.set(m.id, token);
          await tx.query(
            `INSERT INTO enrollment_tokens (tenant_id, member_id, token_hash, purpose, created_by, created_at, expires_at, role, requires_approval)
             VALUES ($1, $2, $3, 'enroll', NULL, $4, $5, $6, false)`, [m.tenantId, m.id, secretHash(token), now, expiresAt, m.roles[0]]);
        }
      });
      const tenants = [];
      for (const t of data.tenants) {
        const scim = await issueScimToken(deps.db.systemDb, deps, { tenantId: t.id as TenantId, revokeOld: false }, now);
        const { rows } = await deps.db.systemDb.query<{ name: string; client_id: string }>('SELECT name, client_id FROM workloads WHERE tenant_id = $1', [t.id]);
        tenants.push({
          id: t.id, slug: t.slug,
          members: data.members.filter((m) => m.tenantId === t.id).map((m) => ({ id: m.id, email: m.email, roles: m.roles, phiScopes: m.phiScopes, enrollmentToken: tokens.get(m.id) })),
          patients: data.patients.filter((p) => p.tenantId === t.id).map((p) => ({ id: p.id, phiScope: p.phiScope as PhiScope, mrn: p.mrn, phone: p.phone, dateOfBirth: p.dateOfBirth, zip: p.zip, familyName: p.familyName })),
          calls: data.calls.filter((c) => c.tenantId === t.id).map((c) => ({ id: c.id, patientId: c.patientId, phiScope: c.phiScope, recordingId: c.recording.id })),
          caseNotes: data.caseNotes.filter((n) => n.tenantId === t.id).map((n) => ({ id: n.id, patientId: n.patientId, body: n.body })),
          workloads: Object.fromEntries(rows.map((w) => [w.name, { clientId: w.client_id, keyFile: join(keyDir, t.slug, `${w.name}.json`) }])),
          scimToken: scim.token,
        });
      }
      io.stdout.write(`${JSON.stringify({ tenants })}\n`);
      return 0;
    });
  },
});
