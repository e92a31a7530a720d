/**
 * `ward ai templates list [--tenant <slug>]`: the approved AI templates (R-AI-2; docs/ai.md), one JSON
 * line each. Without `--tenant`, the defaults of `ai/templates/`: id, version, purpose, inputs, the
 * Cedar actions they need beyond ai.run, output kind. With `--tenant`, what that tenant has: each
 * default and each version of its own templates (proposed, active, superseded, rejected, retired;
 * R-AUTHZ-5), who proposed and decided it, its latest retirement request (`retirement`: who asked,
 * who decided, `outcome` null while open), and `runs`: whether the gateway runs that version for the
 * tenant (the same view as GET /v1/ai/templates). Proposing, approving and retiring stay with two
 * people's own sessions (POST /v1/ai/templates…): the operator's command reads only.
 */
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { activeTemplates, inputActions, listTenantTemplates, loadTemplates, retirementJson } from '../../modules/ai/index.ts';
import { tenantIdBySlug } from './lookups.ts';

export default defineCommand({
  path: ['ai', 'templates', 'list'],
  summary: 'list the approved AI templates, or a tenant\'s template versions and which run (JSON lines)',
  options: { tenant: { ...TENANT_OPTION, description: "the tenant's slug: list its template versions and which run" } },
  usesDatabase: (args) => args.some((a) => a === '--tenant' || a.startsWith('--tenant=')),
  async run(o, io, ctx) {
    const defaults = loadTemplates();
    if (o.tenant === undefined) {
      for (const t of defaults.values()) {
        io.stdout.write(`${JSON.stringify({ id: t.id, version: t.version, purpose: t.purpose, inputs: t.inputs, actions: ['ai.run', ...inputActions(t)], output: t.output.kind, deidentifiedFallback: t.deidentifiedFallback })}\n`);
      }
      return 0;
    }
    const slug = o.tenant;
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, slug);
      const { running, versions } = await deps.db.scoped({ tenantId, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, async (tx) => ({
        running: await activeTemplates(tx, tenantId, defaults), versions: await listTenantTemplates(tx, tenantId),
      }));
      const runs = (id: string, version: number) => running.get(id)?.version === version;
      for (const t of defaults.values()) {
        io.stdout.write(`${JSON.stringify({ id: t.id, version: t.version, purpose: t.purpose, state: 'default', proposedBy: null, decidedBy: null, runs: runs(t.id, t.version), retirement: null })}\n`);
      }
      for (const v of versions) {
        io.stdout.write(`${JSON.stringify({
          id: v.id, version: v.version, purpose: v.purpose, state: v.state, proposedBy: v.proposedBy, proposedAt: v.proposedAt.toISOString(),
          decidedBy: v.decidedBy, decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null, runs: v.state === 'active' && runs(v.id, v.version), retirement: retirementJson(v.retirement),
        })}\n`);
      }
      return 0;
    });
  },
});
