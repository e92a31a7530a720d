// The MCP tool server (R-AI-6, R-AUTHZ-1, R-AUDIT-1): the SDK's own client over Streamable HTTP with
// a DPoP-bound token for the MCP resource lists its tools and calls them; each call is one Cedar
// decision and one audit row naming the agent, the tool and the call; refusals are MCP tool errors
// with Ward's code: a tool beyond the role, a patient not on the call, a call of another agent, a
// call of another tenant, a token for another resource, and caller verification locks after 3 failures.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { buildApp } from '../../src/app.ts';
import { approveVendorBaa } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { signIn } from '../support/session-client.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { connectMcp, dpopFetch, type DpopKeys, type Send } from '../support/mcp-client.ts';
import { injectFetch, runCli, withNonce, type SeenRequest } from '../support/oauth-client.ts';
import { problemCodeOf } from '../support/problem.ts';

const ORIGIN = 'https://ward.test';
const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const lakeside = demo.tenants.find((t) => t.slug === 'lakeside')!;
const patients = (tenantId: string) => demo.patients.filter((p) => p.tenantId === tenantId && p.phiScope === 'Healthcare-PHI');
const [hc, hc2] = patients(riverside.id);
const [elsewhere] = patients(lakeside.id);

type App = Awaited<ReturnType<typeof buildApp>>;
interface Agent { clientId: string; id: string; key: CryptoKey }

function toolResult(r: Awaited<ReturnType<Client['callTool']>>): { isError: boolean; body: Record<string, unknown> } {
  const text = (r.content as { type: string; text: string }[])[0]!.text;
  return { isError: r.isError === true, body: JSON.parse(text) as Record<string, unknown> };
}

