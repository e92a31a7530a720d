import { defineCommand, TENANT_OPTION } from '../options.ts';
import { demoCaller, networkSend, requireDemoTenant, sendCallStarted } from '../demo-voice.ts';

/**
 * `ward demo call-start --tenant <slug> --agent <client_id> --caller-phone <phone>` (R-WORK-4, R-AI-6):
 * the demo voice platform sends its signed `call-started` webhook (RFC 9421) to the running server at
 * WARD_ORIGIN for a call from the demo patient with that phone, handled by that AI agent. The call id
 * is alone on the last line, for `ward demo agent` or an MCP client. Demo tenants only.
 */
export default defineCommand({
  path: ['demo', 'call-start'],
  summary: 'send the signed call-started webhook as the demo voice platform (demo tenants only)',
  options: {
    tenant: { ...TENANT_OPTION, description: 'a demo tenant: riverside or lakeside', required: true },
    agent: { value: '<client_id>', description: 'the client_id of the AI voice agent handling the call', required: true },
    'caller-phone': { value: '<phone>', description: "a demo patient's phone number (E.164 or digits)", required: true },
  },
  help: 'Needs the server running at WARD_ORIGIN and the demo workloads\' keys (ward demo seed writes them). The call id is alone on the last line.',
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await requireDemoTenant(deps, o.tenant);
      const caller = demoCaller(tenantId, o['caller-phone']);
      const callId = await sendCallStarted(deps, networkSend, o.tenant, { agentClientId: o.agent, patientId: caller.id, phiScope: caller.phiScope });
      io.stdout.write(`call-started signed by the demo voice platform of ${o.tenant} and recorded; the call is handled by ${o.agent}\n${callId}\n`);
      return 0;
    });
  },
});
