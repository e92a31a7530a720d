// R-OPS-1 (issue 31): a named statement is described once per connection, then executed with Bind,
// Execute and Sync only and its rows read with the kept description: the same rows, values and
// counts as pg's own path; a statement with no rows (NoData) likewise; an execution that fails
// keeps nothing wrong; a statement whose result columns changed is refused by PostgreSQL, never
// read with the old description (fail closed); on a pool, the client goes back to the pool.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresUrl, POSTGRES_SKIP_REASON } from '../../test/support/databases.ts';
import { preparedQuery } from './prepared-query.ts';

/** Counts the Describe messages `client` sends while `fn` runs. */
async function describes<T>(client: pg.Client | pg.PoolClient, fn: () => Promise<T>): Promise<{ value: T; describes: number }> {
  const connection = (client as unknown as { connection: { describe: (m: unknown) => void } }).connection;
  const original = connection.describe;
  let n = 0;
  connection.describe = function (this: unknown, m: unknown) {
    n += 1;
    return original.call(this, m);
  };
  try {
    return { value: await fn(), describes: n };
  } finally {
    connection.describe = original;
  }
}

describe('prepared statements described once per connection', { skip: postgresUrl ? false : POSTGRES_SKIP_REASON }, () => {
  let client: pg.Client;
  before(async () => {
    client = new pg.Client({ connectionString: postgresUrl, pipeline: true } as pg.ClientConfig);
    await client.connect();
    await client.query('CREATE TEMP TABLE pq (x int)');
  });
  after(async () => client?.end());

  test('the second execution sends no Describe and reads the same rows', async () => {
    const sql = 'SELECT $1::int AS n, $2::text AS s, now() AS at, NULL::int AS z';
    const first = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_rows', sql, [1, 'one']));
    const second = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_rows', sql, [2, 'two']));
    assert.equal(first.describes, 1);
    assert.equal(second.describes, 0);
    assert.deepEqual(first.value.rows.map((r) => [r.n, r.s, r.at instanceof Date, r.z]), [[1, 'one', true, null]]);
    assert.deepEqual(second.value.rows.map((r) => [r.n, r.s, r.at instanceof Date, r.z]), [[2, 'two', true, null]]);
    assert.deepEqual(second.value.fields.map((f) => f.name), ['n', 's', 'at', 'z']);
    const none = await preparedQuery(client as unknown as pg.PoolClient, 'pq_rows_where', 'SELECT $1::int AS n WHERE false', [3]);
    const noneAgain = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_rows_where', 'SELECT $1::int AS n WHERE false', [4]));
    assert.deepEqual([none.rows, noneAgain.value.rows, noneAgain.describes], [[], [], 0]);
  });

  test('a statement without rows (NoData) is counted the same, described once', async () => {
    const sql = 'INSERT INTO pq (x) VALUES ($1)';
    const first = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_insert', sql, [1]));
    const second = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_insert', sql, [2]));
    assert.deepEqual([first.describes, second.describes], [1, 0]);
    assert.deepEqual([first.value.rowCount, second.value.rowCount, second.value.rows], [1, 1, []]);
  });

  test('a failed execution fails, and the next one reads right', async () => {
    const sql = 'SELECT 10 / $1::int AS q';
    await assert.rejects(preparedQuery(client as unknown as pg.PoolClient, 'pq_div', sql, [0]), /division by zero/);
    const ok = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_div', sql, [5]));
    assert.deepEqual(ok.value.rows, [{ q: 2 }]);
    const again = await describes(client, () => preparedQuery(client as unknown as pg.PoolClient, 'pq_div', sql, [2]));
    assert.deepEqual([again.value.rows, again.describes], [[{ q: 5 }], 0]);
  });

  test('a statement whose columns changed is refused, not read with the old description', async () => {
    await preparedQuery(client as unknown as pg.PoolClient, 'pq_star', 'SELECT * FROM pq WHERE x = $1', [1]);
    await client.query('ALTER TABLE pq ADD COLUMN y int');
    await assert.rejects(preparedQuery(client as unknown as pg.PoolClient, 'pq_star', 'SELECT * FROM pq WHERE x = $1', [1]), /cached plan must not change result type/);
  });

  test('on a pool, each connection describes once and the client is released', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    try {
      const sql = 'SELECT $1::int + 1 AS n';
      assert.deepEqual((await preparedQuery(pool, 'pq_pool', sql, [1])).rows, [{ n: 2 }]);
      assert.deepEqual((await preparedQuery(pool, 'pq_pool', sql, [2])).rows, [{ n: 3 }]);
      await assert.rejects(preparedQuery(pool, 'pq_pool_bad', 'SELECT 1 / $1::int AS n', [0]), /division by zero/);
      assert.deepEqual((await preparedQuery(pool, 'pq_pool', sql, [3])).rows, [{ n: 4 }]);
      assert.equal(pool.waitingCount, 0);
    } finally {
      await pool.end();
    }
  });
});
