import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TenantId } from '@ward/contracts';
import { createFieldCipher } from './field-cipher.ts';
import { createKeyringKms } from './keyring-kms.ts';
import { createMemoryKeyStore } from './key-store.ts';
import { readHeader } from './envelope.ts';
import { countingKms, frozenClock, tenantA, tenantB, withTempDir } from './test-support/fixtures.ts';
import type { FieldRef } from './types.ts';

const ssn: FieldRef = { table: 'patients', rowId: 'p-1', column: 'ssn' };
const SSN = '123-45-6789';

async function setUp(dir: string) {
  const clock = frozenClock();
  const kms = countingKms(await createKeyringKms({ path: join(dir, 'keyring.json'), clock }));
  const keyStore = createMemoryKeyStore();
  const cipher = createFieldCipher({ kms, keyStore, clock, cache: { ttlSeconds: 60, maxTenants: 10 } });
  return { clock, kms, keyStore, cipher };
}

/** R-DATA-4: an error carries neither the plaintext nor, by the stack, anything that quotes it. */
function assertNoPlaintext(err: unknown, ...secrets: string[]): true {
  const e = err as Error;
  const text = `${String(e)}\n${e.stack ?? ''}\n${String((e as { cause?: unknown }).cause ?? '')}`;
  for (const secret of secrets) assert.ok(!text.includes(secret), `error text must not contain the value`);
  return true;
}

