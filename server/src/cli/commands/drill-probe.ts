import { randomUUID } from 'node:crypto';
import { WardError, type PhiScope } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';
import { batchArguments, recordLiteral } from '../../modules/audit/index.ts';

/**
 * `ward drill probe --tenant <slug> --other <slug>` (R-GOV-3, R-AUTHZ-7, R-AUTHZ-5, R-AUDIT-2): the
 * drill's attacks on the database itself, run by the server through the operator socket because they
 * need a connection of the server's own application role. Each opens a real scoped transaction as a
 * member of --tenant (what the server would run for them) and then, as injected SQL would, forges
 * the scope settings, writes the rows the application role must never write, or points a row into
 * --other. `--tamper-audit` instead alters one sealed audit event of --tenant with the owner's rights
 * (what only a database superuser could do), so that `ward audit verify` must find it.
 * Prints one JSON line: each probe's name and what the database answered (rows read, or the SQLSTATE).
 */
type Outcome = { rows: number } | { error: string };

async function attempt(fn: () => Promise<number>): Promise<Outcome> {
  try {
    return { rows: await fn() };
  } catch (e) {
    return { error: String((e as { code?: unknown }).code ?? (e as Error).name) };
  }
}

const count = async (tx: Tx, sql: string, params: unknown[] = []) => (await tx.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;

export default defineCommand({
  path: ['drill', 'probe'],
  summary: "the drill's attacks on the database (forged scope, forbidden writes, audit tampering)",
  options: {
    tenant: { ...TENANT_OPTION, description: 'a drill tenant: the probes run as its Owner', required: true },
    other: { ...TENANT_OPTION, description: 'another drill tenant: the target of the cross-tenant probes', required: true },
    'tamper-audit': { type: 'boolean', description: "alter one sealed audit event of --tenant (owner rights), for ward audit verify to find" },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    if (!o.tenant.startsWith('drill-') || !o.other.startsWith('drill-')) throw new WardError('USAGE', 'The probes run on drill tenants only (ward drill provision makes them).');
    return ctx.withDeps(async (deps) => {
      const sys = deps.db.systemDb;
      const tenantId = await tenantIdBySlug(sys, o.tenant);
      const otherId = await tenantIdBySlug(sys, o.other);
      if (o['tamper-audit']) {
        const n = await sys.transaction(async (tx) => (await tx.query(
          `UPDATE audit_events SET action = action || '.tampered'
            WHERE id = (SELECT event_id FROM audit_seals WHERE tenant_id = $1 ORDER BY seq LIMIT 1)`, [tenantId])).rowCount);
        io.stdout.write(`${JSON.stringify({ tampered: n })}\n`);
        return n === 1 ? 0 : 1;
      }
      const { rows: owner } = await sys.query<{ id: string }>(
        "SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id WHERE m.tenant_id = $1 AND r.role = 'Owner' ORDER BY m.email LIMIT 1", [tenantId]);
      const { rows: foreign } = await sys.query<{ id: string }>("SELECT id FROM patients WHERE tenant_id = $1 AND phi_scope = 'Healthcare-PHI' LIMIT 1", [otherId]);
      const actorId = owner[0]?.id;
      if (!actorId || !foreign[0]) throw new WardError('NOT_FOUND', 'These are not drill tenants with an Owner and patients.');
      const hc: PhiScope[] = ['Healthcare-PHI'];
      const scope = { tenantId, phiScopes: hc, actorId, actorKind: 'human' as const };
      // Each probe in its own transaction: a refused statement ends it.
      const probe = (fn: (tx: Tx) => Promise<number>) => attempt(() => deps.db.scoped(scope, fn));
      // Injected SQL rewrites fields of the server's ward.scope (0099: MAC, tenant, PHI keys, tenant/kind:actor, expiry) and keeps its MAC.
      const forge = async (tx: Tx, change: (fields: string[]) => void) => {
        const fields = (await tx.query<{ v: string }>("SELECT current_setting('ward.scope') AS v")).rows[0]!.v.split('\n');
        change(fields);
        await tx.query("SELECT set_config('ward.scope', $1, true)", [fields.join('\n')]);
      };
      const results: Record<string, Outcome> = {
        // The control: the same transaction, unforged, reads its own tenant's patients.
        ownRows: await probe((tx) => count(tx, "SELECT count(*)::int AS n FROM patients WHERE phi_scope = 'Healthcare-PHI'")),
        forgedTenant: await probe(async (tx) => {
          await forge(tx, (f) => {
            f[1] = otherId;
            f[2] = `${otherId}/Healthcare-PHI`;
            f[3] = `${otherId}/human:${actorId}`;
          });
          return count(tx, 'SELECT count(*)::int AS n FROM patients');
        }),
        forgedScopes: await probe(async (tx) => {
          await forge(tx, (f) => {
            f[2] = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'].map((s) => `${tenantId}/${s}`).join(',');
          });
          return count(tx, "SELECT count(*)::int AS n FROM patients WHERE phi_scope <> 'Healthcare-PHI'");
        }),
        foreignRowsUnforged: await probe((tx) => count(tx, 'SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1', [otherId])),
        auditUpdate: await probe(async (tx) => (await tx.query("UPDATE audit_events SET action = 'drill.tampered' WHERE tenant_id = $1", [tenantId])).rowCount),
        auditDelete: await probe(async (tx) => (await tx.query('DELETE FROM audit_events WHERE tenant_id = $1', [tenantId])).rowCount),
        auditAsOtherActor: await probe(async (tx) => (await tx.query(
          "INSERT INTO audit_events (tenant_id, actor_kind, actor_id, action, outcome) VALUES ($1, 'human', 'someone-else', 'drill.forged', 'success')", [tenantId])).rowCount),
        selfGrantRole: await probe(async (tx) => (await tx.query("INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, 'Auditor')", [tenantId, actorId])).rowCount),
        selfGrantScope: await probe(async (tx) => (await tx.query("INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope) VALUES ($1, $2, 'SUD-Part2')", [tenantId, actorId])).rowCount),
        // A leaked credential re-keys one of its tenant's workloads (to act as it) or mints a SCIM token.
        rekeyWorkload: await probe(async (tx) => (await tx.query(
          `UPDATE workloads SET jwks = '{"keys":[]}'::jsonb WHERE tenant_id = $1`, [tenantId])).rowCount),
        mintScimToken: await probe(async (tx) => (await tx.query(
          `INSERT INTO scim_tokens (tenant_id, id, workload_id, token_hash, created_at, expires_at)
           SELECT w.tenant_id, gen_random_uuid(), w.id, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), now(), now() + interval '1 day'
             FROM workloads w WHERE w.tenant_id = $1 LIMIT 1`, [tenantId])).rowCount),
        // 0118: a leaked credential deletes PHI sooner (recordings after a day) or releases its tenant's legal holds.
        shortenRetention: await probe(async (tx) => (await tx.query(
          `INSERT INTO retention_policies (tenant_id, artifact, action, after_days, updated_by) VALUES ($1, 'recordings', 'delete', 1, 'drill')
           ON CONFLICT (tenant_id, artifact) DO UPDATE SET after_days = 1`, [tenantId])).rowCount),
        releaseHolds: await probe(async (tx) => (await tx.query('UPDATE legal_holds SET released_at = now() WHERE tenant_id = $1', [tenantId])).rowCount),
        // The database's MAC issue and the batch that took its MACs (0073, 0098), dropped by 0107: injected
        // SQL asks for a MAC of its own event, or hands the old batch function an event with a made-up one.
        auditIssueDropped: await probe(async (tx) => (await tx.query('SELECT * FROM ward_audit_event_issue($1::jsonb)', [JSON.stringify(
          { id: randomUUID(), tenant_id: tenantId, actor_kind: 'human', actor_id: actorId, action: 'drill.batch', outcome: 'success' })])).rowCount),
        auditBatchDropped: await probe(async (tx) => (await tx.query('SELECT ward_audit_append_batch($1::jsonb) AS n', [JSON.stringify([
          { id: randomUUID(), tenant_id: tenantId, actor_kind: 'human', actor_id: actorId, action: 'drill.batch', outcome: 'success', occurred_us: Date.now() * 1000, issuer_pid: 1, expires: 0, mac: '0'.repeat(64) }])])).rowCount),
        // 0105, 0112: injected SQL reads its own scope's expiry (its setting) and hands the vouched batch
        // an event of its own scope with a voucher it made up: without the scope key it cannot make the MAC.
        auditVouchedForged: await probe(async (tx) => {
          const { rows } = await tx.query<{ e: string }>("SELECT split_part(current_setting('ward.scope'), E'\\n', 5) AS e");
          const text = recordLiteral({ tenantId, actorKind: 'human', actorId, action: 'drill.batch', outcome: 'success' }, randomUUID(), Date.now() * 1000, null);
          return (await tx.query('SELECT ward_audit_append_vouched_v4($1::text, $2::bytea) AS n', batchArguments([{ voucher: `${'0'.repeat(64)} ${rows[0]!.e}`, text }]))).rowCount;
        }),
        crossTenantRow: await probe(async (tx) => (await tx.query(
          "INSERT INTO case_notes (tenant_id, phi_scope, patient_id, author_id, body_enc) VALUES ($1, 'Healthcare-PHI', $2, $3, '\\x00')", [tenantId, foreign[0]!.id, actorId])).rowCount),
        appRoleUnsafe: await probe((tx) => count(tx, 'SELECT count(*)::int AS n FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls OR rolcreaterole)')),
      };
      io.stdout.write(`${JSON.stringify({ engine: deps.db.engine, results })}\n`);
      return 0;
    });
  },
});
