import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSeededWorld, PHI_ENGINES, tid, type SeededWorld } from '../../../test/phi/phi-database.ts';
import { syntheticWav } from '../demo/seed.ts';
import {
  findCallsByCallerPhone, findPatientsByLookup, getPatient, getRecording, getTranscript, listCallsForPatient, listCaseNotes,
  listPatients, loadResourceAttributes, parseByteRange, readRecordingRange, writeCaseNote,
} from './index.ts';

for (const engine of PHI_ENGINES) {
  describe(`the PHI data-access layer (${engine.engine})`, { skip: engine.skip }, () => {
    let w: SeededWorld;
    before(async () => {
      w = await openSeededWorld(engine.open);
    });
    after(async () => w?.close());

    const patient = () => w.data.patients[0]!;
    const tenant = () => tid(patient().tenantId);
    const other = () => w.data.tenants.find((t) => t.id !== patient().tenantId)!;

    test('reads a patient and decrypts only the fields asked for', async () => {
      const p = patient();
      const got = await w.database.db.scoped(w.scope(p.tenantId), (tx) => getPatient(tx, w.cipher, tenant(), p.id, { fields: ['givenName', 'dateOfBirth'] }));
      assert.equal(got?.givenName, p.givenName);
      assert.equal(got?.dateOfBirth, p.dateOfBirth);
      assert.equal('ssn' in got!, false);
      assert.equal('familyName' in got!, false);
      const bare = await w.database.db.scoped(w.scope(p.tenantId), (tx) => getPatient(tx, w.cipher, tenant(), p.id));
      assert.deepEqual(Object.keys(bare!).sort(), ['createdAt', 'id', 'phiScope', 'sex', 'state', 'tenantId']);
    });

    test('finds a patient by MRN, phone and member number through blind indexes, in any spelling', async () => {
      const p = patient();
      const digits = p.phone.slice(2);
      for (const query of [{ mrn: p.mrn.toLowerCase() }, { phone: `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` }, { memberNumber: p.memberNumber }]) {
        const found = await w.database.db.scoped(w.scope(p.tenantId), (tx) => findPatientsByLookup(tx, w.cipher, tenant(), query, { fields: ['familyName'] }));
        assert.ok(found.some((f) => f.id === p.id && f.familyName === p.familyName), JSON.stringify(Object.keys(query)));
      }
      const none = await w.database.db.scoped(w.scope(other().id), (tx) => findPatientsByLookup(tx, w.cipher, tid(other().id), { mrn: p.mrn }));
      assert.deepEqual(none, []);
    });

    test('another tenant sees no patient: null, not an error', async () => {
      const p = patient();
      assert.equal(await w.database.db.scoped(w.scope(other().id), (tx) => getPatient(tx, w.cipher, tid(other().id), p.id, { fields: ['givenName'] })), null);
      assert.equal(await w.database.db.scoped(w.scope(other().id), (tx) => loadResourceAttributes(tx, tid(other().id), 'Patient', p.id)), null);
    });

    test('loads the resource attributes of every type without decrypting', async () => {
      const call = w.data.calls.find((c) => c.tenantId === patient().tenantId)!;
      const attrs = await w.database.db.scoped(w.scope(call.tenantId), async (tx) => [
        await loadResourceAttributes(tx, tid(call.tenantId), 'Call', call.id),
        await loadResourceAttributes(tx, tid(call.tenantId), 'Recording', call.recording.id),
        await loadResourceAttributes(tx, tid(call.tenantId), 'Transcript', call.transcript.id),
        await loadResourceAttributes(tx, tid(call.tenantId), 'Patient', 'not-a-uuid'),
      ]);
      assert.deepEqual(attrs, [
        { type: 'Call', id: call.id, tenant: call.tenantId, phiScope: call.phiScope },
        { type: 'Recording', id: call.recording.id, tenant: call.tenantId, phiScope: call.phiScope },
        { type: 'Transcript', id: call.transcript.id, tenant: call.tenantId, phiScope: call.phiScope },
        null,
      ]);
    });

    test('lists patients masked by default, names only when asked', async () => {
      const page = await w.database.db.scoped(w.scope(patient().tenantId), (tx) => listPatients(tx, w.cipher, tenant(), { limit: 5 }));
      assert.equal(page.length, 5);
      assert.ok(page.every((p) => !('givenName' in p)));
      const named = await w.database.db.scoped(w.scope(patient().tenantId), (tx) => listPatients(tx, w.cipher, tenant(), { limit: 5, includeNames: true }));
      const byId = new Map(w.data.patients.map((p) => [p.id, p]));
      assert.ok(named.every((p) => p.givenName === byId.get(p.id)?.givenName && p.familyName === byId.get(p.id)?.familyName));
    });

    test('decrypts a transcript, calls with and without the caller number, and finds calls by the caller', async () => {
      const call = w.data.calls.find((c) => c.patientId)!;
      const t = await w.database.db.scoped(w.scope(call.tenantId), (tx) => getTranscript(tx, w.cipher, tid(call.tenantId), call.id));
      assert.deepEqual(t?.utterances.map((u) => u.text), call.transcript.utterances.map((u) => u.text));
      const calls = await w.database.db.scoped(w.scope(call.tenantId), (tx) => listCallsForPatient(tx, w.cipher, tid(call.tenantId), call.patientId!));
      assert.ok(calls.some((c) => c.id === call.id && !('fromNumber' in c)));
      const withNumber = await w.database.db.scoped(w.scope(call.tenantId), (tx) => listCallsForPatient(tx, w.cipher, tid(call.tenantId), call.patientId!, { includeFromNumber: true }));
      assert.equal(withNumber.find((c) => c.id === call.id)?.fromNumber, call.fromNumber);
      const popped = await w.database.db.scoped(w.scope(call.tenantId), (tx) => findCallsByCallerPhone(tx, w.cipher, tid(call.tenantId), call.fromNumber));
      assert.ok(popped.some((c) => c.id === call.id));
    });

    test('serves byte ranges of the decrypted audio across chunk boundaries', async () => {
      const call = w.data.calls.find((c) => c.recording.durationMs >= 3000)!;
      const wav = syntheticWav(call.recording.durationMs);
      await w.database.db.scoped(w.scope(call.tenantId), async (tx) => {
        const rec = (await getRecording(tx, tid(call.tenantId), call.recording.id))!;
        assert.equal(rec.byteLength, wav.length);
        for (const header of [undefined, 'bytes=0-43', 'bytes=16000-40000', 'bytes=-100', `bytes=${wav.length - 5}-`]) {
          const range = parseByteRange(header, rec.byteLength)!;
          assert.deepEqual(await readRecordingRange(tx, w.cipher, tid(call.tenantId), rec, range), wav.subarray(range.start, range.end + 1), String(header));
        }
        assert.equal(parseByteRange(`bytes=${wav.length}-`, rec.byteLength), null);
      });
    });

    test('writes a case note encrypted and lists it back; an invisible patient is NOT_FOUND', async () => {
      const p = patient();
      const author = w.data.members.find((m) => m.tenantId === p.tenantId)!;
      const written = await w.database.db.scoped(w.scope(p.tenantId), (tx) => writeCaseNote(tx, w.cipher, tenant(), { patientId: p.id, authorId: author.id, body: 'Called back about refill.' }));
      assert.equal(written.phiScope, p.phiScope);
      const notes = await w.database.db.scoped(w.scope(p.tenantId), (tx) => listCaseNotes(tx, w.cipher, tenant(), p.id, { includeBody: true }));
      assert.equal(notes.find((n) => n.id === written.id)?.body, 'Called back about refill.');
      await assert.rejects(
        w.database.db.scoped(w.scope(other().id), (tx) => writeCaseNote(tx, w.cipher, tid(other().id), { patientId: p.id, authorId: author.id, body: 'x' })),
        { code: 'NOT_FOUND' },
      );
    });

    test('a ciphertext moved to another row of the database fails to decrypt (R-DATA-1)', async () => {
      const [a, b] = w.data.patients.filter((p) => p.tenantId === patient().tenantId);
      await w.database.superuser((tx) => tx.query('UPDATE patients SET given_name_enc = (SELECT given_name_enc FROM patients WHERE id = $1) WHERE id = $2', [a!.id, b!.id]));
      await assert.rejects(
        w.database.db.scoped(w.scope(b!.tenantId), (tx) => getPatient(tx, w.cipher, tid(b!.tenantId), b!.id, { fields: ['givenName'] })),
        (e: Error & { code?: string }) => e.code === 'DECRYPT_FAILED' && !String(e).includes(a!.givenName) && !e.stack?.includes(a!.givenName),
      );
      // Other fields of the same row still read.
      const still = await w.database.db.scoped(w.scope(b!.tenantId), (tx) => getPatient(tx, w.cipher, tid(b!.tenantId), b!.id, { fields: ['familyName'] }));
      assert.equal(still?.familyName, b!.familyName);
    });
  });
}