describe('field cipher (R-DATA-1)', () => {
  test('round-trips strings and bytes, with a fresh IV every time', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      const one = await cipher.encryptField(tenantA, ssn, SSN);
      const two = await cipher.encryptField(tenantA, ssn, SSN);
      assert.notDeepEqual(one, two);
      assert.ok(!one.includes(Buffer.from(SSN)), 'the ciphertext does not contain the plaintext');
      assert.equal(await cipher.decryptPlaintextString(tenantA, ssn, one), SSN);
      const audio = Buffer.from([0, 1, 2, 255]);
      const ref = { table: 'recording_chunks', rowId: 'r-1:0', column: 'audio' };
      assert.deepEqual(await cipher.decryptPlaintext(tenantA, ref, await cipher.encryptField(tenantA, ref, audio)), audio);
      assert.equal(await cipher.decryptPlaintextString(tenantA, ssn, await cipher.encryptField(tenantA, ssn, '')), '');
    }));

  test('a ciphertext moved to another row, column, table or tenant does not decrypt', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      await cipher.provisionTenant(tenantB);
      const ciphertext = await cipher.encryptField(tenantA, ssn, SSN);
      for (const [tenant, ref] of [
        [tenantA, { ...ssn, rowId: 'p-2' }],
        [tenantA, { ...ssn, column: 'phone' }],
        [tenantA, { ...ssn, table: 'members' }],
        [tenantB, ssn],
      ] as [TenantId, FieldRef][]) {
        await assert.rejects(cipher.decryptPlaintext(tenant, ref, ciphertext), { code: 'DECRYPT_FAILED' });
      }
    }));

  test('a tampered ciphertext does not decrypt, wherever the change is', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      const ciphertext = await cipher.encryptField(tenantA, ssn, SSN);
      for (const offset of [5, 17, ciphertext.length - 1]) {
        const tampered = Buffer.from(ciphertext);
        tampered[offset]! ^= 0x01;
        await assert.rejects(cipher.decryptPlaintext(tenantA, ssn, tampered), { code: 'DECRYPT_FAILED' });
      }
      await assert.rejects(cipher.decryptPlaintext(tenantA, ssn, ciphertext.subarray(0, 20)), { code: 'DECRYPT_FAILED' });
      const otherFormat = Buffer.from(ciphertext);
      otherFormat[0] = 9;
      await assert.rejects(cipher.decryptPlaintext(tenantA, ssn, otherFormat), { code: 'DECRYPT_FAILED' });
    }));

  test('errors name the tenant, table and column but never the value (R-DATA-4)', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      const ciphertext = await cipher.encryptField(tenantA, ssn, SSN);
      await assert.rejects(cipher.decryptPlaintext(tenantA, { ...ssn, rowId: 'p-2' }, ciphertext), (err: Error) => {
        assert.match(err.message, /tenant-a, patients\.ssn/);
        return assertNoPlaintext(err, SSN, ciphertext.toString('base64'), ciphertext.toString('hex'));
      });
      await assert.rejects(cipher.blindIndex(tenantA, 'ssn', '123-45-678X'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'LOOKUP_VALUE_INVALID');
        return assertNoPlaintext(err, '123-45-678X', '12345678X');
      });
      await cipher.destroyTenant(tenantA);
      await assert.rejects(cipher.decryptPlaintext(tenantA, ssn, ciphertext), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'KEY_DESTROYED');
        return assertNoPlaintext(err, SSN);
      });
    }));

  test('after a data key rotation, reads accept both versions and reencrypt moves values to the new one', () =>
    withTempDir(async (dir) => {
      const { cipher, keyStore } = await setUp(dir);
      const old = await cipher.encryptField(tenantA, ssn, SSN);
      assert.deepEqual(await cipher.rotateDataKey(tenantA), { version: 2, previousVersion: 1 });
      const fresh = await cipher.encryptField(tenantA, ssn, SSN);
      assert.deepEqual([readHeader(old), readHeader(fresh)], [{ formatVersion: 1, keyVersion: 1 }, { formatVersion: 1, keyVersion: 2 }]);
      assert.equal(await cipher.decryptPlaintextString(tenantA, ssn, old), SSN);
      assert.equal(await cipher.decryptPlaintextString(tenantA, ssn, fresh), SSN);
      assert.equal((await keyStore.getDataKey(tenantA, 'data', 1))?.state, 'retiring');

      const moved = await cipher.reencrypt(tenantA, ssn, old);
      assert.equal((readHeader(moved) as { keyVersion: number }).keyVersion, 2);
      assert.equal(await cipher.decryptPlaintextString(tenantA, ssn, moved), SSN);
      assert.equal(await cipher.reencrypt(tenantA, ssn, moved), moved, 'already current: the same buffer, nothing to write');
      await assert.rejects(cipher.reencrypt(tenantA, { ...ssn, rowId: 'p-9' }, old), { code: 'DECRYPT_FAILED' });

      await cipher.retireDataKey(tenantA, 'data', 1);
      assert.equal((await keyStore.getDataKey(tenantA, 'data', 1))?.state, 'retired');
      await assert.rejects(cipher.retireDataKey(tenantA, 'data', 2), { code: 'CONFLICT' });
    }));

  test('a KEK rotation rewraps every data key and touches no ciphertext or data key version', () =>
    withTempDir(async (dir) => {
      const { cipher, keyStore } = await setUp(dir);
      const v1 = await cipher.encryptField(tenantA, ssn, SSN);
      await cipher.rotateDataKey(tenantA);
      const v2 = await cipher.encryptField(tenantA, ssn, SSN);
      await cipher.blindIndex(tenantA, 'mrn', 'A-1');
      const before = await keyStore.listDataKeys(tenantA);

      const { kekId, rewrapped } = await cipher.rotateKeyEncryptionKey(tenantA);

      const after = await keyStore.listDataKeys(tenantA);
      assert.equal(rewrapped, 3);
      assert.deepEqual(after.map((r) => [r.purpose, r.version, r.state]), before.map((r) => [r.purpose, r.version, r.state]));
      for (const [i, r] of after.entries()) {
        assert.equal(r.kekId, kekId);
        assert.notDeepEqual(r.wrappedKey, before[i]!.wrappedKey);
      }
      // A new process (cold cache) unwraps the rewrapped keys and reads the old ciphertexts as they are.
      const cold = createFieldCipher({ kms: await createKeyringKms({ path: join(dir, 'keyring.json') }), keyStore });
      assert.equal(await cold.decryptPlaintextString(tenantA, ssn, v1), SSN);
      assert.equal(await cold.decryptPlaintextString(tenantA, ssn, v2), SSN);
    }));

  test('destroying a tenant makes its data unreadable while another tenant still decrypts', () =>
    withTempDir(async (dir) => {
      const { cipher, keyStore } = await setUp(dir);
      const a = await cipher.encryptField(tenantA, ssn, SSN);
      const b = await cipher.encryptField(tenantB, ssn, '987-65-4321');

      await cipher.destroyTenant(tenantA);

      await assert.rejects(cipher.decryptPlaintext(tenantA, ssn, a), { code: 'KEY_DESTROYED' });
      await assert.rejects(cipher.encryptField(tenantA, ssn, SSN), { code: 'KEY_DESTROYED' });
      assert.equal(await cipher.decryptPlaintextString(tenantB, ssn, b), '987-65-4321');
      // Another process with the same keyring and a copy of the key table (a dump) cannot read it either.
      const cold = createFieldCipher({ kms: await createKeyringKms({ path: join(dir, 'keyring.json') }), keyStore });
      await assert.rejects(cold.decryptPlaintext(tenantA, ssn, a), { code: 'KEY_DESTROYED' });
      assert.equal(await cold.decryptPlaintextString(tenantB, ssn, b), '987-65-4321');
    }));

  test('reads are served from the key cache without calling the KMS until the TTL passes', () =>
    withTempDir(async (dir) => {
      const { cipher, kms, clock } = await setUp(dir);
      const ciphertext = await cipher.encryptField(tenantA, ssn, SSN);
      const before = { ...kms.calls };
      await Promise.all(Array.from({ length: 20 }, () => cipher.decryptPlaintext(tenantA, ssn, ciphertext)));
      assert.deepEqual(kms.calls, before);

      clock.advanceSeconds(61);
      cipher.forgetTenant(tenantB); // unrelated tenant: no effect on tenant A's entries
      await Promise.all(Array.from({ length: 5 }, () => cipher.decryptPlaintext(tenantA, ssn, ciphertext)));
      assert.equal(kms.calls.unwrap ?? 0, (before.unwrap ?? 0) + 1, 'one unwrap after expiry, shared by concurrent reads');
    }));

  test('concurrent first writes for a new tenant create exactly one data key', () =>
    withTempDir(async (dir) => {
      const { cipher, keyStore } = await setUp(dir);
      await Promise.all(Array.from({ length: 10 }, (_, i) => cipher.encryptField(tenantA, { ...ssn, rowId: `p-${i}` }, SSN)));
      assert.deepEqual((await keyStore.listDataKeys(tenantA)).map((r) => [r.purpose, r.version]), [['data', 1]]);
    }));

  test('a second process racing to create the first key gets a conflict and uses the winner\'s key', () =>
    withTempDir(async (dir) => {
      const { kms, keyStore } = await setUp(dir);
      let puts = 0;
      const countingStore = { ...keyStore, putDataKey: (r: Parameters<typeof keyStore.putDataKey>[0]) => ((puts += 1), keyStore.putDataKey(r)) };
      const one = createFieldCipher({ kms, keyStore: countingStore });
      const two = createFieldCipher({ kms, keyStore: countingStore });
      const [x, y] = await Promise.all([one.encryptField(tenantA, ssn, SSN), two.encryptField(tenantA, ssn, SSN)]);
      assert.equal(puts, 2, 'both tried to create version 1');
      assert.deepEqual((await keyStore.listDataKeys(tenantA)).map((r) => [r.purpose, r.version]), [['data', 1]]);
      assert.equal(await one.decryptPlaintextString(tenantA, ssn, y), SSN);
      assert.equal(await two.decryptPlaintextString(tenantA, ssn, x), SSN);
    }));

  test('rejects a field reference without a row id', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      await assert.rejects(cipher.encryptField(tenantA, { ...ssn, rowId: '' }, SSN), { code: 'BAD_REQUEST' });
    }));
});
