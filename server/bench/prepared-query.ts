/**
 * `npm run bench:prepared-query` — Ward's CPU per execution of a prepared statement, pg's own path
 * (Bind, Describe, Execute, Sync; a row template built from each RowDescription) against
 * db/prepared-query.ts (described once per connection) (R-OPS-1, issue 31). One pipelined connection,
 * 200 executions in flight per round, the two paths in alternating rounds (60), CPU from
 * process.cpuUsage; prints the median µs per execution of each and the median of the rounds' ratios,
 * for a row as wide as a patient's (14 columns) and a narrow one (2).
 *
 *   WARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:prepared-query
 */
import pg from 'pg';
import { preparedQuery } from '../src/db/prepared-query.ts';
import { postgresUrl } from '../test/support/databases.ts';

if (!postgresUrl) throw new Error('WARD_TEST_DATABASE_URL is not set');
const client = new pg.Client({ connectionString: postgresUrl, pipeline: true } as pg.ClientConfig);
await client.connect();
const blob = "'\\x0102'::bytea";
const WIDE = `SELECT $1::uuid AS id, $2::uuid AS tenant_id, 'Healthcare-PHI'::text AS phi_scope, ${['mrn', 'given', 'family', 'dob', 'phone', 'email', 'addr', 'city', 'zip'].map((c) => `${blob} AS ${c}_ct`).join(', ')}, now() AS created_at, now() AS updated_at`;
const NARROW = 'SELECT $1::uuid AS id, $2::uuid AS tenant_id';
const values = ['76f6ad91-0c36-4e7a-8d5b-98c53f8999e6', '0ede0a7c-2464-4670-9a01-ac87b1469804'];
const N = 200;
const ROUNDS = 60;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function compare(label: string, sql: string): Promise<Record<string, unknown>> {
  const paths = {
    pg: () => Promise.all(Array.from({ length: N }, () => client.query({ name: `bench_pg_${label}`, text: sql, values }))),
    kept: () => Promise.all(Array.from({ length: N }, () => preparedQuery(client as unknown as pg.PoolClient, `bench_kept_${label}`, sql, values))),
  };
  const cpuUs = async (k: keyof typeof paths) => {
    const c0 = process.cpuUsage();
    await paths[k]();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / N;
  };
  for (let i = 0; i < 20; i++) await Promise.all([paths.pg(), paths.kept()]);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0 ? 'pg' : 'kept';
    const x = await cpuUs(first);
    const y = await cpuUs(first === 'pg' ? 'kept' : 'pg');
    a.push(first === 'pg' ? x : y);
    b.push(first === 'pg' ? y : x);
  }
  const r2 = (n: number) => Number(n.toFixed(2));
  return { pgUs: r2(median(a)), keptUs: r2(median(b)), ratio: r2(median(a.map((x, i) => b[i]! / x))) };
}

try {
  console.log(JSON.stringify({ bench: 'prepared-query', executionsPerRound: N, rounds: ROUNDS, wide: await compare('wide', WIDE), narrow: await compare('narrow', NARROW) }));
} finally {
  await client.end();
}
