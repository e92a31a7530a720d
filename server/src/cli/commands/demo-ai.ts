import { WardError } from '@ward/contracts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { demoAgentToken, demoWorkload, networkSend, requireDemoTenant } from '../demo-voice.ts';
import { dpopFetch } from '../mcp-client.ts';

/**
 * `ward demo ai --tenant <slug> [--calls N]` (R-AI-1, R-AI-3, R-WORK-2; docs/ai.md): the demo summary
 * tool runs the call-summary template on N demo calls through the HTTP API at WARD_ORIGIN, with its
 * own DPoP-bound token (client_credentials, private_key_jwt, audience `<WARD_ORIGIN>/v1`): the same
 * path as any client. The guard decides `transcript.readRedacted` and `ai.run` for the SummaryTool
 * workload role; the tenant's active vendor for call-summary (the built-in local one by default) runs
 * it. One line per task: the call, the task id, its state and vendor, or the refusal's code.
 */
export default defineCommand({
  path: ['demo', 'ai'],
  summary: 'run the call-summary template on demo calls as the demo summary tool, over HTTP with its DPoP-bound token',
  options: {
    tenant: { ...TENANT_OPTION, description: 'a demo tenant: riverside or lakeside', required: true },
    calls: { value: '<count>', description: 'how many demo calls (default 3)' },
  },
  help: "Needs the server running at WARD_ORIGIN and the demo workloads' keys (ward demo seed writes them). Exits 1 if a task is refused.",
  usesDatabase: true,
  async run(o, io, ctx) {
    const n = wholeNumber('calls', o.calls, { min: 1, max: 1000, unit: 'calls' }) ?? 3;
    return ctx.withDeps(async (deps) => {
      const tenantId = await requireDemoTenant(deps, o.tenant);
      // Demo calls with a transcript, oldest first (ids only: the tool reads nothing else here).
      const { rows } = await deps.db.systemDb.query<{ id: string; phi_scope: string }>(
        `SELECT c.id, c.phi_scope FROM calls c WHERE c.tenant_id = $1 AND EXISTS (SELECT 1 FROM transcripts t WHERE t.call_id = c.id)
          ORDER BY c.started_at, c.id LIMIT $2`, [tenantId, n]);
      if (rows.length === 0) throw new WardError('NOT_FOUND', 'This demo tenant has no call with a transcript: run `ward demo seed` first.');
      const tool = demoWorkload(deps, o.tenant, 'summary-tool');
      const api = new URL('/v1', deps.config.origin).href;
      const { token, keys } = await demoAgentToken(deps, networkSend, tool, api);
      const say = (line: string) => io.stdout.write(`${line}\n`);
      say(`summary tool ${tool.client_id}: DPoP-bound token for ${api} (client_credentials, private_key_jwt)`);
      const fetchAs = dpopFetch(networkSend, token, keys);
      let refused = 0;
      for (const c of rows) {
        const res = await fetchAs(new URL('/v1/ai/tasks', deps.config.origin), {
          method: 'POST',
          // A purpose of use, as a SUD-Part2 call needs one (R-AUTHZ-4).
          headers: { 'content-type': 'application/json', 'ward-purpose': 'TREAT' },
          body: JSON.stringify({ template: 'call-summary', target: { type: 'call', id: c.id } }),
        });
        const body = (await res.json().catch(() => ({}))) as { id?: string; state?: string; vendor?: string; code?: string };
        if (res.status === 201) say(`call ${c.id} (${c.phi_scope}): task ${body.id} ${body.state} by ${body.vendor}`);
        else {
          refused += 1;
          say(`call ${c.id} (${c.phi_scope}): refused, ${body.code ?? `HTTP ${res.status}`}`);
        }
      }
      return refused === 0 ? 0 : 1;
    });
  },
});
