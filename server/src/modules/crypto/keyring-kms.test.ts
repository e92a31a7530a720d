import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyringKms } from './keyring-kms.ts';
import { tenantA, tenantB, withTempDir } from './test-support/fixtures.ts';

describe('keyring KMS (R-DATA-1)', () => {
  test('creates the keyring file on first start with mode 0600, in a 0700 folder it creates', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keys', 'keyring.json');
      await createKeyringKms({ path });
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir, 'keys'))).mode & 0o777, 0o700);
      assert.equal(JSON.parse(await readFile(path, 'utf8')).format, 'ward-keyring/1');
    }));

  test('refuses a keyring file that group or others can read, saying how to fix it', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keyring.json');
      await createKeyringKms({ path });
      await chmod(path, 0o644);
      await assert.rejects(createKeyringKms({ path }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'KEYRING_INSECURE');
        assert.match(err.message, /mode 0644/);
        assert.match(err.message, /chmod 600/);
        return true;
      });
    }));

  test('refuses a symbolic link at the keyring path', () =>
    withTempDir(async (dir) => {
      const real = join(dir, 'real.json');
      await createKeyringKms({ path: real });
      await symlink(real, join(dir, 'link.json'));
      await assert.rejects(createKeyringKms({ path: join(dir, 'link.json') }), { code: 'KEYRING_INSECURE' });
    }));

  test('refuses a keyring path inside the database directory', () =>
    withTempDir(async (dir) => {
      await assert.rejects(createKeyringKms({ path: join(dir, 'db', 'keyring.json'), notInside: [join(dir, 'db')] }), { code: 'CONFIG_INVALID' });
    }));

  test('refuses a corrupt keyring file without quoting its content', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keyring.json');
      await writeFile(path, '{"format": "ward-keyring/1", "tenants": SECRETBYTES', { mode: 0o600 });
      await assert.rejects(createKeyringKms({ path }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'KEYRING_INVALID');
        assert.doesNotMatch(String(err) + err.stack, /SECRETBYTES/);
        return true;
      });
    }));

  test('unwraps after a restart what it wrapped before, and only for the same tenant', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keyring.json');
      const first = await createKeyringKms({ path });
      await first.createTenantKey(tenantA);
      await first.createTenantKey(tenantB);
      const { plaintext, wrapped, kekId } = await first.generateDataKey(tenantA);

      const second = await createKeyringKms({ path });
      assert.deepEqual(await second.unwrap(tenantA, kekId, wrapped), plaintext);
      await assert.rejects(second.unwrap(tenantB, kekId, wrapped), { code: 'KEY_NOT_FOUND' });
      const tampered = Buffer.from(wrapped);
      tampered[20]! ^= 1;
      await assert.rejects(second.unwrap(tenantA, kekId, tampered), { code: 'DECRYPT_FAILED' });
    }));

  test('creating a tenant key twice returns the same key', () =>
    withTempDir(async (dir) => {
      const kms = await createKeyringKms({ path: join(dir, 'keyring.json') });
      const one = await kms.createTenantKey(tenantA);
      assert.deepEqual(await kms.createTenantKey(tenantA), one);
    }));

  test('rotation makes a new key active and keeps the old one able to unwrap', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keyring.json');
      const kms = await createKeyringKms({ path });
      await kms.createTenantKey(tenantA);
      const old = await kms.generateDataKey(tenantA);
      const { kekId } = await kms.rotateTenantKey(tenantA);
      assert.notEqual(kekId, old.kekId);
      assert.equal((await kms.wrap(tenantA, old.plaintext)).kekId, kekId);
      const reopened = await createKeyringKms({ path });
      assert.deepEqual(await reopened.unwrap(tenantA, old.kekId, old.wrapped), old.plaintext);
    }));

  test('destroying a tenant key removes it from the file durably; that tenant fails with KEY_DESTROYED, another still unwraps', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'keyring.json');
      const kms = await createKeyringKms({ path });
      await kms.createTenantKey(tenantA);
      await kms.createTenantKey(tenantB);
      const a = await kms.generateDataKey(tenantA);
      const b = await kms.generateDataKey(tenantB);
      const keyOfA = JSON.parse(await readFile(path, 'utf8')).tenants[tenantA].keks[0].key as string;

      await kms.destroyTenantKey(tenantA);

      const text = await readFile(path, 'utf8');
      assert.ok(!text.includes(keyOfA), 'the destroyed key is no longer in the keyring file');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(dir), ['keyring.json'], 'no temporary file is left behind');
      await assert.rejects(kms.unwrap(tenantA, a.kekId, a.wrapped), { code: 'KEY_DESTROYED' });
      const reopened = await createKeyringKms({ path });
      await assert.rejects(reopened.unwrap(tenantA, a.kekId, a.wrapped), { code: 'KEY_DESTROYED' });
      await assert.rejects(reopened.createTenantKey(tenantA), { code: 'KEY_DESTROYED' });
      assert.deepEqual(await reopened.unwrap(tenantB, b.kekId, b.wrapped), b.plaintext);
    }));
});
