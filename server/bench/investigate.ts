/**
 * `npm run bench:investigate` (R-MON-2: an investigation "within seconds"): on a fresh PostgreSQL
 * database (WARD_TEST_DATABASE_URL, a superuser URL; created and dropped per run), 1,000,000 sealed
 * audit events written in one generate_series statement, 10,000 of them by the subject member (over
 * three sessions and two devices), the rest by 997 other members. Then `investigate()` (what
 * GET /v1/investigations/… runs, in a ward_app scoped transaction under row-level security) for the
 * member (10,000 events), one of its sessions and one of its devices, each run 5 times (the first
 * answer: a page of 1,000 events and the summary over all), then every page of the member's; prints
 * one JSON line: the best and median milliseconds per subject, the events found, the generation time
 * and the load average. The goal is under 2 s for the member. Without proofs: the synthetic events
 * carry made-up hashes and no tree (the proofs' cost is measured by `bench:audit`, about 40 µs each).
 */
import os from 'node:os';
import { investigate, type SubjectKind } from '../src/modules/monitoring/index.ts';
import { postgresTestDatabase } from '../test/support/databases.ts';

if (!process.env.WARD_TEST_DATABASE_URL?.trim()) {
  console.error('bench:investigate needs WARD_TEST_DATABASE_URL (a PostgreSQL superuser URL; a database is created and dropped per run)');
  process.exit(2);
}

const TOTAL = Number(process.env.WARD_BENCH_EVENTS ?? 1_000_000);
const EVERY = Number(process.env.WARD_BENCH_SUBJECT_EVERY ?? 100); // the subject's share: 1 in 100
const RUNS = 5;
const TENANT = '0e000000-0000-4000-8000-00000000be57';
const MEMBER = '0e000000-0000-4000-8000-0000000000a1';
const SESSIONS = ['5e000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000003'];
const DEVICES = ['de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000002'];

// One statement: every event (100 ms apart, one in ten refused, targets among 5,000 patients; the
// subject's events every EVERY-th), then one for their seals (seq, placeholder hashes; 0085).
const GENERATE = `INSERT INTO audit_events (id, tenant_id, occurred_at, actor_kind, actor_id, session_id, device_id, source_ip, action,
    target_type, target_id, phi_scope, decision, policy_ids, reasons, purpose, outcome, metadata)
  SELECT md5('e' || g)::uuid, $1::uuid, t, 'human', CASE WHEN s THEN $2 ELSE md5('m' || (g % 997))::uuid::text END,
    CASE WHEN s THEN ($3::uuid[])[1 + (g / $6) % 3] ELSE md5('s' || (g % 997))::uuid END,
    CASE WHEN s THEN ($4::uuid[])[1 + (g / $6) % 2] ELSE md5('d' || (g % 997))::uuid END,
    '10.0.0.1', CASE WHEN g % 50 = 0 THEN 'ai.run' ELSE 'patient.view' END, 'Patient', md5('p' || (g % 5000))::uuid::text, 'Healthcare-PHI',
    CASE WHEN g % 10 = 9 THEN 'deny' ELSE 'allow' END, '{role-agent}', '{permit}', 'TREAT',
    CASE WHEN g % 10 = 9 THEN 'denied' ELSE 'success' END, '{"view":"bench"}'::jsonb
  FROM (SELECT g, g % $6 = 0 AS s, timestamptz '2026-11-01T00:00:00Z' + g * interval '100 milliseconds' AS t FROM generate_series(1, $5::bigint) AS g) AS x`;
const SEAL = `INSERT INTO audit_seals (tenant_id, seq, event_id, leaf_hash, chain_hash, sealed_at)
  SELECT $1::uuid, g, md5('e' || g)::uuid, sha256(int8send(g)), sha256(int8send(-g)), now() FROM generate_series(1, $2::bigint) AS g`;

const t = await postgresTestDatabase();
try {
  await t.superuser(async (tx) => {
    await tx.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench-investigate', 'Bench')", [TENANT]);
    await tx.query("INSERT INTO members (id, tenant_id, email, display_name, status) VALUES ($1, $2, 'subject@bench.test', 'Subject', 'active')", [MEMBER, TENANT]);
    for (const [i, d] of DEVICES.entries()) await tx.query("INSERT INTO devices (id, tenant_id, member_id, thumbprint, posture) VALUES ($1, $2, $3, $4, 'managed')", [d, TENANT, MEMBER, `bench-${i}`]);
    for (const [i, s] of SESSIONS.entries()) {
      await tx.query("INSERT INTO sessions (id, tenant_id, member_id, token_hash, device_id, auth_method, expires_at) VALUES ($1, $2, $3, $4, $5, 'passkey', now() + interval '1 hour')",
        [s, TENANT, MEMBER, Buffer.from(`bench-${i}`), DEVICES[i % 2]]);
    }
  });
  const started = performance.now();
  await t.superuser((tx) => tx.query(GENERATE, [TENANT, MEMBER, SESSIONS, DEVICES, TOTAL, EVERY]));
  await t.superuser((tx) => tx.query(SEAL, [TENANT, TOTAL]));
  const generateSeconds = (performance.now() - started) / 1000;
  await t.superuser((tx) => tx.query('ANALYZE audit_events, audit_seals'));

  const scope = { tenantId: TENANT, phiScopes: ['Healthcare-PHI' as const], actorId: 'bench-auditor', actorKind: 'human' as const };
  const measure = async (kind: SubjectKind, id: string) => {
    const ms: number[] = [];
    let events = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      // The first answer: a page of at most 1,000 events, with the summary counted over all of them.
      const r = await t.db.scoped(scope, (tx) => investigate(tx, TENANT, kind, id, { limit: 1000 }));
      ms.push(performance.now() - t0);
      events = r.summary.events;
    }
    ms.sort((a, b) => a - b);
    return { events, bestMs: Math.round(ms[0]!), medianMs: Math.round(ms[Math.floor(RUNS / 2)]!) };
  };
  const member = await measure('member', MEMBER);
  // Every page of the member's investigation, one after the other, as a client exporting it pages through.
  const walk = async () => {
    const t0 = performance.now();
    let cursor: string | undefined;
    let pages = 0;
    let listed = 0;
    do {
      const r = await t.db.scoped(scope, (tx) => investigate(tx, TENANT, 'member', MEMBER, { limit: 1000, ...(cursor ? { cursor } : {}) }));
      pages += 1;
      listed += r.events.length;
      cursor = r.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { pages, listed, ms: Math.round(performance.now() - t0) };
  };
  const memberAllPages = await walk();
  const session = await measure('session', SESSIONS[0]!);
  const device = await measure('device', DEVICES[0]!);
  console.log(JSON.stringify({
    bench: 'investigate', engine: 'postgres', totalEvents: TOTAL, generateSeconds: Number(generateSeconds.toFixed(1)),
    member, memberAllPages, session, device, goalMs: 2000, isMet: member.medianMs < 2000, loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))), cpus: os.cpus().length,
  }));
} finally {
  await t.close();
}
