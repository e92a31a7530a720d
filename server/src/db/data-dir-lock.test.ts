import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { acquireDataDirLock, LOCK_FILE, liveLockOwner } from './data-dir-lock.ts';

describe('the embedded data directory lock', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'ward-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('records the owning process and is released', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  });

  test('refuses with DATA_DIR_LOCKED while a live process holds it', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, startTime: null, acquiredAt: new Date().toISOString() }));
      assert.equal(liveLockOwner(dir)?.pid, child.pid);
      assert.throws(() => acquireDataDirLock(dir), { code: 'DATA_DIR_LOCKED' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('takes over a lock whose process is gone, as after kill -9', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, startTime: null, acquiredAt: new Date().toISOString() }));
    assert.equal(liveLockOwner(dir), null);
    const lock = acquireDataDirLock(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  test('takes over a lock whose pid was reused by another process (start time differs)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid === 1 ? 2 : 1, startTime: 'not-the-same', acquiredAt: '' }));
    const lock = acquireDataDirLock(dir);
    lock.release();
  });
});
