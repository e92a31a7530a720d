import { postgresTestDatabase } from '../../test/support/databases.ts';
import { EVENT_COLUMNS_SQL } from '../../src/modules/audit/repo.ts';
const t = await postgresTestDatabase();
const T = '0e000000-0000-4000-8000-0000000be4c1';
await t.superuser(async (tx) => {
  await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench-backlog', 'Backlog')", [T]);
  await tx.query(`INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, session_id, action, target_type, target_id, phi_scope, decision, policy_ids, outcome, metadata)
    SELECT $1, now() - make_interval(secs => $2 - g), 'human', 'member-' || (g % 50), gen_random_uuid(), 'patient.view', 'Patient', 'p-' || (g % 1000), 'Healthcare-PHI', 'allow', ARRAY['permit-agent-view'], 'success', jsonb_build_object('view', 'bench', 'n', g)
    FROM generate_series(1, $2) AS g`, [T, 50000]);
});
await t.superuser(async (tx) => {
  await tx.query('ANALYZE audit_events');
  const r = await tx.query(`EXPLAIN ANALYZE SELECT ${EVENT_COLUMNS_SQL} FROM audit_events e WHERE tenant_id = $1 AND seq IS NULL ORDER BY e.occurred_at, e.id LIMIT 5000`, [T]);
  console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  const ids = (await tx.query<{ id: string }>('SELECT id FROM audit_events WHERE tenant_id = $1 AND seq IS NULL ORDER BY occurred_at, id LIMIT 5000', [T])).rows.map((r) => r.id);
  const r2 = await tx.query(`EXPLAIN ANALYZE UPDATE audit_events e
  SET seq = u.seq, leaf_hash = decode(u.leaf, 'hex'), chain_hash = decode(u.chain, 'hex'), sealed_at = clock_timestamp()
  FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS u (id, seq, leaf, chain)
  WHERE e.id = u.id AND e.id = ANY ($2::uuid[]) AND e.tenant_id = $1 AND e.seq IS NULL`, [T, ids, ids.map((_, i) => i + 1), ids.map(() => 'aa'.repeat(32)), ids.map(() => 'bb'.repeat(32))]);
  console.log(r2.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  throw new Error('rollback');
}).catch((e) => console.log(String(e)));
await t.close();
