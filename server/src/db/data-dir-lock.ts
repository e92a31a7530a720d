import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WardError } from '@ward/contracts';

/**
 * One process owns an embedded data directory. PGlite takes no lock of its own, and two processes
 * writing one directory silently lose writes, so Ward takes this lock file first. The lock records
 * the owner's pid and start time; a lock whose process is gone (a crash, kill -9) is taken over.
 */
export interface LockOwner {
  pid: number;
  startTime: string | null;
  acquiredAt: string;
}

export const LOCK_FILE = 'ward.lock';

function processStartTime(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. Guards against pid reuse.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isOwnerAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = processStartTime(owner.pid);
  return owner.startTime === null || startTime === null || startTime === owner.startTime;
}

export function readLockOwner(dataDir: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/** The owner of the lock when a live process holds it, else null. */
export function liveLockOwner(dataDir: string): LockOwner | null {
  const owner = readLockOwner(dataDir);
  return owner && owner.pid !== process.pid && isOwnerAlive(owner) ? owner : null;
}

export function acquireDataDirLock(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readLockOwner(dataDir);
      if (owner && isOwnerAlive(owner)) {
        throw new WardError(
          'DATA_DIR_LOCKED',
          `The data directory ${dataDir} is in use by process ${owner.pid}. Stop that process, or use the \`ward\` CLI, which talks to the running server.`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
      continue;
    }
    const owner: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid), acquiredAt: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        if (readLockOwner(dataDir)?.pid === process.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new WardError('DATA_DIR_LOCKED', `The lock of the data directory ${dataDir} could not be taken.`);
}
