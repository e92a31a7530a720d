import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TenantId } from '@ward/contracts';
import { createAwsKms } from './aws-kms.ts';
import { createFieldCipher } from './field-cipher.ts';
import { createMemoryKeyStore } from './key-store.ts';
import { startKmsStandIn, type KmsStandIn } from './test-support/kms-stand-in.ts';
import { tenantA, tenantB } from './test-support/fixtures.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };

describe('AWS KMS adapter against a local stand-in (R-DATA-1)', () => {
  let standIn: KmsStandIn;
  let keyIds: Map<string, string>;
  const kms = () =>
    createAwsKms({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      keyIdForTenant: (tenantId) => keyIds.get(tenantId) ?? `alias/ward-${tenantId}`,
    });

  before(async () => {
    standIn = await startKmsStandIn();
    keyIds = new Map([
      [tenantA, `alias/ward-${tenantA}`],
      [tenantB, `alias/ward-${tenantB}`],
    ]);
    standIn.createKey(`alias/ward-${tenantA}`);
    standIn.createKey(`alias/ward-${tenantB}`);
  });
  after(() => standIn.close());

  test('round-trips data keys with the request shape KMS expects', async () => {
    const adapter = kms();
    const { kekId } = await adapter.createTenantKey(tenantA);
    assert.match(kekId, /^arn:aws:kms:us-east-1:\d+:key\//);
    const generated = await adapter.generateDataKey(tenantA);
    assert.equal(generated.plaintext.length, 32);
    assert.deepEqual(await adapter.unwrap(tenantA, generated.kekId, generated.wrapped), generated.plaintext);
    const wrapped = await adapter.wrap(tenantA, generated.plaintext);
    assert.deepEqual(await adapter.unwrap(tenantA, wrapped.kekId, wrapped.wrapped), generated.plaintext);

    assert.deepEqual(standIn.problems, []);
    const seen = standIn.requests.map((r) => r.target);
    for (const target of ['TrentService.DescribeKey', 'TrentService.GenerateDataKey', 'TrentService.Decrypt', 'TrentService.Encrypt']) {
      assert.ok(seen.includes(target), `${target} was called`);
    }
    const encrypt = standIn.requests.find((r) => r.target === 'TrentService.Encrypt')!;
    assert.equal(encrypt.contentType, 'application/x-amz-json-1.1');
    assert.ok(encrypt.isSigned);
    assert.equal(encrypt.body.KeyId, `alias/ward-${tenantA}`);
    assert.deepEqual(encrypt.body.EncryptionContext, { 'ward:tenant': tenantA });
    assert.equal(Buffer.from(String(encrypt.body.Plaintext), 'base64').length, 32);
  });

  test('a data key wrapped for one tenant does not unwrap for another', async () => {
    const adapter = kms();
    const a = await adapter.generateDataKey(tenantA);
    await assert.rejects(adapter.unwrap(tenantB, a.kekId, a.wrapped), { code: 'DECRYPT_FAILED' });
  });

  test('a field cipher over AWS KMS round-trips and survives a KEK rotation', async () => {
    const cipher = createFieldCipher({ kms: kms(), keyStore: createMemoryKeyStore() });
    const ref = { table: 'patients', rowId: 'p-1', column: 'mrn' };
    const ciphertext = await cipher.encryptField(tenantA, ref, 'MRN0012A');
    const { rewrapped } = await cipher.rotateKeyEncryptionKey(tenantA);
    assert.equal(rewrapped, 1);
    assert.ok(standIn.requests.some((r) => r.target === 'TrentService.RotateKeyOnDemand'));
    cipher.forgetTenant(tenantA);
    assert.equal(await cipher.decryptPlaintextString(tenantA, ref, ciphertext), 'MRN0012A');
  });

  test('destroying a tenant key disables it and schedules deletion; that tenant fails with KEY_DESTROYED, the other still works', async () => {
    const victim = 'tenant-c' as TenantId;
    standIn.createKey(`alias/ward-${victim}`);
    const adapter = kms();
    const c = await adapter.generateDataKey(victim);
    const b = await adapter.generateDataKey(tenantB);

    await adapter.destroyTenantKey(victim);
    await adapter.destroyTenantKey(victim); // idempotent

    assert.equal(standIn.keyState(`alias/ward-${victim}`), 'PendingDeletion');
    const schedule = standIn.requests.find((r) => r.target === 'TrentService.ScheduleKeyDeletion')!;
    assert.equal(schedule.body.PendingWindowInDays, 7);
    await assert.rejects(adapter.unwrap(victim, c.kekId, c.wrapped), { code: 'KEY_DESTROYED' });
    await assert.rejects(adapter.createTenantKey(victim), { code: 'KEY_DESTROYED' });
    assert.deepEqual(await adapter.unwrap(tenantB, b.kekId, b.wrapped), b.plaintext);
  });

  test('an unknown tenant key is KEY_NOT_FOUND and an unreachable KMS is KMS_UNAVAILABLE', async () => {
    await assert.rejects(kms().createTenantKey('tenant-unknown' as TenantId), { code: 'KEY_NOT_FOUND' });
    const dead = createAwsKms({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials, maxAttempts: 1, keyIdForTenant: () => 'alias/x' });
    await assert.rejects(dead.generateDataKey(tenantA), { code: 'KMS_UNAVAILABLE' });
  });

  test('the stand-in refuses requests that do not have the KMS JSON shape', async () => {
    const strict = await startKmsStandIn();
    try {
      const post = (headers: Record<string, string>, body: string) => fetch(`${strict.endpoint}/`, { method: 'POST', headers, body });
      const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/kms/aws4_request', 'content-type': 'application/x-amz-json-1.1' };
      assert.equal((await post(signed, '{}')).status, 400, 'no X-Amz-Target');
      assert.equal((await post({ ...signed, 'x-amz-target': 'TrentService.Encrypt' }, 'not json')).status, 400, 'body not JSON');
      assert.equal((await post({ ...signed, 'x-amz-target': 'TrentService.Encrypt' }, '{"Plaintext":"AA=="}')).status, 400, 'no KeyId');
      const unsigned = await post({ 'content-type': 'application/json', 'x-amz-target': 'TrentService.DescribeKey' }, '{"KeyId":"k"}');
      assert.equal(unsigned.status, 400);
      assert.equal(((await unsigned.json()) as { __type: string }).__type, 'ValidationException');
      assert.equal(strict.problems.length, 6, "target, body, key id, content type, signature, signing scope");
    } finally {
      await strict.close();
    }
  });
});
