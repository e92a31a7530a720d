import { WardError } from '@ward/contracts';
import { traceMember, traceSession, type AuditEventView } from '../../modules/audit/query.ts';
import type { Command } from '../command.ts';
import { parseAuditOptions, selectTenants, writeLine } from './audit-options.ts';

const USAGE = 'ward audit trace --session <id> | --member <id> [--tenant <slug>] [--json]';

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
const command: Command = {
  path: ['audit', 'trace'],
  summary: 'everything a session or member touched, in order, with PHI scopes and decisions',
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    const options = parseAuditOptions(args, USAGE, ['--session', '--member', '--tenant'], ['--json']);
    const session = options['--session'];
    const member = options['--member'];
    if ((session === undefined) === (member === undefined)) throw new WardError('USAGE', `usage: ${USAGE}`);
    const isJson = options['--json'] !== undefined;
    return ctx.withDeps(async (deps) => {
      const tenants = await selectTenants(deps, options['--tenant']);
      let total = 0;
      const targets = new Set<string>();
      const scopes = new Set<string>();
      let denied = 0;
      for (const tenant of tenants) {
        const events = session !== undefined ? await traceSession(deps.db.systemDb, tenant.id, session) : await traceMember(deps.db.systemDb, tenant.id, member!);
        if (events.length === 0) continue;
        if (!isJson) await writeLine(io, `tenant ${tenant.slug}: ${events.length} events`);
        for (const e of events) {
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
};
export default command;