for (const { engine, skip } of ENGINES) {
  describe(`the MCP tool server on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    let as: oauth.AuthorizationServer;
    const seen: SeenRequest = {};
    const options = () => ({ [oauth.customFetch]: injectFetch(app, seen) });
    const send: Send = async (url, init) => {
      const res = await app.inject({ method: init.method as 'POST', url: url.pathname + url.search, headers: init.headers, payload: init.body });
      return new Response(res.statusCode === 204 || res.statusCode === 202 || res.rawPayload.length === 0 ? null : res.rawPayload, { status: res.statusCode, headers: res.headers as Record<string, string> });
    };
    let voice1: Agent, voice2: Agent, lakeAgent: Agent, summaryTool: Agent;
    const callOf1 = randomUUID();
    const lockCall = randomUUID();
    const lakeCall = randomUUID();

    async function register(tenant: string, name: string, role = 'VoiceAgent', kind = 'ai_agent'): Promise<Agent> {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const r = await runCli(t, ['workload', 'create', '--tenant', tenant, '--name', name, '--kind', kind, '--role', role, '--scopes', 'Healthcare-PHI', '--approver', tenant === 'riverside' ? 'olivia.owner@riverside.test' : 'owen.owner@lakeside.test'],
        JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: `${name}-1` }] }));
      assert.equal(r.code, 0, r.err);
      const clientId = r.out.trim().split('\n').at(-1)!;
      const { rows } = await t.deps.db.systemDb.query<{ id: string }>('SELECT id FROM workloads WHERE client_id = $1', [clientId]);
      return { clientId, id: rows[0]!.id, key: privateKey };
    }

    async function tokenFor(a: Agent, resource: string): Promise<{ token: string; keys: DpopKeys }> {
      const keys = await generateKeyPair('ES256');
      const dpop = oauth.DPoP({ client_id: a.clientId } as oauth.Client, keys);
      const client = { client_id: a.clientId };
      const res = await withNonce(async () => oauth.processClientCredentialsResponse(as, client,
        await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: a.key, kid: undefined as never }), { resource }, { ...options(), DPoP: dpop })));
      return { token: res.access_token, keys };
    }

    async function mcpAs(a: Agent): Promise<Client> {
      const { token, keys } = await tokenFor(a, `${ORIGIN}/mcp`);
      return connectMcp(ORIGIN, send, token, keys);
    }

    async function insertCall(tenantId: string, id: string, patientId: string, agentId: string): Promise<void> {
      await t.deps.db.systemDb.query(
        `INSERT INTO calls (id, tenant_id, phi_scope, patient_id, direction, handled_by, handled_by_workload, started_at) VALUES ($1, $2, 'Healthcare-PHI', $3, 'inbound', 'ai_agent', $4, now())`,
        [id, tenantId, patientId, agentId]);
    }

    before(async () => {
      t = await createTestDeps(engine, { env: { WARD_ORIGIN: ORIGIN }, demo: demo.seed });
      app = await buildApp(t.deps);
      as = await oauth.processDiscoveryResponse(new URL(ORIGIN), await oauth.discoveryRequest(new URL(ORIGIN), { ...options(), algorithm: 'oauth2' }));
      voice1 = await register('riverside', 'voice-1');
      voice2 = await register('riverside', 'voice-2');
      lakeAgent = await register('lakeside', 'voice-l');
      summaryTool = await register('riverside', 'summary-1', 'SummaryTool', 'service');
      // R-AI-3: PHI reaches an agent only through a vendor with a BAA in force, recorded on the agent.
      for (const tenant of ['riverside', 'lakeside']) {
        const v = await runCli(t, ['demo', 'vendor', '--tenant', tenant, '--name', 'agent-model', '--base-url', 'https://model.test/v1', '--model', 'm-1', '--baa'], 'sk-test\n');
        assert.equal(v.code, 0, v.err);
      }
      for (const [tenant, a] of [['riverside', voice1], ['riverside', voice2], ['lakeside', lakeAgent]] as const) {
        const r = await runCli(t, ['workload', 'set-vendor', '--tenant', tenant, '--client-id', a.clientId, '--vendor', 'agent-model']);
        assert.equal(r.code, 0, r.err);
      }
      await insertCall(riverside.id, callOf1, hc!.id, voice1.id);
      await insertCall(riverside.id, lockCall, hc!.id, voice1.id);
      await insertCall(lakeside.id, lakeCall, elsewhere!.id, lakeAgent.id);
      // This suite's own appointments in place of the demo seed's, so that it knows what to expect.
      await t.deps.db.systemDb.query('DELETE FROM appointments WHERE patient_id = ANY($1::uuid[])', [[hc!.id, hc2!.id]]);
      await t.deps.db.systemDb.query(
        `INSERT INTO appointments (tenant_id, phi_scope, patient_id, starts_at, minutes, kind) VALUES ($1, 'Healthcare-PHI', $2, now() + interval '3 days', 30, 'follow-up'), ($1, 'Healthcare-PHI', $3, now() + interval '4 days', 45, 'procedure')`,
        [riverside.id, hc!.id, hc2!.id]);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('the Protected Resource Metadata names the MCP resource and Ward as its authorization server, and a 401 names it', async () => {
      const prm = await app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/mcp' });
      assert.equal(prm.statusCode, 200);
      assert.deepEqual(prm.json(), {
        resource: `${ORIGIN}/mcp`, authorization_servers: [ORIGIN], bearer_methods_supported: ['header'], dpop_signing_alg_values_supported: ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'],
        dpop_bound_access_tokens_required: true, resource_name: 'Ward MCP tool server',
      });
      const bare = await app.inject({ method: 'POST', url: '/mcp', payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
      assert.equal(bare.statusCode, 401);
      assert.match(String(bare.headers['www-authenticate']), /^DPoP .*resource_metadata="https:\/\/ward\.test\/\.well-known\/oauth-protected-resource\/mcp"/);
    });

    test('tools/list shows a voice agent its seven tools, and a service without the role none', async () => {
      const c = await mcpAs(voice1);
      const { tools } = await c.listTools();
      assert.deepEqual(tools.map((x) => x.name).sort(), ['draft_case_note', 'find_patient', 'get_appointments', 'get_call_summary', 'request_callback', 'transfer_to_human', 'verify_caller']);
      assert.ok(tools.every((x) => (x.inputSchema.required ?? []).includes('callId')), 'every tool takes callId');
      await c.close();
      const s = await mcpAs(summaryTool);
      assert.deepEqual((await s.listTools()).tools, []);
      const refused = toolResult(await s.callTool({ name: 'find_patient', arguments: { callId: callOf1, phone: hc!.phone, dateOfBirth: hc!.dateOfBirth } }));
      assert.deepEqual(refused, { isError: true, body: { code: 'FORBIDDEN', message: 'The request is not allowed.' } });
      await s.close();
    });

    test('find_patient, verify_caller and get_appointments on the agent\'s own call; every call one decision and one audit row', async () => {
      const c = await mcpAs(voice1);
      const miss = toolResult(await c.callTool({ name: 'find_patient', arguments: { callId: callOf1, phone: hc!.phone, dateOfBirth: '1900-01-01' } }));
      assert.deepEqual(miss, { isError: false, body: { match: null } });
      const found = toolResult(await c.callTool({ name: 'find_patient', arguments: { callId: callOf1, phone: hc!.phone.replace(/^\+1/, ''), dateOfBirth: hc!.dateOfBirth } }));
      assert.equal(found.isError, false);
      const match = found.body.match as { patientHandle: string; initials: string; birthYear: string };
      assert.deepEqual(match, { patientHandle: hc!.id, initials: `${hc!.givenName[0]}. ${hc!.familyName[0]}.`, birthYear: hc!.dateOfBirth.slice(0, 4) });
      const early = toolResult(await c.callTool({ name: 'get_appointments', arguments: { callId: callOf1, patientHandle: hc!.id } }));
      assert.equal(early.body.code, 'CALLER_NOT_VERIFIED');
      const verified = toolResult(await c.callTool({ name: 'verify_caller', arguments: { callId: callOf1, patientHandle: hc!.id, zip: hc!.zip } }));
      assert.deepEqual(verified.body, { verified: true, attemptsLeft: 3 });
      const appts = toolResult(await c.callTool({ name: 'get_appointments', arguments: { callId: callOf1, patientHandle: hc!.id } }));
      assert.equal(appts.isError, false);
      assert.deepEqual((appts.body.appointments as { kind: string; minutes: number }[]).map((x) => [x.kind, x.minutes]), [['follow-up', 30]]);
      const summary = toolResult(await c.callTool({ name: 'get_call_summary', arguments: { callId: callOf1 } }));
      assert.deepEqual(summary.body, { callId: callOf1, patientIdentified: true, callerVerified: true, verificationLocked: false, callbacksRequested: 0 });
      await c.close();

      const { rows } = await t.deps.db.systemDb.query<{ actor_id: string; action: string; target_id: string; decision: string | null; outcome: string; tool: string | null }>(
        "SELECT actor_id, action, target_id, decision, outcome, metadata->>'tool' AS tool FROM audit_events WHERE tenant_id = $1 AND target_id = $2 AND actor_id = $3 ORDER BY occurred_at, id", [riverside.id, callOf1, voice1.id]);
      assert.equal(rows.length, 6, 'one row per tools/call');
      assert.ok(rows.every((r) => r.actor_id === voice1.id && r.target_id === callOf1));
      assert.deepEqual(rows.filter((r) => r.outcome === 'success').map((r) => [r.action, r.tool, r.decision]).sort(), [
        ['mcp.findPatient', 'find_patient', 'allow'], ['mcp.findPatient', 'find_patient', 'allow'], ['mcp.getAppointments', 'get_appointments', 'allow'],
        ['mcp.getCallSummary', 'get_call_summary', 'allow'], ['mcp.verifyCaller', 'verify_caller', 'allow'],
      ]);
    });

    test('a patient not on the call, and a call of another agent, are refused with FORBIDDEN and audited as denials', async () => {
      const c = await mcpAs(voice1);
      const other = toolResult(await c.callTool({ name: 'get_appointments', arguments: { callId: callOf1, patientHandle: hc2!.id } }));
      assert.deepEqual(other.body.code, 'FORBIDDEN');
      assert.equal(other.isError, true);
      await c.close();
      const c2 = await mcpAs(voice2);
      const notMine = toolResult(await c2.callTool({ name: 'get_call_summary', arguments: { callId: callOf1 } }));
      assert.equal(notMine.body.code, 'FORBIDDEN');
      await c2.close();
      const { rows } = await t.deps.db.systemDb.query<{ actor_id: string; reasons: string[] }>(
        "SELECT actor_id, reasons FROM audit_events WHERE tenant_id = $1 AND target_id = $2 AND decision = 'deny' AND actor_id IN ($3, $4) ORDER BY occurred_at", [riverside.id, callOf1, voice1.id, voice2.id]);
      assert.deepEqual(rows.map((r) => [r.actor_id, r.reasons]), [[voice1.id, ['forbid:mcp-call-binding']], [voice2.id, ['forbid:mcp-call-binding']]]);
    });

    test('two agents of two tenants never see each other\'s calls or patients', async () => {
      const lake = await mcpAs(lakeAgent);
      const across = toolResult(await lake.callTool({ name: 'get_call_summary', arguments: { callId: callOf1 } }));
      assert.equal(across.body.code, 'NOT_FOUND');
      const riversidePatient = toolResult(await lake.callTool({ name: 'find_patient', arguments: { callId: lakeCall, phone: hc!.phone, dateOfBirth: hc!.dateOfBirth } }));
      assert.deepEqual(riversidePatient.body, { match: null });
      const own = toolResult(await lake.callTool({ name: 'find_patient', arguments: { callId: lakeCall, phone: elsewhere!.phone, dateOfBirth: elsewhere!.dateOfBirth } }));
      assert.equal((own.body.match as { patientHandle: string }).patientHandle, elsewhere!.id);
      await lake.close();
      const river = await mcpAs(voice1);
      assert.equal(toolResult(await river.callTool({ name: 'get_call_summary', arguments: { callId: lakeCall } })).body.code, 'NOT_FOUND');
      await river.close();
    });

    test('a /v1 token is refused at /mcp and an /mcp token at /v1 (RFC 8707)', async () => {
      const api = await tokenFor(voice1, `${ORIGIN}/v1`);
      const f = dpopFetch(send, api.token, api.keys);
      const res = await f(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /resource_metadata=/);
      assert.equal(await problemCodeOf(res), 'TOKEN_AUDIENCE_MISMATCH');
      const mcp = await tokenFor(voice1, `${ORIGIN}/mcp`);
      const g = dpopFetch(send, mcp.token, mcp.keys);
      const v1 = await g(`${ORIGIN}/v1/patients/${hc!.id}`, { method: 'GET' });
      assert.equal(v1.status, 401);
      assert.equal(await problemCodeOf(v1), 'TOKEN_AUDIENCE_MISMATCH');
    });

    test('a JSON-RPC batch is refused with Invalid Request: one request, one proof, one message; no tool runs', async () => {
      const { token, keys } = await tokenFor(voice1, `${ORIGIN}/mcp`);
      const f = dpopFetch(send, token, keys);
      const audited = async () => Number((await t.deps.db.systemDb.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE actor_id = $1', [voice1.id])).rows[0]!.n);
      const before = await audited();
      const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId: callOf1 } } });
      const res = await f(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify([call(1), call(2), call(3)]) });
      assert.equal(res.status, 400);
      assert.deepEqual(((await res.json()) as { error: { code: number } }).error.code, -32600);
      assert.equal(await audited(), before, 'no tool call ran');
    });

    test('a request whose Origin is another site is refused (403) before any tool runs; its own origin is served', async () => {
      const { token, keys } = await tokenFor(voice1, `${ORIGIN}/mcp`);
      const f = dpopFetch(send, token, keys);
      const audited = async () => Number((await t.deps.db.systemDb.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE actor_id = $1', [voice1.id])).rows[0]!.n);
      const before = await audited();
      const post = (origin: string, body: unknown) => f(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin }, body: JSON.stringify(body) });
      const foreign = await post('https://rebound.example', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_call_summary', arguments: { callId: callOf1 } } });
      assert.equal(foreign.status, 403);
      assert.equal(((await foreign.json()) as { error: { code: number } }).error.code, -32000);
      assert.equal(await audited(), before, 'no tool call ran');
      assert.equal((await post(ORIGIN, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status, 200);
    });

    test('PHI tools only while the agent\'s AI vendor has a BAA in force: none recorded, none approved or expired is VENDOR_NOT_BAA (R-AI-3)', async () => {
      const voice3 = await register('riverside', 'voice-3');
      const call3 = randomUUID();
      await insertCall(riverside.id, call3, hc!.id, voice3.id);
      const findArgs = { callId: call3, phone: hc!.phone, dateOfBirth: hc!.dateOfBirth };
      const c = await mcpAs(voice3);
      assert.deepEqual((await c.listTools()).tools.map((x) => x.name).sort(), ['draft_case_note', 'get_call_summary', 'request_callback', 'transfer_to_human', 'verify_caller'], 'no vendor: no PHI tool listed');
      assert.equal(toolResult(await c.callTool({ name: 'find_patient', arguments: findArgs })).body.code, 'VENDOR_NOT_BAA');
      assert.equal(toolResult(await c.callTool({ name: 'verify_caller', arguments: { callId: call3, patientHandle: hc!.id, zip: '00000' } })).isError, false, 'a tool returning no PHI still works');

      const add = await runCli(t, ['ai', 'vendor', 'add', '--tenant', 'riverside', '--name', 'no-baa-model', '--base-url', 'https://other.test/v1', '--model', 'x'], 'sk-2\n');
      assert.equal(add.code, 0, add.err);
      assert.equal((await runCli(t, ['workload', 'set-vendor', '--tenant', 'riverside', '--client-id', voice3.clientId, '--vendor', 'no-baa-model'])).code, 0);
      assert.equal(toolResult(await c.callTool({ name: 'find_patient', arguments: findArgs })).body.code, 'VENDOR_NOT_BAA');

      assert.equal((await runCli(t, ['workload', 'set-vendor', '--tenant', 'riverside', '--client-id', voice3.clientId, '--vendor', 'agent-model'])).code, 0);
      assert.equal(toolResult(await c.callTool({ name: 'find_patient', arguments: findArgs })).isError, false);
      // A changed BAA record reopens approval (the database's trigger); approved again but expired, it stops PHI.
      await t.deps.db.systemDb.query("UPDATE ai_vendors SET baa_effective = current_date - 400, baa_expires = current_date - 1 WHERE name = 'agent-model' AND tenant_id = $1", [riverside.id]);
      const states = async () => (await runCli(t, ['ai', 'vendor', 'list', '--tenant', 'riverside'])).out.trim().split('\n')
        .map((l) => { const v = JSON.parse(l) as { name: string; baa: string }; return [v.name, v.baa]; });
      assert.deepEqual(await states(), [['agent-model', 'pending'], ['no-baa-model', 'none']]);
      assert.equal(toolResult(await c.callTool({ name: 'find_patient', arguments: findArgs })).body.code, 'VENDOR_NOT_BAA');
      const [admin] = (await t.deps.db.systemDb.query<{ id: string }>("SELECT id FROM members WHERE email = 'adrian.admin@riverside.test'")).rows;
      await t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin!.id }, (tx) => approveVendorBaa(tx, riverside.id, 'agent-model', new Date()));
      assert.deepEqual(await states(), [['agent-model', 'expired'], ['no-baa-model', 'none']]);
      assert.equal(toolResult(await c.callTool({ name: 'find_patient', arguments: findArgs })).body.code, 'VENDOR_NOT_BAA');
      await c.close();
      // The other tests' agents work with this vendor: a BAA in force again.
      await t.deps.db.systemDb.query("UPDATE ai_vendors SET baa_effective = current_date - 1, baa_expires = current_date + 365 WHERE name = 'agent-model' AND tenant_id = $1", [riverside.id]);
      await t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: admin!.id }, (tx) => approveVendorBaa(tx, riverside.id, 'agent-model', new Date()));
    });

    test('draft_case_note leaves a pending, pseudonymised draft; only a person\'s review makes it a case note (R-AI-5)', async () => {
      const c = await mcpAs(voice1);
      const note = `${hc!.givenName} ${hc!.familyName} asked to move the follow-up; call back at ${hc!.phone}.`;
      const drafted = toolResult(await c.callTool({ name: 'draft_case_note', arguments: { callId: callOf1, patientHandle: hc!.id, note } }));
      assert.equal(drafted.isError, false, JSON.stringify(drafted.body));
      assert.deepEqual({ ...drafted.body, draftId: undefined }, { draftId: undefined, status: 'pending', restrictedCategories: [] });
      const restricted = toolResult(await c.callTool({ name: 'draft_case_note', arguments: { callId: callOf1, patientHandle: hc!.id, note: 'Caller relapsed and asked about methadone.' } }));
      assert.deepEqual(restricted.body.restrictedCategories, ['treatment', 'substance-use']);
      const other = toolResult(await c.callTool({ name: 'draft_case_note', arguments: { callId: callOf1, patientHandle: hc2!.id, note } }));
      assert.equal(other.body.code, 'FORBIDDEN', 'a patient not on the call');
      await c.close();
      // The same guard as every tool: one Cedar decision and one audit row per call, naming the agent and
      // the call; never the note's text.
      const audited = (await t.deps.db.systemDb.query<{ decision: string | null; outcome: string; tool: string | null; metadata: string }>(
        "SELECT decision, outcome, metadata->>'tool' AS tool, metadata::text AS metadata FROM audit_events WHERE tenant_id = $1 AND actor_id = $2 AND action = 'mcp.draftCaseNote' ORDER BY occurred_at, id",
        [riverside.id, voice1.id])).rows;
      assert.deepEqual(audited.map((r) => r.decision ?? r.outcome), ['allow', 'allow', 'deny'], 'the patient not on the call is refused by the policy');
      assert.deepEqual(audited.filter((r) => r.decision === 'allow').map((r) => r.tool), ['draft_case_note', 'draft_case_note']);
      assert.ok(audited.every((r) => !r.metadata.includes(hc!.familyName) && !/methadone/i.test(r.metadata)), 'no note text in the audit trail');
      const draftId = String(drafted.body.draftId);
      const [row] = (await t.deps.db.systemDb.query<{ status: string; kind: string; created_by: string; notes: number }>(
        'SELECT status, kind, created_by, (SELECT count(*)::int FROM case_notes WHERE ai_draft_id = $1) AS notes FROM ai_drafts WHERE id = $1', [draftId])).rows;
      assert.deepEqual(row, { status: 'pending', kind: 'case_note', created_by: voice1.id, notes: 0 });

      const person = await signIn(t.deps, 'alex.agent@riverside.test');
      const pseudonymised = await app.inject({ method: 'GET', url: `/v1/ai/drafts/${draftId}`, headers: await person.headers('GET', `/v1/ai/drafts/${draftId}`) });
      assert.equal(pseudonymised.statusCode, 200, pseudonymised.body);
      assert.ok(!pseudonymised.body.includes(hc!.familyName), 'stored pseudonymised');
      const path = `/v1/ai/drafts/${draftId}/review`;
      const res = await app.inject({ method: 'POST', url: path, headers: await person.headers('POST', path), payload: { decision: 'confirm' } });
      assert.equal(res.statusCode, 200, res.body);
      const { caseNoteId } = res.json() as { caseNoteId: string };
      const [written] = (await t.deps.db.systemDb.query<{ author_id: string; ai_draft_id: string }>('SELECT author_id, ai_draft_id FROM case_notes WHERE id = $1', [caseNoteId])).rows;
      assert.deepEqual(written, { author_id: person.memberId, ai_draft_id: draftId });
    });

    test('verify_caller locks the call after 3 failed attempts, even for the right answer', async () => {
      const c = await mcpAs(voice1);
      const attempt = async (zip: string) => toolResult(await c.callTool({ name: 'verify_caller', arguments: { callId: lockCall, patientHandle: hc!.id, zip } }));
      assert.deepEqual((await attempt('00000')).body, { verified: false, attemptsLeft: 2 });
      assert.deepEqual((await attempt('00001')).body, { verified: false, attemptsLeft: 1 });
      assert.deepEqual((await attempt('00002')).body, { verified: false, attemptsLeft: 0 });
      const locked = await attempt(hc!.zip);
      assert.deepEqual(locked, { isError: true, body: { code: 'CALLER_VERIFICATION_LOCKED', message: 'Caller verification on this call is locked after too many failures.' } });
      assert.equal(toolResult(await c.callTool({ name: 'get_appointments', arguments: { callId: lockCall, patientHandle: hc!.id } })).body.code, 'CALLER_NOT_VERIFIED');
      const handed = toolResult(await c.callTool({ name: 'transfer_to_human', arguments: { callId: lockCall, reason: 'verification-locked' } }));
      assert.deepEqual(handed.body, { transferred: true });
      assert.equal(toolResult(await c.callTool({ name: 'get_call_summary', arguments: { callId: lockCall } })).body.code, 'FORBIDDEN', 'a transferred call is no longer the agent\'s');
      await c.close();
    });
  });
}
