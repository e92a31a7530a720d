// R-OPS-1: on PostgreSQL, Tx.sendWithNext makes two statements issued back to back leave Ward in one
// socket write (the guard's read-only switch with the load, the audit record with the COMMIT), with
// the order and meaning of two statements sent one after the other. A caller that awaits the held
// statement before issuing another is released at the end of the turn, never left waiting; a held
// statement that fails fails the transaction (fail closed).
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ENGINES, type TestDatabase } from '../../test/support/databases.ts';
import { insertTenant } from '../../test/support/fixtures.ts';

const T = '3d000000-0000-4000-8000-000000000000';
const scope = { tenantId: T, phiScopes: [], actorId: 'send-with-next', actorKind: 'service' as const };

/** Counts the socket writes (system calls) made while `fn` runs. */
async function countingWrites<T>(fn: (writes: () => number) => Promise<T>): Promise<T> {
  const proto = Socket.prototype as unknown as { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown };
  const { _write: write, _writev: writev } = proto;
  let n = 0;
  proto._write = function (this: unknown, ...a: unknown[]) {
    n += 1;
    return write.apply(this, a);
  };
  proto._writev = function (this: unknown, ...a: unknown[]) {
    n += 1;
    return writev.apply(this, a);
  };
  try {
    return await fn(() => n);
  } finally {
    proto._write = write;
    proto._writev = writev;
  }
}

const postgres = ENGINES.find((e) => e.engine === 'postgres')!;

describe('statements sent with the next one on PostgreSQL', { skip: postgres.skip }, () => {
  let t: TestDatabase;
  before(async () => {
    t = await postgres.open();
    await t.superuser((tx) => insertTenant(tx, T, 'send-with-next'));
  });
  after(async () => t?.close());

  test('the held statement and the next one leave in one write, and run in the order issued', async () => {
    const { written, rows } = await t.db.scoped(scope, async (tx) => {
      await tx.query('SELECT 1');
      return countingWrites(async (writes) => {
        tx.sendWithNext!();
        const switched = tx.query("SELECT set_config('ward.test_step', 'first', true) AS step");
        switched.catch(() => {});
        const after = tx.query<{ step: string }>("SELECT current_setting('ward.test_step') AS step");
        const written = writes();
        await switched;
        return { written, rows: (await after).rows };
      });
    });
    assert.equal(written, 1);
    assert.deepEqual(rows, [{ step: 'first' }]);
  });

  test('the record and the COMMIT leave in one write, and the transaction commits', async () => {
    const written = await countingWrites(async (writes) => {
      let before = 0;
      await t.db.scoped(scope, async (tx) => {
        await tx.query('SELECT 1');
        before = writes();
        tx.sendWithNext!();
        tx.commitWith!(tx.query('SELECT 2'));
      });
      return writes() - before;
    });
    assert.equal(written, 1);
  });

  test('a caller that awaits the held statement first gets its answer at the end of the turn', async () => {
    const rows = await t.db.scoped(scope, async (tx) => {
      tx.sendWithNext!();
      return (await tx.query<{ n: number }>('SELECT 7 AS n')).rows;
    });
    assert.deepEqual(rows, [{ n: 7 }]);
  });

  test('a held statement that fails fails the transaction, and the connection serves the next one', async () => {
    await assert.rejects(t.db.scoped(scope, async (tx) => {
      tx.sendWithNext!();
      tx.commitWith!(tx.query('SELECT 1 / 0'));
    }));
    const rows = await t.db.scoped(scope, async (tx) => (await tx.query<{ n: number }>('SELECT 8 AS n')).rows);
    assert.deepEqual(rows, [{ n: 8 }]);
  });
});
