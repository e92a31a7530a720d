import { WardError } from '@ward/contracts';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { generateDemo } from '../../modules/demo/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { demoAgentToken, demoWorkload, networkSend, requireDemoTenant, sendCallStarted } from '../demo-voice.ts';
import { connectMcp } from '../mcp-client.ts';

type Result = { isError: boolean; body: Record<string, unknown> };

async function call(c: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  const r = await c.callTool({ name, arguments: args });
  const text = (r.content as { type: string; text: string }[])[0]?.text ?? '{}';
  return { isError: r.isError === true, body: JSON.parse(text) as Record<string, unknown> };
}

/**
 * `ward demo agent --tenant <slug>` (R-AI-6, R-AUTHZ-1, R-AUDIT-1): a scripted MCP session as the demo
 * voice agent against the running server at WARD_ORIGIN. The demo voice platform starts a call from a
 * demo patient (signed call-started); the agent gets a DPoP-bound token for the MCP resource
 * (client_credentials, private_key_jwt), connects with the MCP SDK's client over Streamable HTTP, and
 * finds the caller, verifies them, reads their appointments, drafts a case note (pending a person's
 * review), and is refused a patient not on its call.
 * Each tool call is one decision and one audit row on the server. One line per step.
 */
export default defineCommand({
  path: ['demo', 'agent'],
  summary: 'run a scripted MCP session as the demo voice agent (demo tenants only)',
  options: { tenant: { ...TENANT_OPTION, description: 'a demo tenant: riverside or lakeside', required: true } },
  help: 'Needs the server running at WARD_ORIGIN and the demo workloads\' keys (ward demo seed writes them). Exits 1 if a step goes otherwise than scripted.',
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await requireDemoTenant(deps, o.tenant);
      const demo = generateDemo(1);
      const withAppointments = new Set(demo.appointments.map((a) => a.patientId));
      const [caller, other] = demo.patients.filter((p) => p.tenantId === tenantId && p.phiScope === 'Healthcare-PHI' && withAppointments.has(p.id));
      if (!caller || !other) throw new WardError('NOT_FOUND', 'The demo data of this tenant has no caller for the script.');
      const agent = demoWorkload(deps, o.tenant, 'voice-agent');
      const say = (line: string) => io.stdout.write(`${line}\n`);
      let unexpected = 0;
      const expect = (ok: boolean, line: string) => { if (!ok) unexpected += 1; say(ok ? line : `${line}  <- not as scripted`); };

      const callId = await sendCallStarted(deps, networkSend, o.tenant, { agentClientId: agent.client_id, patientId: caller.id, phiScope: caller.phiScope });
      say(`1. call started: the demo voice platform signed call-started (RFC 9421); call ${callId}, handled by ${agent.client_id}`);
      const resource = new URL('/mcp', deps.config.origin).href;
      const { token, keys } = await demoAgentToken(deps, networkSend, agent, resource);
      say(`2. token: client_credentials with private_key_jwt, DPoP-bound, audience ${resource}`);
      const c = await connectMcp(deps.config.origin.href, networkSend, token, keys);
      try {
        const { tools } = await c.listTools();
        say(`3. tools/list: ${tools.map((t) => t.name).join(', ')}`);
        const found = await call(c, 'find_patient', { callId, phone: caller.phone, dateOfBirth: caller.dateOfBirth });
        const match = found.body.match as { patientHandle: string; initials: string; birthYear: string } | null;
        expect(!found.isError && match?.patientHandle === caller.id, `4. find_patient (the caller's phone and date of birth): ${match ? `${match.initials}, born ${match.birthYear}, handle ${match.patientHandle}` : 'no match'}`);
        const verified = await call(c, 'verify_caller', { callId, patientHandle: caller.id, zip: caller.zip });
        expect(verified.body.verified === true, `5. verify_caller (the caller's postal code): ${verified.isError ? String(verified.body.code) : `verified ${String(verified.body.verified)}`}`);
        const appts = await call(c, 'get_appointments', { callId, patientHandle: caller.id });
        const list = (appts.body.appointments ?? []) as { startsAt: string; minutes: number; kind: string }[];
        expect(!appts.isError && list.length > 0, `6. get_appointments: ${appts.isError ? String(appts.body.code) : list.map((a) => `${a.startsAt.slice(0, 16).replace('T', ' ')} UTC ${a.kind} (${a.minutes} min)`).join('; ')}`);
        // R-AI-5: the agent's note lands as a pending draft; a person reviews it before it is a case note.
        const drafted = await call(c, 'draft_case_note', { callId, patientHandle: caller.id, note: 'Caller asked about the next appointment; read the upcoming appointments back to them.' });
        expect(drafted.body.status === 'pending', `7. draft_case_note: ${drafted.isError ? String(drafted.body.code) : `draft ${String(drafted.body.draftId)} ${String(drafted.body.status)}, for a person to review (POST /v1/ai/drafts/:id/review)`}`);
        const refused = await call(c, 'get_appointments', { callId, patientHandle: other.id });
        expect(refused.isError, `8. get_appointments for a patient not on this call: ${refused.isError ? `refused, ${String(refused.body.code)}` : 'ANSWERED'}`);
      } finally {
        await c.close();
      }
      say(`each tool call above was one Cedar decision and one audit row naming ${agent.client_id}, the tool and call ${callId}`);
      return unexpected === 0 ? 0 : 1;
    });
  },
});
