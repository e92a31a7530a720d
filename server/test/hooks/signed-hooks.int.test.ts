// Signed service-to-service requests (R-WORK-4, R-AUTHZ-7, R-AUDIT-1): the voice platform's hooks are
// HTTP Message Signatures (RFC 9421) over @method, @target-uri and Content-Digest (RFC 9530), by a
// registered workload key, a third credential of the chain accepted on /v1/hooks/* only. Every refusal
// has its own code; every object a hook names is read in the signer's tenant.
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { createWorkload, signRequest, type RequestSigningKey } from '../../src/modules/workload/index.ts';
import { ENGINES } from '../support/databases.ts';
import { insertMember, insertPatient, insertTenant } from '../support/fixtures.ts';
import { problemCode } from '../support/problem.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

const ORIGIN = 'https://ward.test';
type App = Awaited<ReturnType<typeof buildApp>>;

function keyPair(kind: 'ec' | 'ed25519'): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown> };
}

for (const { engine, skip } of ENGINES) {
  describe(`signed hooks on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: App;
    // The test's clock starts at the real time: sessions and scopes are also checked against the database's own clock.
    let nowMs = Math.floor(Date.now() / 1000) * 1000;
    const clock = { now: () => new Date(nowMs) };
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const patientA = randomUUID();
    const patientB = randomUUID();
    let platform: RequestSigningKey;
    let platformB: RequestSigningKey;
    let agentClientId: string;
    let agentBClientId: string;
    const owners = new Map<string, string>([[tenantA, randomUUID()], [tenantB, randomUUID()]]);
    const ownerOf = (tenantId: string) => owners.get(tenantId)!;

    async function register(tenantId: string, name: string, role: string, kind: string, jwk: Record<string, unknown>): Promise<string> {
      const { clientId } = await createWorkload(t.deps.db, t.deps, { tenantId, name, kind, role, jwks: { keys: [{ ...jwk, kid: `${name}-1` }] }, scopes: ['Healthcare-PHI'], approverMemberId: ownerOf(tenantId) });
      return clientId;
    }

    /** Signs and sends; `tamper` changes the request after signing. */
    async function send(path: string, body: unknown, key: RequestSigningKey, opts: { nonce?: string; createdMs?: number; tamper?: (r: { body: string; headers: Record<string, string> }) => void } = {}) {
      const text = JSON.stringify(body);
      const headers = await signRequest({ method: 'POST', url: `${ORIGIN}${path}`, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) }, key, { now: new Date(opts.createdMs ?? nowMs), nonce: opts.nonce });
      const r = { body: text, headers };
      opts.tamper?.(r);
      return app.inject({ method: 'POST', url: path, headers: r.headers, payload: r.body });
    }

    const callStarted = (over: Record<string, unknown> = {}) => ({
      callId: randomUUID(), phiScope: 'Healthcare-PHI', patientId: patientA, direction: 'inbound', startedAt: new Date(nowMs).toISOString(), agentClientId, ...over,
    });

    before(async () => {
      t = await createTestDeps(engine, { clock, env: { WARD_ORIGIN: ORIGIN } });
      app = await buildApp(t.deps);
      await t.deps.db.systemDb.transaction(async (tx) => {
        await insertTenant(tx, tenantA, `hooks-a-${tenantA.slice(0, 8)}`);
        await insertTenant(tx, tenantB, `hooks-b-${tenantB.slice(0, 8)}`);
        // R-AUTHZ-5: each tenant's Owner approves its workloads' PHI scopes.
        for (const tenantId of [tenantA, tenantB]) await insertMember(tx, { id: ownerOf(tenantId), tenantId, email: `owner-${tenantId}@hooks.test`, roles: ['Owner'], scopes: [] });
        await insertPatient(tx, { id: patientA, tenantId: tenantA, phiScope: 'Healthcare-PHI', mrn: 'MRN-A' });
        await insertPatient(tx, { id: patientB, tenantId: tenantB, phiScope: 'Healthcare-PHI', mrn: 'MRN-B' });
      });
      const ec = keyPair('ec');
      const ed = keyPair('ed25519');
      const platformId = await register(tenantA, 'voice-platform', 'VoicePlatform', 'service', ec.jwk);
      platform = { keyid: `${platformId}#voice-platform-1`, alg: 'ecdsa-p256-sha256', privateKey: ec.privateKey };
      const platformBId = await register(tenantB, 'voice-platform', 'VoicePlatform', 'service', ed.jwk);
      platformB = { keyid: platformBId, alg: 'ed25519', privateKey: ed.privateKey };
      agentClientId = await register(tenantA, 'voice-agent', 'VoiceAgent', 'ai_agent', keyPair('ec').jwk);
      agentBClientId = await register(tenantB, 'voice-agent', 'VoiceAgent', 'ai_agent', keyPair('ec').jwk);
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    test('a valid signed call-started records the call and the AI agent handling it, audited as the platform', async () => {
      const body = callStarted();
      const res = await send('/v1/hooks/voice/call-started', body, platform);
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json(), { callId: body.callId, handledBy: 'ai_agent' });
      const { rows } = await t.deps.db.systemDb.query<{ tenant_id: string; handled_by: string; agent: string; reporter: string }>(
        `SELECT c.tenant_id, c.handled_by, a.client_id AS agent, r.name AS reporter FROM calls c
           JOIN workloads a ON a.id = c.handled_by_workload JOIN workloads r ON r.id = c.reported_by_workload WHERE c.id = $1`, [body.callId]);
      assert.deepEqual(rows[0], { tenant_id: tenantA, handled_by: 'ai_agent', agent: agentClientId, reporter: 'voice-platform' });
      const audit = await t.deps.db.systemDb.query<{ actor_kind: string; outcome: string }>("SELECT actor_kind, outcome FROM audit_events WHERE action = 'call.recordEvent' AND target_id = $1", [body.callId]);
      assert.deepEqual(audit.rows, [{ actor_kind: 'service', outcome: 'success' }]);
    });

    test('an Ed25519 key signs too; recording-ready and transcript-ready follow on the call', async () => {
      const body = callStarted({ patientId: patientB, agentClientId: agentBClientId });
      assert.equal((await send('/v1/hooks/voice/call-started', body, platformB)).statusCode, 201);
      const rec = await send('/v1/hooks/voice/recording-ready', { callId: body.callId, recordingId: randomUUID(), format: 'audio/wav', durationMs: 61_000 }, platformB);
      assert.equal(rec.statusCode, 201, rec.body);
      const tr = await send('/v1/hooks/voice/transcript-ready', { callId: body.callId, language: 'en-US' }, platformB);
      assert.equal(tr.statusCode, 201, tr.body);
      assert.equal(tr.json().callId, body.callId);
    });

    test('an altered body is refused (CONTENT_DIGEST_MISMATCH), and so is a digest recomputed without re-signing (SIGNATURE_INVALID)', async () => {
      const altered = await send('/v1/hooks/voice/call-started', callStarted(), platform, { tamper: (r) => { r.body = r.body.replace('inbound', 'outbound'); } });
      assert.equal(altered.statusCode, 401);
      assert.equal(problemCode(altered), 'CONTENT_DIGEST_MISMATCH');
      const { contentDigest } = await import('../../src/modules/workload/index.ts');
      const redigested = await send('/v1/hooks/voice/call-started', callStarted(), platform, {
        tamper: (r) => { r.body = r.body.replace('inbound', 'outbound'); r.headers['content-digest'] = contentDigest(Buffer.from(r.body)); },
      });
      assert.equal(problemCode(redigested), 'SIGNATURE_INVALID');
    });

    test('a replayed nonce is refused (SIGNATURE_REPLAYED), even with a new body and signature', async () => {
      const nonce = 'replayed-nonce-0123456789';
      assert.equal((await send('/v1/hooks/voice/call-started', callStarted(), platform, { nonce })).statusCode, 201);
      const again = await send('/v1/hooks/voice/call-started', callStarted(), platform, { nonce });
      assert.equal(problemCode(again), 'SIGNATURE_REPLAYED');
    });

    test('a created older than 60 s, or ahead of the clock, is refused (SIGNATURE_EXPIRED)', async () => {
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), platform, { createdMs: nowMs - 61_000 })), 'SIGNATURE_EXPIRED');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), platform, { createdMs: nowMs + 30_000 })), 'SIGNATURE_EXPIRED');
      assert.equal((await send('/v1/hooks/voice/call-started', callStarted(), platform, { createdMs: nowMs - 59_000 })).statusCode, 201);
    });

    test('an unknown key is refused (SIGNATURE_KEY_UNKNOWN): another key under a known keyid, an unknown kid, an unknown client', async () => {
      const stranger = keyPair('ec');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), { ...platform, privateKey: stranger.privateKey })), 'SIGNATURE_INVALID');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), { ...platform, keyid: `${platform.keyid}-other` })), 'SIGNATURE_KEY_UNKNOWN');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), { ...platform, keyid: 'wl_AAAAAAAAAAAAAAAAAAAAAA' })), 'SIGNATURE_KEY_UNKNOWN');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted(), { ...platform, keyid: 'not-a-keyid' })), 'SIGNATURE_KEY_UNKNOWN');
    });

    test("an object of another tenant is NOT_FOUND: a patient, an agent, a call; and nothing is written", async () => {
      const other = callStarted({ patientId: patientB });
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', other, platform)), 'NOT_FOUND');
      assert.equal(problemCode(await send('/v1/hooks/voice/call-started', callStarted({ agentClientId: agentBClientId }), platform)), 'NOT_FOUND');
      const bCall = callStarted({ patientId: patientB, agentClientId: agentBClientId });
      assert.equal((await send('/v1/hooks/voice/call-started', bCall, platformB)).statusCode, 201);
      assert.equal(problemCode(await send('/v1/hooks/voice/transcript-ready', { callId: bCall.callId, language: 'en-US' }, platform)), 'NOT_FOUND');
      const { rowCount } = await t.deps.db.systemDb.query('SELECT 1 FROM calls WHERE id = $1', [other.callId]);
      assert.equal(rowCount, 0);
    });

    test('a signature is no credential outside /v1/hooks/*, and a hook accepts no other credential', async () => {
      const headers = await signRequest({ method: 'GET', url: `${ORIGIN}/v1/patients`, headers: {}, body: Buffer.alloc(0) }, platform, { now: new Date(nowMs) });
      const api = await app.inject({ method: 'GET', url: '/v1/patients', headers });
      assert.equal(problemCode(api), 'SIGNATURE_INVALID');
      const unsigned = await app.inject({ method: 'POST', url: '/v1/hooks/voice/call-started', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(callStarted()) });
      assert.equal(problemCode(unsigned), 'UNAUTHENTICATED');
    });

    test('a signature that does not cover the content digest is refused', async () => {
      const res = await send('/v1/hooks/voice/call-started', callStarted(), platform, {
        tamper: (r) => { r.headers['signature-input'] = r.headers['signature-input']!.replace(' "content-digest"', ''); },
      });
      assert.equal(problemCode(res), 'SIGNATURE_INVALID');
    });

    test('a disabled platform is refused (WORKLOAD_DISABLED), audited in its tenant', async () => {
      const k = keyPair('ec');
      const id = await register(tenantA, 'old-platform', 'VoicePlatform', 'service', k.jwk);
      await t.deps.db.systemDb.query("UPDATE workloads SET status = 'disabled' WHERE client_id = $1", [id]);
      const res = await send('/v1/hooks/voice/call-started', callStarted(), { keyid: id, alg: 'ecdsa-p256-sha256', privateKey: createPrivateKey(k.privateKey.export({ format: 'pem', type: 'pkcs8' })) });
      assert.equal(problemCode(res), 'WORKLOAD_DISABLED');
    });
  });
}
