import { createMemorySigningKeyStore } from '../../src/modules/audit/key-store.ts';
import { createAuditSealer } from '../../src/modules/audit/sealer.ts';
import { postgresTestDatabase } from '../../test/support/databases.ts';
const t = await postgresTestDatabase();
const T = '0e000000-0000-4000-8000-0000000be4c1';
const times = new Map<string, number>();
const wrapTx = (tx: any) => ({ ...tx, query: async (sql: string, p?: unknown[]) => { const s = performance.now(); try { return await tx.query(sql, p); } finally { const k = sql.trim().slice(0, 40).replace(/\s+/g, ' '); times.set(k, (times.get(k) ?? 0) + performance.now() - s); } } });
const sys = t.db.systemDb as any;
const proxied = { ...sys, query: (sql: string, p?: unknown[]) => wrapTx(sys).query(sql, p), transaction: (fn: any) => sys.transaction((tx: any) => fn(wrapTx(tx))) };
await t.superuser(async (tx) => {
  await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench-backlog', 'Backlog')", [T]);
  await tx.query(`INSERT INTO audit_events (tenant_id, occurred_at, actor_kind, actor_id, session_id, action, target_type, target_id, phi_scope, decision, policy_ids, outcome, metadata)
    SELECT $1, now() - make_interval(secs => $2 - g), 'human', 'member-' || (g % 50), gen_random_uuid(), 'patient.view', 'Patient', 'p-' || (g % 1000), 'Healthcare-PHI', 'allow', ARRAY['permit-agent-view'], 'success', jsonb_build_object('view', 'bench', 'n', g)
    FROM generate_series(1, $2) AS g`, [T, Number(process.env.N ?? 50000)]);
});
const sealer = createAuditSealer({ systemDb: proxied, keys: createMemorySigningKeyStore(), sinks: [], maxPassMs: 600_000 });
const s = performance.now(); const c = process.cpuUsage();
let sealed = 0; for (;;) { const p = await sealer.sealOnce(); sealed += p.sealed; if (p.sealed === 0) break; }
const u = process.cpuUsage(c);
console.log({ sealed, perSec: Math.round(sealed / ((performance.now() - s) / 1000)), nodeCpuPerSec: Math.round(sealed / ((u.user + u.system) / 1e6)) });
console.log([...times].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v.toFixed(0)} ms  ${k}`).join('\n'));
await sealer.stop(); await t.close();
