// R-AUDIT-3, NIST AU-9: the signing keys live in a protected file outside the database.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSigningKeyStore } from './key-store.ts';
import { checkTreeHeadSignature, signTreeHead } from './tree-head.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ward-audit-keys-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const head = { tenantId: 't', treeSize: 1, rootHash: Buffer.alloc(32, 7), timestamp: '2025-01-01T00:00:00.000Z' };

describe('file signing-key store', () => {
  test('creates the file with mode 0600 on first use and returns the same key afterwards', async () => {
    const path = join(dir, 'nested', 'keys.json');
    const first = await createFileSigningKeyStore({ path }).load();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const again = await createFileSigningKeyStore({ path }).load();
    assert.equal(again.active.keyId, first.active.keyId);
    assert.equal(checkTreeHeadSignature(signTreeHead(head, first.active), again.publicKeys), 'ok');
  });

  test('rotates to a new key, destroys the old private key and keeps its public key', async () => {
    const path = join(dir, 'rotate.json');
    const store = createFileSigningKeyStore({ path, now: () => new Date('2025-02-01T00:00:00Z') });
    const before = await store.load();
    const oldHead = signTreeHead(head, before.active);
    const after = await store.rotate();
    const reloaded = await createFileSigningKeyStore({ path }).load();
    assert.equal(reloaded.active.keyId, after.active.keyId);
    assert.equal(checkTreeHeadSignature(oldHead, reloaded.publicKeys), 'ok');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { keys: Array<{ keyId: string; privatePkcs8: string | null }> };
    assert.deepEqual(
      file.keys.map((k) => [k.keyId, k.privatePkcs8 === null]),
      [
        [before.active.keyId, true],
        [after.active.keyId, false],
      ],
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('refuses a key file that others can read', async () => {
    const path = join(dir, 'open.json');
    await createFileSigningKeyStore({ path }).load();
    chmodSync(path, 0o644);
    await assert.rejects(createFileSigningKeyStore({ path }).load(), { code: 'AUDIT_KEY_STORE_INSECURE' });
  });

  test('refuses a symbolic link in place of the key file', async () => {
    const real = join(dir, 'real.json');
    await createFileSigningKeyStore({ path: real }).load();
    const link = join(dir, 'link.json');
    symlinkSync(real, link);
    await assert.rejects(createFileSigningKeyStore({ path: link }).load(), { code: 'AUDIT_KEY_STORE_INSECURE' });
  });

  test('refuses a file that is not a key store, without quoting it', async () => {
    const path = join(dir, 'garbage.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'secret-looking-bytes', { mode: 0o600 });
    await assert.rejects(createFileSigningKeyStore({ path }).load(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'AUDIT_KEY_STORE_INVALID');
      assert.doesNotMatch(e.message, /secret-looking/);
      return true;
    });
  });
});
