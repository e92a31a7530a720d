import { WardError } from '@ward/contracts';
import { traceAll, traceSummary, type AuditEventView, type TenantRef, type TraceSubject } from '../../modules/audit/index.ts';
import type { Deps } from '../../deps.ts';
import { normalEmail } from '../../modules/identity/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { selectTenants, writeLine } from './audit-options.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--member` takes an e-mail address (or a member id): the member's id in each tenant that has one. */
async function membersOf(deps: Deps, tenants: TenantRef[], member: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (UUID.test(member)) {
    for (const t of tenants) ids.set(t.id, member.toLowerCase());
    return ids;
  }
  if (!member.includes('@')) throw new WardError('USAGE', '--member takes an e-mail address or a member id.');
  const { rows } = await deps.db.systemDb.query<{ id: string; tenant_id: string }>(
    'SELECT id, tenant_id FROM members WHERE email = $1 AND tenant_id = ANY ($2::uuid[])',
    [normalEmail(member), tenants.map((t) => t.id)],
  );
  if (rows.length === 0) throw new WardError('NOT_FOUND', 'No member has that e-mail address (ward member list --tenant <slug> shows them).');
  for (const r of rows) ids.set(r.tenant_id, r.id);
  return ids;
}

/** `--workload` takes a client id (`wl_…`): the workload's id in the tenant that registered it. */
async function workloadsOf(deps: Deps, tenants: TenantRef[], clientId: string): Promise<Map<string, string>> {
  if (!/^wl_[A-Za-z0-9_-]{22}$/.test(clientId)) throw new WardError('USAGE', '--workload takes a client id (wl_…; ward workload list shows them).');
  const { rows } = await deps.db.systemDb.query<{ id: string; tenant_id: string }>(
    'SELECT id, tenant_id FROM workloads WHERE client_id = $1 AND tenant_id = ANY ($2::uuid[])', [clientId, tenants.map((t) => t.id)]);
  if (rows.length === 0) throw new WardError('NOT_FOUND', 'No workload has that client id (ward workload list --tenant <slug> shows them).');
  return new Map(rows.map((r) => [r.tenant_id, r.id]));
}

function line(e: AuditEventView): string {
  const target = e.targetType === null ? '-' : `${e.targetType}:${e.targetId ?? '-'}`;
  const actor = e.onBehalfOf === null ? `${e.actorKind}:${e.actorId}` : `${e.actorKind}:${e.actorId} for ${e.onBehalfOf}`;
  const policies = e.policyIds.length > 0 ? ` policies=${e.policyIds.join(',')}` : '';
  const reasons = e.reasons.length > 0 ? ` reasons=${e.reasons.join(',')}` : '';
  const purpose = e.purpose === null ? '' : ` purpose=${e.purpose}`;
  return `${e.occurredAt}  ${e.seq === null ? 'unsealed' : `#${e.seq}`}  ${actor}  ${e.action}  ${target}  ${e.phiScope ?? '-'}  ${e.decision ?? '-'}/${e.outcome}${purpose}${policies}${reasons}`;
}

/**
 * `ward audit trace` (R-MON-2): everything a suspect session or member touched, in order, with PHI
 * scopes and decisions, to scope an incident (blast radius). Identifiers only, never PHI values.
 */
export default defineCommand({
  path: ['audit', 'trace'],
  summary: 'everything a session, member or workload touched, in order, with PHI scopes and decisions',
  options: {
    session: { value: '<session id>', description: 'the session to trace' },
    member: { value: '<email>', description: "the member to trace, by e-mail address (or member id)" },
    workload: { value: '<client_id>', description: 'the AI agent, tool or job to trace, by client id (wl_…), acting alone or for a person' },
    tenant: { ...TENANT_OPTION, description: "the tenant's slug (all tenants when absent)" },
    json: { type: 'boolean', description: 'one JSON object per event instead of text lines' },
  },
  usage: [
    'ward audit trace --session <session id> [--tenant <slug>] [--json]',
    'ward audit trace --member <email> [--tenant <slug>] [--json]',
    'ward audit trace --workload <client_id> [--tenant <slug>] [--json]',
  ],
  usesDatabase: true,
  async run(options, io, ctx) {
    const { session, member, workload } = options;
    if ([session, member, workload].filter((v) => v !== undefined).length !== 1) throw new WardError('USAGE', 'Give --session, --member or --workload (one of them).');
    const isJson = options.json;
    return ctx.withDeps(async (deps) => {
      const tenants = await selectTenants(deps, options.tenant);
      // A workload's events are those with its id as actor (alone, or for a person: R-WORK-3).
      const memberIds = member !== undefined ? await membersOf(deps, tenants, member) : workload !== undefined ? await workloadsOf(deps, tenants, workload) : undefined;
      let total = 0;
      const targets = new Set<string>();
      const scopes = new Set<string>();
      let denied = 0;
      for (const tenant of tenants) {
        const memberId = memberIds?.get(tenant.id);
        if (memberIds && memberId === undefined) continue;
        // R-MON-2: streamed a page at a time (1,000 events), never the whole trail in memory.
        const subject: TraceSubject = session !== undefined ? { kind: 'session', id: session } : { kind: 'actor', id: memberId! };
        const count = (await traceSummary(deps.db.systemDb, tenant.id, subject)).events;
        if (count === 0) continue;
        if (!isJson) await writeLine(io, `tenant ${tenant.slug}: ${count} events`);
        for await (const page of traceAll(deps.db.systemDb, tenant.id, subject)) for (const e of page) {
          total += 1;
          if (e.targetType !== null) targets.add(`${e.targetType}:${e.targetId ?? ''}`);
          if (e.phiScope !== null) scopes.add(e.phiScope);
          if (e.decision === 'deny' || e.outcome === 'denied') denied += 1;
          await writeLine(io, isJson ? JSON.stringify({ tenant: tenant.slug, ...e }) : line(e));
        }
      }
      if (!isJson) {
        const scopeText = scopes.size > 0 ? [...scopes].sort().join(', ') : 'none';
        await writeLine(io, `${total} events; ${targets.size} distinct targets; PHI scopes: ${scopeText}; ${denied} denied`);
      }
      return 0;
    });
  },
});
