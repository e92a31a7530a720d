// A leased job runs on one server at a time (DESIGN.md: leases live in PostgreSQL; R-MON-1's alert
// sender and R-AUDIT-4's SIEM stream use it): a second holder runs nothing while the lease is held,
// a new term is told apart from a renewal, stop() hands the lease over at once, a refused fenced write
// (lost) starts a new term, and a failed pass goes to onError and the job runs on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, type TestDatabase } from '../../test/support/databases.ts';
import { leasedJob } from './leased-job.ts';

for (const { engine, open, skip } of ENGINES) {
  describe(`a leased job on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await open();
    });
    after(async () => t?.close());

    const job = (name: string, holder: string, terms: boolean[], fail = false) => leasedJob({
      systemDb: t.db.systemDb, name, holder, leaseSeconds: 30, intervalMs: 5,
      pass: async ({ holder: h, isNewTerm }) => {
        assert.equal(h, holder);
        terms.push(isNewTerm);
        if (fail) throw Object.assign(new Error('boom'), { code: 'E_TEST' });
        return h;
      },
      onError: () => {},
    });

    test('one holder at a time; a renewal is not a new term; stop() lets the other take over at once', async () => {
      const aTerms: boolean[] = [];
      const bTerms: boolean[] = [];
      const a = job('test-lease-1', 'server-a', aTerms);
      const b = job('test-lease-1', 'server-b', bTerms);
      assert.equal(await a.runOnce(), 'server-a');
      assert.equal(await b.runOnce(), null, 'the lease is held: nothing ran');
      assert.equal(await a.runOnce(), 'server-a');
      assert.deepEqual(aTerms, [true, false]);
      await a.stop();
      assert.equal(await b.runOnce(), 'server-b', 'released on stop: no wait for expiry');
      assert.deepEqual(bTerms, [true]);
      await b.stop();
      const { rows } = await t.db.systemDb.query("SELECT 1 FROM leases WHERE name = 'test-lease-1'");
      assert.equal(rows.length, 0);
    });

    test('lost() starts a new term at the next pass; start() runs passes until stop(), and a failing pass does not end them', async () => {
      const terms: boolean[] = [];
      const a = job('test-lease-2', 'server-a', terms);
      await a.runOnce();
      a.lost();
      await a.runOnce();
      assert.deepEqual(terms, [true, true]);
      await a.stop();

      const failures: boolean[] = [];
      const failing = job('test-lease-3', 'server-c', failures, true);
      failing.start();
      const deadline = Date.now() + 10_000;
      while (failures.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await failing.stop();
      assert.ok(failures.length >= 3, `${failures.length} passes`);
      assert.deepEqual(failures.slice(0, 2), [true, false]);
      const { rows } = await t.db.systemDb.query("SELECT 1 FROM leases WHERE name = 'test-lease-3'");
      assert.equal(rows.length, 0, 'released on stop');
    });
  });
}
