import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { normaliseLookupValue, BLIND_INDEX_BYTES, type LookupField } from './blind-index.ts';
import { createFieldCipher } from './field-cipher.ts';
import { createKeyringKms } from './keyring-kms.ts';
import { createMemoryKeyStore } from './key-store.ts';
import { tenantA, tenantB, withTempDir } from './test-support/fixtures.ts';

describe('lookup normalisation (R-DATA-1)', () => {
  const cases: [LookupField, string, string][] = [
    ['phone', '(555) 010-1234', '+15550101234'],
    ['phone', '1-555-010-1234', '+15550101234'],
    ['phone', '+1 555.010.1234', '+15550101234'],
    ['phone', '0044 20 7946 0958', '+442079460958'],
    ['mrn', ' mrn-00 12/a ', 'MRN0012A'],
    ['memberId', 'xq9-88.1', 'XQ9881'],
    ['ssn', '123-45-6789', '123456789'],
    ['dateOfBirth', '07/04/1961', '1961-07-04'],
    ['dateOfBirth', '1961-07-04', '1961-07-04'],
    ['email', ' Jane.Doe@Example.ORG ', 'jane.doe@example.org'],
  ];
  for (const [field, input, expected] of cases) {
    test(`normalises a ${field} written as "${input}" to "${expected}"`, () => {
      assert.equal(normaliseLookupValue(field, input), expected);
    });
  }

  const invalid: [LookupField, string][] = [
    ['phone', '555-0101'],
    ['phone', 'call me'],
    ['ssn', '123-45-678'],
    ['dateOfBirth', '02/30/1961'],
    ['mrn', '--'],
    ['email', 'not an address'],
  ];
  for (const [field, input] of invalid) {
    test(`rejects "${input}" as a ${field} without repeating it`, () => {
      assert.throws(() => normaliseLookupValue(field, input), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'LOOKUP_VALUE_INVALID');
        assert.ok(!`${String(err)}${err.stack}`.includes(input));
        return true;
      });
    });
  }
});

describe('blind indexes (R-DATA-1)', () => {
  async function setUp(dir: string) {
    const kms = await createKeyringKms({ path: join(dir, 'keyring.json') });
    const keyStore = createMemoryKeyStore();
    return { keyStore, cipher: createFieldCipher({ kms, keyStore }) };
  }

  test('the same phone number in two spellings has one index; another tenant or field has another', () =>
    withTempDir(async (dir) => {
      const { cipher } = await setUp(dir);
      const index = await cipher.blindIndex(tenantA, 'phone', '(555) 010-1234');
      assert.equal(index.length, BLIND_INDEX_BYTES);
      assert.deepEqual(await cipher.blindIndex(tenantA, 'phone', '+15550101234'), index);
      assert.notDeepEqual(await cipher.blindIndex(tenantB, 'phone', '+15550101234'), index);
      assert.notDeepEqual(await cipher.blindIndex(tenantA, 'mrn', 'A1'), await cipher.blindIndex(tenantA, 'memberId', 'A1'));
      assert.ok(!index.includes(Buffer.from('5550101234')));
    }));

  test('during an index key rotation, lookups try the new and the retiring key', () =>
    withTempDir(async (dir) => {
      const { cipher, keyStore } = await setUp(dir);
      const old = await cipher.blindIndex(tenantA, 'mrn', 'MRN-1');
      await cipher.rotateIndexKey(tenantA);
      const fresh = await cipher.blindIndex(tenantA, 'mrn', 'MRN-1');
      assert.notDeepEqual(fresh, old);
      assert.equal(fresh.readUInt32BE(0), 2, 'the index names its key version');
      assert.deepEqual(await cipher.blindIndexCandidates(tenantA, 'mrn', 'mrn 1'), [fresh, old]);
      await cipher.retireDataKey(tenantA, 'index', 1);
      assert.deepEqual(await cipher.blindIndexCandidates(tenantA, 'mrn', 'mrn 1'), [fresh]);
      assert.equal((await keyStore.getActiveDataKey(tenantA, 'data')), undefined, 'index keys and data keys are separate');
    }));
});
