// R-GOV-1, R-AUTHZ-5: an access review campaign on both engines: items for every member's and
// workload's roles and PHI scopes, assigned to the member's manager or else an Admin, never the
// subject; keep, revoke (applied at once), miss the deadline (auto-revoked); the evidence matches the
// audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DataScope } from '../../db/types.ts';
import { createAuditLog } from '../audit/index.ts';
import { campaignEvidence, decideItem, evidenceCsv, expireDueCampaigns, itemsForReviewer, setManager, startCampaign } from './index.ts';
import { ENGINES, type TestDatabase } from '../../../test/support/databases.ts';
import { insertMember, insertTenant } from '../../../test/support/fixtures.ts';

const T = '3a000000-0000-4000-8000-000000000000';
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;
const ADMIN = uuid('ad', 1);
const MANAGER = uuid('ac', 1);
const AGENT = uuid('ae', 1);
const AGENT2 = uuid('ae', 2);
const WORKLOAD = uuid('af', 1);
const START = new Date('2026-12-01T15:00:00Z');
const as = (memberId: string): DataScope => ({ tenantId: T, phiScopes: [], actorId: memberId, actorKind: 'human' });

for (const { engine, open, skip } of ENGINES) {
  describe(`access reviews on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    let now = START;
    const clock = { now: () => now };
    const audit = createAuditLog();

    before(async () => {
      t = await open();
      await t.superuser(async (tx) => {
        await insertTenant(tx, T, 'reviews');
        await insertMember(tx, { id: ADMIN, tenantId: T, email: 'admin@reviews.test', roles: ['Admin'], scopes: [] });
        await insertMember(tx, { id: MANAGER, tenantId: T, email: 'manager@reviews.test', roles: ['Manager'], scopes: ['Healthcare-PHI'] });
        await insertMember(tx, { id: AGENT, tenantId: T, email: 'agent@reviews.test', roles: ['Agent'], scopes: ['Healthcare-PHI', 'Dental'] });
        await insertMember(tx, { id: AGENT2, tenantId: T, email: 'agent2@reviews.test', roles: ['Agent'], scopes: [] });
        await tx.query("INSERT INTO workloads (tenant_id, id, client_id, name, kind, role, jwks) VALUES ($1, $2, 'wl_AAAAAAAAAAAAAAAAAAAAAA', 'voice bot', 'ai_agent', 'VoiceAgent', '{\"keys\": []}')", [T, WORKLOAD]);
        await tx.query("INSERT INTO workload_phi_scopes (tenant_id, workload_id, phi_scope, granted_by) VALUES ($1, $2, 'Healthcare-PHI', 'test')", [T, WORKLOAD]);
        // R-ELEV-2: Agent2 is on the break-glass list and broke the glass twice in the quarter (one use
        // found inappropriate), and once long before it.
        await tx.query('INSERT INTO breakglass_members (tenant_id, member_id, added_by, added_at) VALUES ($1, $2, $3, $4)', [T, AGENT2, ADMIN, new Date('2026-01-01T00:00:00Z')]);
        const uses: Array<[string, number, string | null]> = [[uuid('bb', 1), 10, 'appropriate'], [uuid('bb', 2), 3, 'inappropriate'], [uuid('bb', 3), 200, null]];
        for (const [id, daysAgo, outcome] of uses) {
          const at = new Date(START.getTime() - daysAgo * 86_400_000);
          await tx.query(
            `INSERT INTO elevations (id, tenant_id, kind, member_id, requested_by, phi_scopes, target_type, target_id, purpose, reason_enc, duration_seconds,
                                     approvals_required, state, requested_at, decided_at, starts_at, expires_at, db_expires_at)
             VALUES ($1, $2, 'breakglass', $3, $3, ARRAY['Healthcare-PHI'], 'patient', $4, 'ETREAT', '\\x00', 600, 0, 'approved', $5, $5, $5, $5::timestamptz + interval '10 minutes', $5::timestamptz + interval '10 minutes')`,
            [id, T, AGENT2, uuid('cc', 1), at]);
          await tx.query('INSERT INTO breakglass_reviews (elevation_id, tenant_id, member_id, due_at, reviewed_by, reviewed_at, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [id, T, AGENT2, new Date(at.getTime() + 72 * 3_600_000), outcome ? ADMIN : null, outcome ? at : null, outcome]);
        }
      });
    });
    after(async () => t?.close());

    test('an Admin sets a manager, never their own nor a member as their own manager', async () => {
      await t.db.scoped(as(ADMIN), (tx) => setManager(tx, AGENT, MANAGER));
      await t.db.scoped(as(ADMIN), (tx) => setManager(tx, AGENT2, MANAGER));
      await assert.rejects(t.db.scoped(as(ADMIN), (tx) => setManager(tx, ADMIN, MANAGER)), { code: 'FORBIDDEN' });
      await assert.rejects(t.db.scoped(as(ADMIN), (tx) => setManager(tx, AGENT, AGENT)), { code: 'FORBIDDEN' });
      // A Manager is no Admin: they cannot choose whose reviewer they are.
      await assert.rejects(t.db.scoped(as(MANAGER), (tx) => setManager(tx, ADMIN, MANAGER)), { code: 'FORBIDDEN' });
    });

    let campaignId = '';
    test('a campaign lists every role, PHI scope and place on the break-glass list as an item for the manager, else an Admin, never the subject', async () => {
      const c = await startCampaign({ db: t.db, audit, clock }, { tenantId: T, days: 14 });
      campaignId = c.id;
      assert.equal(c.name, '2026-Q4');
      // Admin: 1 role; Manager: 1 + 1; Agent: 1 + 2; Agent2: 1 + the break-glass list; workload: role + 1 scope.
      assert.equal(c.items, 10);
      assert.equal(c.autoRevoke, true);
      const mine = await t.db.scoped(as(MANAGER), (tx) => itemsForReviewer(tx, MANAGER));
      assert.deepEqual(mine.map((i) => `${i.subjectId === AGENT ? 'agent' : 'agent2'}:${i.entitlementKind}:${i.entitlement}`).sort(),
        ['agent2:list:breakglass', 'agent2:role:Agent', 'agent:phi_scope:Dental', 'agent:phi_scope:Healthcare-PHI', 'agent:role:Agent']);
      // R-ELEV-2: the reviewer sees how the break-glass access was used in the 90 days before the start.
      const list = mine.find((i) => i.entitlementKind === 'list')!;
      assert.deepEqual(list.breakGlass, { uses: 2, lastUseAt: new Date(START.getTime() - 3 * 86_400_000).toISOString(), inappropriate: 1 });
      assert.ok(mine.filter((i) => i.entitlementKind !== 'list').every((i) => i.breakGlass === undefined));
      const admins = await t.db.scoped(as(ADMIN), (tx) => itemsForReviewer(tx, ADMIN));
      // The Manager's own items and the workload's go to the Admin; the Admin's own item goes to no one else.
      assert.ok(admins.every((i) => i.subjectId !== ADMIN));
      assert.deepEqual(admins.map((i) => i.entitlement).sort(), ['Healthcare-PHI', 'Healthcare-PHI', 'Manager', 'VoiceAgent']);
      assert.equal(c.unassigned, 1, "the Admin's own role has no other Admin to review it");
    });

    test('the reviewer keeps one item and revokes another with a note; the revocation applies at once', async () => {
      now = new Date(START.getTime() + 86_400_000);
      const items = await t.db.scoped(as(MANAGER), (tx) => itemsForReviewer(tx, MANAGER));
      const role = items.find((i) => i.subjectId === AGENT && i.entitlement === 'Agent')!;
      const dental = items.find((i) => i.entitlement === 'Dental')!;
      assert.equal((await t.db.scoped(as(MANAGER), (tx) => decideItem(tx, { itemId: role.id, keep: true, note: 'still on the phones', now }))).decision, 'keep');
      assert.equal((await t.db.scoped(as(MANAGER), (tx) => decideItem(tx, { itemId: dental.id, keep: false, note: 'moved off the dental line', now }))).decision, 'revoke');
      const scopes = await t.superuser((tx) => tx.query<{ phi_scope: string }>('SELECT phi_scope FROM member_phi_scopes WHERE member_id = $1 ORDER BY 1', [AGENT]));
      assert.deepEqual(scopes.rows.map((r) => r.phi_scope), ['Healthcare-PHI']);
      assert.equal((await t.superuser((tx) => tx.query('SELECT 1 FROM member_roles WHERE member_id = $1', [AGENT]))).rowCount, 1, 'kept');
      // Once only; not by anyone else; never without a note.
      await assert.rejects(t.db.scoped(as(MANAGER), (tx) => decideItem(tx, { itemId: dental.id, keep: true, note: 'changed my mind', now })), { code: 'CONFLICT' });
      const other = items.find((i) => i.entitlement === 'Healthcare-PHI')!;
      await assert.rejects(t.db.scoped(as(ADMIN), (tx) => decideItem(tx, { itemId: other.id, keep: false, note: 'not mine to decide', now })), { code: 'FORBIDDEN' });
      await assert.rejects(t.db.scoped(as(AGENT), (tx) => decideItem(tx, { itemId: other.id, keep: true, note: 'I need it', now })), { code: 'FORBIDDEN' });
      await assert.rejects(t.db.scoped(as(MANAGER), (tx) => decideItem(tx, { itemId: other.id, keep: true, note: '  ', now })), { code: 'BAD_REQUEST' });
    });

    test('revoking a place on the break-glass list takes the member off it at once', async () => {
      const items = await t.db.scoped(as(MANAGER), (tx) => itemsForReviewer(tx, MANAGER));
      const list = items.find((i) => i.entitlementKind === 'list')!;
      assert.equal((await t.db.scoped(as(MANAGER), (tx) => decideItem(tx, { itemId: list.id, keep: false, note: 'an inappropriate use this quarter', now }))).decision, 'revoke');
      assert.equal((await t.superuser((tx) => tx.query('SELECT 1 FROM breakglass_members WHERE member_id = $1', [AGENT2]))).rowCount, 0);
      assert.equal((await t.superuser((tx) => tx.query('SELECT 1 FROM member_roles WHERE member_id = $1', [AGENT2]))).rowCount, 1, 'the role is its own item');
    });

    test('the application role cannot write review items or decisions itself', async () => {
      await assert.rejects(t.db.scoped(as(MANAGER), (tx) => tx.query("UPDATE access_review_items SET decision = 'keep' WHERE campaign_id = $1", [campaignId])));
      await assert.rejects(t.db.scoped(as(MANAGER), (tx) => tx.query('UPDATE access_review_items SET reviewer_id = $1', [MANAGER])));
    });

    test('items missed by the deadline are revoked and reported; the evidence matches the audit trail', async () => {
      now = new Date(START.getTime() + 2 * 86_400_000);
      assert.deepEqual(await expireDueCampaigns({ db: t.db, audit, clock }, { tenantId: T }), [], 'nothing is due before the deadline');
      now = new Date(START.getTime() + 15 * 86_400_000);
      const [expired] = await expireDueCampaigns({ db: t.db, audit, clock }, { tenantId: T });
      assert.deepEqual([expired!.expired, expired!.revoked], [7, 7]);
      const state = await t.superuser(async (tx) => ({
        agentScopes: (await tx.query('SELECT 1 FROM member_phi_scopes WHERE member_id = $1', [AGENT])).rowCount,
        agentRole: (await tx.query('SELECT 1 FROM member_roles WHERE member_id = $1', [AGENT])).rowCount,
        workload: (await tx.query<{ status: string }>('SELECT status FROM workloads WHERE id = $1', [WORKLOAD])).rows[0]!.status,
      }));
      assert.deepEqual(state, { agentScopes: 0, agentRole: 1, workload: 'disabled' });

      const evidence = (await t.db.scoped(as(ADMIN), (tx) => campaignEvidence(tx, campaignId)))!;
      assert.equal(evidence.length, 10);
      assert.deepEqual(evidence.map((e) => e.decision).sort(), ['expired', 'expired', 'expired', 'expired', 'expired', 'expired', 'expired', 'keep', 'revoke', 'revoke']);
      const listed = evidence.find((e) => e.entitlementKind === 'list')!;
      assert.deepEqual([listed.breakGlassUses, listed.breakGlassInappropriate, listed.revoked], [2, 1, true]);
      const trail = await t.superuser((tx) => tx.query<{ action: string; target_id: string; entitlement: string; revoked: boolean }>(
        "SELECT action, target_id, metadata->>'entitlement' AS entitlement, (metadata->>'revoked')::boolean AS revoked FROM audit_events WHERE tenant_id = $1 AND action = 'review.expire' ORDER BY 2, 3", [T]));
      const expiredRows = evidence.filter((e) => e.decision === 'expired').map((e) => `${e.subjectId}:${e.entitlement}:${e.revoked}`).sort();
      assert.deepEqual(trail.rows.map((r) => `${r.target_id}:${r.entitlement}:${r.revoked}`).sort(), expiredRows);
      const csv = evidenceCsv(evidence);
      assert.match(csv.split('\r\n')[0]!, /^campaign,campaignId,itemId,subjectKind,subjectId,subjectName,entitlementKind,entitlement,reviewerId,decision,decidedBy,decidedAt,revoked,note,breakGlassUses,breakGlassLastUseAt,breakGlassInappropriate$/);
      assert.equal(csv.trim().split('\r\n').length, 11);
      assert.ok(csv.includes('moved off the dental line'));
      // Closed: nothing more is decided.
      await assert.rejects(expireDueCampaigns({ db: t.db, audit, clock }, { tenantId: T }).then((r) => assert.deepEqual(r, [])).then(() => { throw new Error('ok'); }), { message: 'ok' });
    });
  });
}
