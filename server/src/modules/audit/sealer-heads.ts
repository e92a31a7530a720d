/**
 * The sealer's publishing of signed tree heads outside the database, after their sealing transaction commits
 * (R-AUDIT-3; docs/audit.md "Signed heads outside the database"): every sink in turn, then the heads
 * are marked `published_at`. A head that a sink refused stays unpublished and is published by a later
 * pass (`publishPending`); how long the oldest has waited feeds the publication guard.
 */
import type { SystemDb } from '../../db/types.ts';
import type { Logger } from '../../logging.ts';
import type { HeadSink } from './head-sink.ts';
import type { SignedTreeHead } from './tree-head.ts';

const UNPUBLISHED = `SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_heads
  WHERE published_at IS NULL ORDER BY tenant_id, tree_size LIMIT 1000`;
// The partial index of unpublished heads keeps this one probe per pass cheap on every server.
const OLDEST_UNPUBLISHED = `SELECT min(signed_at) AS signed_at FROM audit_tree_heads WHERE published_at IS NULL`;
const MARK_PUBLISHED = `UPDATE audit_tree_heads SET published_at = clock_timestamp()
  WHERE tenant_id = $1 AND tree_size = ANY ($2::bigint[]) AND published_at IS NULL`;

export interface HeadPublisher {
  /** One tenant's heads, in order; false when a sink failed (they stay unpublished). */
  publish(heads: readonly SignedTreeHead[]): Promise<boolean>;
  /** Heads committed but not published (a crash or a sink failure in an earlier pass); returns how many failed again. */
  publishPending(): Promise<number>;
  /** When the oldest unpublished head was signed; null when none waits. */
  oldestUnpublished(): Promise<Date | null>;
}

export function createHeadPublisher(systemDb: SystemDb, sinks: readonly HeadSink[], logger?: Pick<Logger, 'warn'>): HeadPublisher {
  async function publish(heads: readonly SignedTreeHead[]): Promise<boolean> {
    if (heads.length === 0) return true;
    try {
      for (const sink of sinks) await sink.publish(heads);
    } catch (e) {
      logger?.warn({ err: { message: (e as Error).message }, heads: heads.length }, 'audit: publishing signed tree heads failed; will retry');
      return false;
    }
    await systemDb.query(MARK_PUBLISHED, [heads[0]!.tenantId, heads.map((h) => h.treeSize)]);
    return true;
  }

  return {
    publish,
    async publishPending() {
      const { rows } = await systemDb.query<{ tenant_id: string; tree_size: string | number; root_hash: string; signed_at: string; key_id: string; signature: string }>(UNPUBLISHED);
      const byTenant = new Map<string, SignedTreeHead[]>();
      for (const r of rows) {
        const head = { tenantId: r.tenant_id, treeSize: Number(r.tree_size), rootHash: r.root_hash, timestamp: r.signed_at, keyId: r.key_id, signature: r.signature };
        byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), head]);
      }
      let failed = 0;
      for (const list of byTenant.values()) if (!(await publish(list))) failed += list.length;
      return failed;
    },
    async oldestUnpublished() {
      const oldest = (await systemDb.query<{ signed_at: string | null }>(OLDEST_UNPUBLISHED)).rows[0]?.signed_at ?? null;
      return oldest === null ? null : new Date(oldest);
    },
  };
}
