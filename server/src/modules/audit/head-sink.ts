/**
 * Where signed tree heads are published outside the database (R-AUDIT-3; NIST AU-9): whoever can
 * rewrite the audit table can also rewrite the heads stored beside it, but not the copies here, so
 * `ward audit verify` checks the database against them.
 *
 * - a directory (default `<WARD_DATA_DIR>/audit-heads/`): one JSON Lines file per tenant,
 *   `<tenantId>.jsonl`, appended and fsynced, one head a line;
 * - an HTTP witness (`WARD_AUDIT_WITNESS_URL`): each head POSTed as JSON
 *   `{"type":"ward-tree-head", …head}`; any answer other than 2xx is a failure, retried later.
 */
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { SignedTreeHead } from './tree-head.ts';

export interface HeadSink {
  readonly name: string;
  /** Publishes heads (one tenant's, ascending); throws when they are not all durably published. */
  publish(heads: readonly SignedTreeHead[]): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function headsFile(dir: string, tenantId: string): string {
  // The tenant id names the file: it must be a UUID, never a path.
  if (!UUID.test(tenantId)) throw new TypeError('a tenant id is not a UUID');
  return join(dir, `${tenantId.toLowerCase()}.jsonl`);
}

export function createDirectoryHeadSink(dir: string): HeadSink {
  return {
    name: `directory ${dir}`,
    async publish(heads) {
      if (heads.length === 0) return;
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const byTenant = new Map<string, SignedTreeHead[]>();
      for (const head of heads) byTenant.set(head.tenantId, [...(byTenant.get(head.tenantId) ?? []), head]);
      for (const [tenantId, list] of byTenant) {
        const handle = await fs.open(headsFile(dir, tenantId), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
        // A full disk can take part of a write: the file is cut back to where it was, so that no
        // half line is left for the verifier to refuse; the whole batch is retried on the next pass.
        const sizeBefore = (await handle.stat()).size;
        try {
          await handle.writeFile(list.map((h) => `${JSON.stringify(h)}\n`).join(''), 'utf8');
          await handle.sync();
        } catch (e) {
          await handle.truncate(sizeBefore).catch(() => {});
          throw e;
        } finally {
          await handle.close();
        }
      }
    },
  };
}

/**
 * The heads a directory sink published for a tenant. A line that is not a JSON object is returned as
 * a head with no valid tree size, which the verifier refuses (fail closed), rather than skipped.
 */
export async function readPublishedHeads(dir: string, tenantId: string): Promise<SignedTreeHead[]> {
  let text: string;
  try {
    text = await fs.readFile(headsFile(dir, tenantId), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const heads: SignedTreeHead[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let head: unknown;
    try {
      head = JSON.parse(line);
    } catch {
      head = null;
    }
    heads.push(head !== null && typeof head === 'object' ? (head as SignedTreeHead) : ({ treeSize: Number.NaN } as unknown as SignedTreeHead));
  }
  return heads;
}

export function createWitnessHeadSink(url: URL, opts: { timeoutMs?: number; fetch?: typeof fetch } = {}): HeadSink {
  const post = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    name: `witness ${url.origin}`,
    async publish(heads) {
      for (const head of heads) {
        const res = await post(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'ward-tree-head', ...head }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`the witness answered ${res.status}`);
      }
    },
  };
}

/** Heads from several places, each once (the same head read from the database and the directory). */
export function mergeHeads(...lists: ReadonlyArray<readonly SignedTreeHead[]>): SignedTreeHead[] {
  const seen = new Map<string, SignedTreeHead>();
  for (const list of lists) {
    for (const head of list) {
      const key = JSON.stringify([head.tenantId, head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature]);
      if (!seen.has(key)) seen.set(key, head);
    }
  }
  return [...seen.values()];
}
