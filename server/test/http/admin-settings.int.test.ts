// The admin console's settings routes (R-UX-1) through the real app, authenticator, guard, Cedar
// policies and database, on both engines: an Owner or Admin starts an access-review campaign and
// sees its progress (R-GOV-1), sets a retention policy and places and releases a legal hold (R-DATA-5);
// each is a `policy.manage` decision (step-up within five minutes, R-SESS-3), refused to an Agent,
// a Manager and an Auditor, audited with its outcome, and answers no patient's field; and workloads'
// keys are added, revoked and replaced (R-WORK-1, R-WORK-2) through the database's compare and swap.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { buildApp } from '../../src/app.ts';
import { createWorkload } from '../../src/modules/workload/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { denialReasons } from '../support/denials.ts';
import { givePasskeys, signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
const other = demo.tenants.find((t) => t.slug !== 'riverside')!;
const call = demo.calls.find((c) => c.tenantId === riverside.id && c.patientId)!;
const patient = demo.patients.find((p) => p.id === call.patientId)!;

for (const { engine, skip } of ENGINES) {
  describe(`admin settings over HTTP on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let admin: TestSession;
    let owner: TestSession;
    let agent: TestSession;
    let manager: TestSession;
    let auditor: TestSession;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp(t.deps);
      admin = await signIn(t.deps, 'adrian.admin@riverside.test');
      owner = await signIn(t.deps, 'olivia.owner@riverside.test');
      agent = await signIn(t.deps, 'alex.agent@riverside.test');
      manager = await signIn(t.deps, 'maya.manager@riverside.test');
      auditor = await signIn(t.deps, 'audrey.auditor@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const api = async (who: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: await who.headers(method, url), ...(payload !== undefined ? { payload: payload as object } : {}) });
    const outcomes = async (change: string) => (await t.deps.db.systemDb.query<{ actor_id: string; outcome: string }>(
      "SELECT actor_id, outcome FROM audit_events WHERE action = 'policy.manage' AND metadata ->> 'change' = $1 ORDER BY occurred_at", [change])).rows;
    const fresh = (...who: TestSession[]) => t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = ANY($1)', [who.map((w) => w.sessionId)]);
    const noPatientField = (body: string) => {
      for (const v of [patient.givenName, patient.familyName, patient.mrn, patient.phone, patient.dateOfBirth, patient.ssn]) if (v) assert.ok(!body.includes(v), 'no patient field in the reply');
    };

    test('an Admin starts an access-review campaign and sees its progress; an Agent, a Manager and an Auditor start none (R-GOV-1)', async () => {
      for (const who of [agent, manager, auditor]) {
        const refused = await api(who, 'POST', '/v1/reviews/campaigns', { name: '2026-Q4 refused' });
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(problemCode(refused), 'FORBIDDEN');
        assert.equal((await api(who, 'GET', '/v1/reviews/campaigns')).statusCode, 403);
      }
      assert.equal((await t.deps.db.systemDb.query('SELECT 1 FROM access_review_campaigns')).rowCount, 0, 'nothing was started');

      const bad = await api(admin, 'POST', '/v1/reviews/campaigns', { name: 'Q4', days: 91 });
      assert.equal(bad.statusCode, 400);
      assert.equal(problemCode(bad), 'BAD_REQUEST');

      await t.deps.db.systemDb.query("UPDATE sessions SET last_verified_at = now() - interval '1 hour' WHERE id = $1", [admin.sessionId]);
      const stale = await api(admin, 'POST', '/v1/reviews/campaigns', { name: '2026-Q4' });
      assert.equal(stale.statusCode, 403);
      assert.equal(problemCode(stale), 'STEP_UP_REQUIRED');
      await t.deps.db.systemDb.query('UPDATE sessions SET last_verified_at = now() WHERE id = $1', [admin.sessionId]);

      const started = await api(admin, 'POST', '/v1/reviews/campaigns', { name: '2026-Q4', days: 14 });
      assert.equal(started.statusCode, 201, started.body);
      const c = started.json();
      assert.equal(c.name, '2026-Q4');
      assert.equal(c.startedBy, admin.memberId);
      assert.ok(c.items > 0);
      assert.equal(c.undecided, c.items);
      assert.match(c.next, /^Reviewers \(each member's manager, else an Owner or Admin other than the member\) decide \d+ items by \d{4}-\d{2}-\d{2}/);
      const { rows: [row] } = await t.deps.db.systemDb.query<{ started_by: string; n: number }>(
        'SELECT c.started_by, (SELECT count(*)::int FROM access_review_items i WHERE i.campaign_id = c.id) AS n FROM access_review_campaigns c WHERE c.id = $1', [c.id]);
      assert.deepEqual(row, { started_by: `human:${admin.memberId}`, n: c.items });
      assert.deepEqual((await outcomes('review-started')).map((e) => [e.actor_id, e.outcome]), [[admin.memberId, 'success']]);

      // A reviewer's decision shows in the progress.
      const items = (await api(owner, 'GET', '/v1/reviews/items')).json().items as Array<{ id: string }>;
      assert.ok(items.length > 0);
      assert.equal((await api(owner, 'POST', `/v1/reviews/items/${items[0]!.id}/decision`, { decision: 'keep', note: 'Still needed' })).statusCode, 200);
      const listed = await api(owner, 'GET', '/v1/reviews/campaigns');
      assert.equal(listed.statusCode, 200, listed.body);
      const [progress] = listed.json().campaigns;
      assert.equal(progress.id, c.id);
      assert.equal(progress.kept, 1);
      assert.equal(progress.undecided, c.items - 1);
      assert.doesNotMatch(listed.body, /Still needed/, 'no note, no subject: counts only');
      noPatientField(listed.body);
    });

    test('retention per artifact: a change that deletes sooner takes two people, lengthening one; recordings only deleted, refused to others (R-DATA-5, R-AUTHZ-5)', async () => {
      await givePasskeys(t.deps, admin, owner);
      await fresh(admin, owner);
      const before = await api(admin, 'GET', '/v1/retention/policies');
      assert.equal(before.statusCode, 200, before.body);
      assert.deepEqual(before.json().policies.map((p: { artifact: string; action: string | null }) => [p.artifact, p.action]),
        [['recordings', null], ['transcripts', null], ['ai_drafts', null], ['case_notes', null]]);
      // A first policy deletes sooner than "kept until a policy says otherwise": one person only proposes it.
      const alone = await api(admin, 'PUT', '/v1/retention/policies/transcripts', { action: 'deidentify', afterDays: 365 });
      assert.equal(alone.statusCode, 409, alone.body);
      assert.equal(problemCode(alone), 'RETENTION_NEEDS_APPROVAL');
      const audio = await api(admin, 'PUT', '/v1/retention/policies/recordings', { action: 'deidentify', afterDays: 30 });
      assert.equal(audio.statusCode, 400);
      assert.equal(problemCode(audio), 'BAD_REQUEST');
      assert.equal((await api(admin, 'PUT', '/v1/retention/policies/embeddings', { action: 'delete', afterDays: 30 })).statusCode, 400);
      assert.equal((await api(admin, 'PUT', '/v1/retention/policies/recordings', { action: 'delete', afterDays: 0 })).statusCode, 400);
      assert.equal((await api(admin, 'POST', '/v1/retention/policies/recordings/requests', { action: 'deidentify', afterDays: 30 })).statusCode, 400);
      for (const who of [agent, manager, auditor]) {
        assert.equal((await api(who, 'PUT', '/v1/retention/policies/recordings', { action: 'delete', afterDays: 1 })).statusCode, 403);
        assert.equal((await api(who, 'POST', '/v1/retention/policies/recordings/requests', { action: 'delete', afterDays: 1 })).statusCode, 403);
        assert.equal((await api(who, 'GET', '/v1/retention/requests')).statusCode, 403);
      }
      const written = async () => (await t.deps.db.systemDb.query<{ artifact: string; action: string; after_days: number; updated_by: string }>(
        'SELECT artifact, action, after_days, updated_by FROM retention_policies WHERE tenant_id = $1 ORDER BY artifact', [riverside.id])).rows;
      assert.deepEqual(await written(), [], 'nothing was written');

      const proposed = await api(admin, 'POST', '/v1/retention/policies/transcripts/requests', { action: 'deidentify', afterDays: 365 });
      assert.equal(proposed.statusCode, 201, proposed.body);
      const p = proposed.json();
      assert.deepEqual([p.kind, p.artifact, p.action, p.afterDays, p.replacesDays, p.state], ['policy', 'transcripts', 'deidentify', 365, null, 'pending']);
      assert.equal(p.nextApprover, 'a second Owner or Admin other than adrian.admin@riverside.test (who proposed it)');
      assert.equal(problemCode(await api(owner, 'POST', '/v1/retention/policies/transcripts/requests', { action: 'delete', afterDays: 30 })), 'CHANGE_NOT_PENDING', 'one open per artifact');
      assert.equal((await api(owner, 'GET', '/v1/retention/requests')).json().requests[0].id, p.id);
      // The proposer approves nothing: Cedar first, the database underneath (as ward_app, the actor from the verified scope).
      const self = await api(admin, 'POST', `/v1/retention/requests/${p.id}/approve`);
      assert.equal(self.statusCode, 403, self.body);
      assert.ok((await denialReasons(t.deps, 'policy.manage', admin.memberId)).includes('forbid:sod-change-second-person'));
      const asAdmin = { tenantId: riverside.id, phiScopes: [], actorKind: 'human' as const, actorId: admin.memberId };
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query('SELECT ward_retention_change_approve($1, now())', [p.id])), { code: 'WD002' }, 'self-approval refused in SQL');
      // A direct write as ward_app is refused: the policy is the definer functions' only.
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query(
        "INSERT INTO retention_policies (tenant_id, artifact, action, after_days, updated_by) VALUES ($1, 'recordings', 'delete', 1, 'x')", [riverside.id])), { code: '42501' });
      await assert.rejects(t.deps.db.scoped(asAdmin, (tx) => tx.query("SELECT ward_retention_policy_set('recordings', 'delete', 1, now())")), { code: 'WD001' }, 'a person shortens nothing in one step');
      assert.deepEqual(await written(), [], 'a proposal is not in effect');

      const approved = await api(owner, 'POST', `/v1/retention/requests/${p.id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual([approved.json().state, approved.json().decidedBy], ['approved', owner.memberId]);
      assert.deepEqual(await written(), [{ artifact: 'transcripts', action: 'deidentify', after_days: 365, updated_by: owner.memberId }], 'applied on the second approval');
      assert.equal(problemCode(await api(owner, 'POST', `/v1/retention/requests/${p.id}/approve`)), 'CHANGE_NOT_PENDING', 'approved once');

      // Lengthening stays one step.
      const longer = await api(admin, 'PUT', '/v1/retention/policies/transcripts', { action: 'deidentify', afterDays: 400 });
      assert.equal(longer.statusCode, 200, longer.body);
      assert.deepEqual({ ...(longer.json() as object), updatedAt: null }, { artifact: 'transcripts', action: 'deidentify', afterDays: 400, updatedBy: admin.memberId, updatedAt: null });
      assert.equal(problemCode(await api(admin, 'PUT', '/v1/retention/policies/transcripts', { action: 'delete', afterDays: 400 })), 'RETENTION_NEEDS_APPROVAL', 'deletion in place of de-identification');

      // Recordings to 1 day: refused, proposed, refused by the Owner; proposed again, it expires unapproved.
      assert.equal(problemCode(await api(admin, 'PUT', '/v1/retention/policies/recordings', { action: 'delete', afterDays: 1 })), 'RETENTION_NEEDS_APPROVAL');
      const day1 = (await api(admin, 'POST', '/v1/retention/policies/recordings/requests', { action: 'delete', afterDays: 1, ttlHours: 1 })).json();
      const refused = await api(owner, 'POST', `/v1/retention/requests/${day1.id}/refuse`);
      assert.equal(refused.json().state, 'refused', refused.body);
      const stale = (await api(admin, 'POST', '/v1/retention/policies/recordings/requests', { action: 'delete', afterDays: 1, ttlHours: 1 })).json();
      await t.deps.db.systemDb.query("UPDATE retention_change_requests SET proposed_at = proposed_at - interval '2 hours', expires_at = expires_at - interval '2 hours' WHERE id = $1", [stale.id]);
      const late = await api(owner, 'POST', `/v1/retention/requests/${stale.id}/approve`);
      assert.equal(problemCode(late), 'CHANGE_NOT_PENDING', late.body);
      const asOwner = { ...asAdmin, actorId: owner.memberId };
      await assert.rejects(t.deps.db.scoped(asOwner, (tx) => tx.query("SELECT ward_retention_change_approve($1, now() - interval '1 day')", [stale.id])), { code: 'WD004' }, 'an old p_now revives nothing');
      assert.equal((await api(owner, 'GET', '/v1/retention/requests')).json().requests.find((r: { id: string }) => r.id === stale.id).state, 'expired');
      assert.deepEqual((await written()).map((r) => r.artifact), ['transcripts'], 'no recordings policy');

      // A policy changed since the proposal is not overwritten (compare and swap).
      const cas = (await api(admin, 'POST', '/v1/retention/policies/transcripts/requests', { action: 'deidentify', afterDays: 90 })).json();
      assert.equal((await api(owner, 'PUT', '/v1/retention/policies/transcripts', { action: 'deidentify', afterDays: 500 })).statusCode, 200);
      assert.equal(problemCode(await api(owner, 'POST', `/v1/retention/requests/${cas.id}/approve`)), 'CHANGE_NOT_PENDING');
      assert.equal((await written())[0]!.after_days, 500);
      assert.equal((await api(admin, 'POST', `/v1/retention/requests/${cas.id}/refuse`)).json().state, 'cancelled', 'the proposer withdraws it');

      const { rows: trail } = await t.deps.db.systemDb.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_events WHERE action LIKE 'retention.change.%' AND tenant_id = $1 ORDER BY occurred_at, action", [riverside.id]);
      assert.deepEqual(trail.map((e) => `${e.action} ${e.actor_id === owner.memberId ? 'owner' : 'admin'}`), [
        'retention.change.propose admin', 'retention.change.approve owner', 'retention.change.propose admin', 'retention.change.refuse owner',
        'retention.change.propose admin', 'retention.change.propose admin', 'retention.change.cancel admin',
      ]);
      assert.deepEqual((await outcomes('retention-set')).filter((e) => e.outcome === 'success').map((e) => (e.actor_id === owner.memberId ? 'owner' : 'admin')),
        ['owner', 'admin', 'owner'], 'written by the approval, the lengthening, the later lengthening');
    });

    test('legal holds: placed by Owners and Admins, released by two, kept on record, refused to others, in the tenant only (R-DATA-5, R-AUTHZ-5)', async () => {
      await fresh(admin, owner);
      for (const who of [agent, manager, auditor]) {
        const refused = await api(who, 'POST', '/v1/retention/holds', { targetType: 'call', targetId: call.id, matter: 'DOCKET-1' });
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal((await api(who, 'GET', '/v1/retention/holds')).statusCode, 403);
      }
      const free = await api(admin, 'POST', '/v1/retention/holds', { targetType: 'patient', targetId: patient.id, matter: `About ${patient.familyName}\nplease` });
      assert.equal(free.statusCode, 400, 'a matter is a reference, not free text');
      const placed = await api(admin, 'POST', '/v1/retention/holds', { targetType: 'call', targetId: call.id, matter: 'DOCKET-2026-114' });
      assert.equal(placed.statusCode, 201, placed.body);
      const hold = placed.json() as { id: string };
      assert.deepEqual({ ...hold, id: null, placedAt: null }, { id: null, targetType: 'call', targetId: call.id, matter: 'DOCKET-2026-114', placedBy: admin.memberId, placedAt: null, releasedBy: null, releasedAt: null });
      const onPatient = await api(owner, 'POST', '/v1/retention/holds', { targetType: 'patient', targetId: patient.id, matter: 'TICKET-7' });
      assert.equal(onPatient.statusCode, 201, onPatient.body);

      const listed = await api(owner, 'GET', '/v1/retention/holds');
      assert.equal(listed.statusCode, 200);
      assert.deepEqual(listed.json().holds.map((h: { matter: string }) => h.matter).sort(), ['DOCKET-2026-114', 'TICKET-7']);
      noPatientField(listed.body);

      // One person releases nothing: the old route says so, ward_app cannot write the hold, the proposer cannot approve.
      assert.equal(problemCode(await api(owner, 'POST', `/v1/retention/holds/${hold.id}/release`)), 'RETENTION_NEEDS_APPROVAL');
      const asOwner = { tenantId: riverside.id, phiScopes: [], actorKind: 'human' as const, actorId: owner.memberId };
      await assert.rejects(t.deps.db.scoped(asOwner, (tx) => tx.query('UPDATE legal_holds SET released_at = now() WHERE id = $1', [hold.id])), { code: '42501' });
      const asked = await api(owner, 'POST', `/v1/retention/holds/${hold.id}/release-requests`, {});
      assert.equal(asked.statusCode, 201, asked.body);
      const r = asked.json();
      assert.deepEqual([r.kind, r.holdId, r.holdMatter, r.state], ['hold-release', hold.id, 'DOCKET-2026-114', 'pending']);
      assert.equal((await api(owner, 'POST', `/v1/retention/requests/${r.id}/approve`)).statusCode, 403);
      await assert.rejects(t.deps.db.scoped(asOwner, (tx) => tx.query('SELECT ward_retention_change_approve($1, now())', [r.id])), { code: 'WD002' });
      assert.equal((await api(owner, 'GET', '/v1/retention/holds')).json().holds.find((h: { id: string }) => h.id === hold.id).releasedAt, null, 'still held');
      const released = await api(admin, 'POST', `/v1/retention/requests/${r.id}/approve`);
      assert.equal(released.statusCode, 200, released.body);
      assert.equal(problemCode(await api(owner, 'POST', `/v1/retention/holds/${hold.id}/release-requests`, {})), 'CHANGE_NOT_PENDING', 'released already');
      const { rows } = await t.deps.db.systemDb.query<{ released_by: string }>('SELECT released_by FROM legal_holds WHERE id = $1', [hold.id]);
      assert.deepEqual(rows, [{ released_by: admin.memberId }], 'released by the approver, never deleted');
      assert.deepEqual((await outcomes('legal-hold-placed')).map((e) => e.outcome), ['success', 'success']);
      assert.deepEqual((await outcomes('legal-hold-released')).filter((e) => e.outcome === 'success').map((e) => e.actor_id), [admin.memberId]);

      // Another tenant's hold is not found, not forbidden; its holds never show here.
      const { rows: [theirs] } = await t.deps.db.systemDb.query<{ id: string }>(
        "INSERT INTO legal_holds (tenant_id, call_id, matter, placed_by) VALUES ($1, gen_random_uuid(), 'THEIRS-1', 'system:cli') RETURNING id", [other.id]);
      const cross = await api(owner, 'POST', `/v1/retention/holds/${theirs!.id}/release-requests`, {});
      assert.equal(cross.statusCode, 404);
      assert.equal(problemCode(cross), 'NOT_FOUND');
      assert.doesNotMatch((await api(owner, 'GET', '/v1/retention/holds')).body, /THEIRS-1/);
      const { rows: kept } = await t.deps.db.systemDb.query<{ released_at: Date | null }>('SELECT released_at FROM legal_holds WHERE id = $1', [theirs!.id]);
      assert.equal(kept[0]!.released_at, null);
    });

    const publicJwk = async (kid: string): Promise<JWK> => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid });

    test('workload keys: listed by thumbprint, added, revoked (never the last) and replaced by an Admin; refused to others (R-WORK-1, R-WORK-2)', async () => {
      const first = await publicJwk('agent-1');
      const { clientId } = await createWorkload(t.deps.db, { audit: t.deps.audit, clock: t.deps.clock }, { tenantId: riverside.id, name: 'Console agent', kind: 'ai_agent', role: 'VoiceAgent', jwks: { keys: [first] } });
      const url = `/v1/workloads/${clientId}/keys`;
      const listed = await api(admin, 'GET', '/v1/workloads');
      assert.equal(listed.statusCode, 200, listed.body);
      const mine = listed.json().workloads.find((w: { clientId: string }) => w.clientId === clientId);
      assert.deepEqual(mine.keys, [{ kid: 'agent-1', alg: 'ES256', thumbprint: await calculateJwkThumbprint(first, 'sha256') }]);
      assert.doesNotMatch(listed.body, new RegExp(first.x!), 'thumbprints, not key material');
      for (const who of [agent, manager, auditor]) {
        assert.equal((await api(who, 'GET', '/v1/workloads')).statusCode, 403);
        assert.equal((await api(who, 'POST', url, { jwk: await publicJwk('agent-x') })).statusCode, 403);
      }

      const second = await publicJwk('agent-2');
      const added = await api(admin, 'POST', url, { jwk: second });
      assert.equal(added.statusCode, 201, added.body);
      assert.deepEqual(added.json().keys.map((k: { kid: string }) => k.kid), ['agent-1', 'agent-2']);
      assert.match(added.json().next, /^Revoke the old key once the workload signs with the new one/);
      const priv = await api(admin, 'POST', url, { jwk: { ...second, kid: 'agent-3', d: 'AAAA' } });
      assert.equal(priv.statusCode, 400, 'a private member never reaches the store');
      assert.equal(problemCode(priv), 'WORKLOAD_KEYS_INVALID', 'and is refused by name, not dropped');
      const dup = await api(admin, 'POST', url, { jwk: { ...second } });
      assert.equal(problemCode(dup), 'WORKLOAD_KEYS_INVALID', 'two keys share a kid');

      const old = await calculateJwkThumbprint(first, 'sha256');
      const revoked = await api(owner, 'POST', `${url}/${old}/revoke`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.deepEqual(revoked.json().keys.map((k: { kid: string }) => k.kid), ['agent-2']);
      assert.equal(revoked.json().next, null);
      const last = await api(owner, 'POST', `${url}/${await calculateJwkThumbprint(second, 'sha256')}/revoke`);
      assert.equal(last.statusCode, 409);
      assert.equal(problemCode(last), 'CONFLICT');
      assert.equal((await api(owner, 'POST', `${url}/${old}/revoke`)).statusCode, 404, 'already revoked');

      const third = await publicJwk('agent-3');
      const replaced = await api(admin, 'PUT', url, { keys: [third] });
      assert.equal(replaced.statusCode, 200, replaced.body);
      const { rows: [stored] } = await t.deps.db.systemDb.query<{ jwks: { keys: JWK[] }; keys_rotated_at: Date | null }>('SELECT jwks, keys_rotated_at FROM workloads WHERE client_id = $1', [clientId]);
      assert.deepEqual(stored!.jwks.keys.map((k) => k.kid), ['agent-3']);
      assert.ok(stored!.keys_rotated_at);
      assert.deepEqual((await outcomes('workload-key-added')).map((e) => e.outcome), ['success']);
      assert.deepEqual((await outcomes('workload-key-revoked')).map((e) => [e.actor_id, e.outcome]), [[owner.memberId, 'success']]);

      // ward_app alone cannot re-key a workload: no UPDATE on workloads, and the definer wants an Owner or Admin.
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: agent.memberId }, (tx) =>
        tx.query('UPDATE workloads SET jwks = $1 WHERE client_id = $2', [JSON.stringify({ keys: [first] }), clientId])));
      await assert.rejects(t.deps.db.scoped({ tenantId: riverside.id, phiScopes: [], actorKind: 'human', actorId: agent.memberId }, (tx) =>
        tx.query('SELECT ward_workload_set_keys($1, $2, $3, now())', [clientId, JSON.stringify(stored!.jwks), JSON.stringify({ keys: [first] })])), { code: 'WD001' });
      // Another tenant's workload is not found.
      const theirs = await createWorkload(t.deps.db, { audit: t.deps.audit, clock: t.deps.clock }, { tenantId: other.id, name: 'Their agent', kind: 'ai_agent', role: 'VoiceAgent', jwks: { keys: [await publicJwk('t-1')] } });
      const cross = await api(admin, 'POST', `/v1/workloads/${theirs.clientId}/keys`, { jwk: await publicJwk('t-2') });
      assert.equal(cross.statusCode, 404);
      assert.doesNotMatch((await api(admin, 'GET', '/v1/workloads')).body, /Their agent/);
    });
  });
}
