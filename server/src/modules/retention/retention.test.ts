import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSeededWorld, PHI_ENGINES, tid, type SeededWorld } from '../../../test/phi/phi-database.ts';
import { createAuditLog } from '../audit/append.ts';
import { getTranscript } from '../phi/index.ts';
import { placeLegalHold, runRetention, setRetentionPolicy, takeLease } from './index.ts';

for (const engine of PHI_ENGINES) {
  describe(`retention (${engine.engine})`, { skip: engine.skip }, () => {
    let w: SeededWorld;
    before(async () => {
      w = await openSeededWorld(engine.open);
    });
    after(async () => w?.close());

    test('deletes recordings and de-identifies transcripts past their days, except under a legal hold, and audits it (R-DATA-5)', async () => {
      const tenant = w.data.tenants[0]!;
      const calls = w.data.calls.filter((c) => c.tenantId === tenant.id && c.patientId);
      const held = calls[0]!;
      const free = calls.find((c) => c.patientId !== held.patientId)!;
      // The operator (a system actor) sets a policy in one step (0118); a person proposes a shorter one.
      await w.database.db.scoped({ ...w.scope(tenant.id), actorKind: 'system', actorId: 'cli' }, async (tx) => {
        await setRetentionPolicy(tx, { artifact: 'recordings', action: 'delete', afterDays: 1 }, new Date());
        await setRetentionPolicy(tx, { artifact: 'transcripts', action: 'deidentify', afterDays: 1 }, new Date());
        await placeLegalHold(tx, tid(tenant.id), { patientId: held.patientId!, matter: 'DOCKET-1', by: 'test:admin' });
      });
      const deps = { systemDb: w.database.db.systemDb, cipher: w.cipher, audit: createAuditLog(), clock: { now: () => new Date(Date.now() + 10 * 365 * 86_400_000) } };

      // Another server holds the lease: this run does nothing.
      await w.database.db.systemDb.transaction((tx) => takeLease(tx, 'retention', 'other-server', 60));
      assert.deepEqual(await runRetention(deps, { holder: 'me' }), { ran: false, outcomes: [] });
      await w.database.db.systemDb.query("DELETE FROM leases WHERE name = 'retention'");

      const run = await runRetention(deps, { holder: 'me' });
      assert.equal(run.ran, true);
      assert.ok(run.outcomes.find((o) => o.artifact === 'recordings')!.count > 0);
      const recordings = await w.database.superuser((tx) => tx.query<{ call_id: string }>('SELECT call_id FROM recordings WHERE tenant_id = $1', [tenant.id]));
      const left = new Set(recordings.rows.map((r) => r.call_id));
      assert.ok(left.has(held.id), 'the held patient keeps its recording');
      assert.ok(!left.has(free.id), 'a recording without a hold is deleted');
      const other = await w.database.superuser((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM recordings WHERE tenant_id <> $1', [tenant.id]));
      assert.ok((other.rows[0]?.n ?? 0) > 0, 'the other tenant has no policy and keeps everything');

      const [heldT, freeT] = await w.database.db.scoped(w.scope(tenant.id), async (tx) => [
        await getTranscript(tx, w.cipher, tid(tenant.id), held.id),
        await getTranscript(tx, w.cipher, tid(tenant.id), free.id),
      ]);
      assert.equal(heldT?.deidentifiedAt, null);
      assert.deepEqual(heldT?.utterances.map((u) => u.text), held.transcript.utterances.map((u) => u.text));
      assert.ok(freeT?.deidentifiedAt instanceof Date);
      const patient = w.data.patients.find((p) => p.id === free.patientId)!;
      assert.ok(!freeT!.utterances.some((u) => u.text.includes(patient.familyName)), 'the de-identified transcript no longer names the patient');

      const audit = await w.database.superuser((tx) => tx.query<{ action: string }>("SELECT action FROM audit_events WHERE tenant_id = $1 AND actor_id = 'system:retention'", [tenant.id]));
      assert.ok(audit.rows.some((r) => r.action === 'retention.delete'));
      assert.ok(audit.rows.some((r) => r.action === 'retention.deidentify'));
    });
  });
}
