// The audit writer's batch by instruction count (R-AUDIT-2, R-OPS-1; issue 31; docs/audit.md "Eighth
// pass"): PostgreSQL instructions a record in ward_audit_append_vouched_v4, in a database as migrated
// ("base") against ones with a candidate change applied, counted by callgrind and so free of the
// machine's load. Against a private PostgreSQL cluster (never a shared one: it creates databases):
//
//   setup    --url <superuser URL> [--candidate name=file.sql]… [--seed 20000]
//            creates and migrates "base" and one database a candidate, seeds each with the same events
//            (200 actors with a session and a device each), applies each candidate's SQL to its own
//            database, VACUUM FULL and ANALYZE in each, CHECKPOINT.
//   measure  --url <superuser URL> --cg <dir> [--rounds 4] [--batches 40] [--group 10]
//            with the cluster running under `valgrind --tool=callgrind --callgrind-out-file=<dir>/cg.%p` and
//            autovacuum off (an ANALYZE in the middle of a run invalidates the function's plan: noise):
//            after --warm batches (60) in each, per round and database, one connection as ward_app commits 5 batches and another 5 + N;
//            a record's instructions are the difference of the two backends' totals over N x group.
//
// Prints one JSON line: per database the per-record figures of every round and their median.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openPostgres } from '../src/db/postgres.ts';
import { loadScopeKey } from '../src/db/scope-key.ts';
import { recordLiteral } from '../src/modules/audit/record-literal.ts';
import { batchArguments, recordId } from '../src/modules/audit/writer.ts';
import { freshDatabase, harnessArgs, instructions, withClient } from './callgrind.ts';

const { phase, opt, candidates: CANDIDATES, url } = harnessArgs(process.argv.slice(2));
const TENANT = '1a000000-0000-4000-8000-0000000bac01';
const ACTORS = Array.from({ length: 200 }, (_, i) => ({
  id: `a${String(i).padStart(7, '0')}-0000-4000-8000-0000000bac01`, session: randomUUID(), device: randomUUID(),
}));
/** "base" as migrated, and one database a candidate (`--candidate name=file.sql`, repeatable). */
const DBS = ['ward_cg_base', ...(phase === 'setup' ? CANDIDATES.map(([name]) => `ward_cg_${name}`) : [])];

/** A batch of `group` grouped-read events, each vouched for with the scope key (0112's format). */
function batch(key: Buffer, group: number, n: number): [string, Buffer] {
  const expires = String(Math.floor(Date.now() / 1000) + 25);
  return batchArguments(Array.from({ length: group }, (_, i) => {
    const actor = ACTORS[(n * group + i) % ACTORS.length]!;
    const text = recordLiteral({
      tenantId: TENANT, actorKind: 'human', actorId: actor.id, sessionId: actor.session, deviceId: actor.device, sourceIp: '10.1.2.3',
      action: 'patient.view', targetType: 'Patient', targetId: randomUUID(), phiScope: 'Healthcare-PHI', decision: 'allow',
      policyIds: ['permit-agent-view'], reasons: [], purpose: 'TREAT', outcome: 'success', metadata: { n },
    }, recordId(), Date.now() * 1000, null);
    return { voucher: `${createHmac('sha256', key).update(`ward-audit-event-v4\n${expires}\n${text}`, 'utf8').digest('hex')} ${expires}`, text };
  }));
}

async function scopeKey(db: string): Promise<Buffer> {
  const ward = openPostgres({ appUrl: url(db, 'ward_app'), migrationUrl: url(db) }, { size: 1 });
  try {
    return await loadScopeKey(ward.systemDb);
  } finally {
    await ward.close();
  }
}

async function setup(): Promise<void> {
  const seed = Number(opt('seed', '20000'));
  for (const db of DBS) {
    await freshDatabase(url, db);
    await withClient(url(db), (c) => c.query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'cg-bench', 'cg bench')", [TENANT]));
    const key = await scopeKey(db);
    await withClient(url(db, 'ward_app'), async (c) => {
      for (let n = 0; n * 100 < seed; n += 1) await c.query('SELECT ward_audit_append_vouched_v4($1::text, $2::bytea)', batch(key, 100, n));
    });
    await withClient(url(db), async (c) => {
      const candidate = CANDIDATES.find(([name]) => db === `ward_cg_${name}`);
      if (candidate) await c.query(readFileSync(candidate[1], 'utf8'));
      // Every database's table and indexes rewritten alike, so that only the candidate differs (a
      // candidate that rebuilds an index would otherwise compare compact pages with grown ones).
      await c.query('VACUUM FULL audit_events');
      await c.query('VACUUM ANALYZE audit_events');
      await c.query('CHECKPOINT');
    });
  }
  console.log(JSON.stringify({ bench: 'audit-batch-instructions', phase: 'setup', seed, databases: DBS }));
}

async function measure(): Promise<void> {
  const dir = opt('cg');
  const rounds = Number(opt('rounds', '4'));
  const batches = Number(opt('batches', '40'));
  const group = Number(opt('group', '10'));
  const found = await withClient(url('postgres'), (c) => c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'ward\\_cg\\_%' ORDER BY datname <> 'ward_cg_base', datname"));
  DBS.splice(0, DBS.length, ...found.rows.map((r) => r.datname));
  const keys = new Map<string, Buffer>();
  for (const db of DBS) keys.set(db, await scopeKey(db));
  const perRecord = new Map<string, number[]>(DBS.map((db) => [db, []]));
  let n = 1_000_000;
  const run = (db: string, count: number) => withClient(url(db, 'ward_app'), async (c) => {
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    for (let i = 0; i < count; i += 1) await c.query('SELECT ward_audit_append_vouched_v4($1::text, $2::bytea)', batch(keys.get(db)!, group, (n += 1)));
    return pid;
  });
  // Every page the rounds will touch is touched once first: its full-page image after the setup's
  // checkpoint is not counted against either database.
  for (const db of DBS) await run(db, Number(opt('warm', '60')));
  for (let r = 0; r < rounds; r += 1) {
    for (const db of r % 2 === 0 ? DBS : [...DBS].reverse()) {
      const short = await run(db, 5);
      const long = await run(db, 5 + batches);
      const diff = (await instructions(dir, long)) - (await instructions(dir, short));
      perRecord.get(db)!.push(Math.round(diff / (batches * group)));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(JSON.stringify({
    bench: 'audit-batch-instructions', phase: 'measure', group, batches, rounds,
    perRecord: Object.fromEntries(DBS.map((db) => [db.replace('ward_cg_', ''), { rounds: perRecord.get(db), median: median(perRecord.get(db)!) }])),
  }));
}

if (phase === 'setup') await setup();
else if (phase === 'measure') await measure();
else throw new Error('usage: audit-batch-instructions.ts setup|measure --url <superuser URL> …');
