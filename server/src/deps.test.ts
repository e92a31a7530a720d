import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from './config.ts';
import { createKms } from './deps.ts';
import { startKmsStandIn, type KmsStandIn } from './modules/crypto/test-support/kms-stand-in.ts';
import { tenantA } from './modules/crypto/test-support/fixtures.ts';

let standIn: KmsStandIn;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
before(async () => {
  standIn = await startKmsStandIn();
  // The adapter takes credentials from the AWS SDK's default chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'not-a-secret';
});
after(async () => {
  await standIn.close();
  for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test('WARD_KMS=aws selects the AWS KMS adapter, one key per tenant under the configured prefix (R-DATA-1)', async () => {
  standIn.createKey(`alias/acme-${tenantA}`);
  const kms = await createKms(loadConfig({ WARD_KMS: 'aws', WARD_AWS_REGION: 'us-east-1', WARD_AWS_KMS_ENDPOINT: standIn.endpoint, WARD_AWS_KMS_KEY_PREFIX: 'alias/acme-' }));
  const key = await kms.generateDataKey(tenantA);
  assert.deepEqual(await kms.unwrap(tenantA, key.kekId, key.wrapped), key.plaintext);
  const generate = standIn.requests.find((r) => r.target === 'TrentService.GenerateDataKey');
  assert.equal(generate?.body.KeyId, `alias/acme-${tenantA}`);
  assert.ok(generate?.isSigned);
});
