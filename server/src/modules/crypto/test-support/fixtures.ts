/** Test support: temp folders under os.tmpdir(), a frozen clock, and a KMS that counts its calls. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantId } from '@ward/contracts';
import type { Clock, Kms } from '../types.ts';

export const tenantA = 'tenant-a' as TenantId;
export const tenantB = 'tenant-b' as TenantId;

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(process.env.WARD_TEST_TMP ?? tmpdir(), 'ward-crypto-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function frozenClock(iso = '2025-06-01T12:00:00Z'): Clock & { advanceSeconds(s: number): void } {
  let now = new Date(iso).getTime();
  return {
    now: () => new Date(now),
    advanceSeconds(s) {
      now += s * 1000;
    },
  };
}

/** Wraps a KMS and counts calls per operation, to prove reads are served from the key cache. */
export function countingKms(inner: Kms): Kms & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const counted = {} as Kms;
  for (const name of ['createTenantKey', 'generateDataKey', 'wrap', 'unwrap', 'rotateTenantKey', 'destroyTenantKey'] as const) {
    (counted as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return (inner[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return Object.assign(counted, { calls });
}
