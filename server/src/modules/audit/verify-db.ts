/**
 * `ward audit verify` against the database (R-AUDIT-3; NIST AU-9, AU-10): streams a tenant's sealed
 * events in seq order through the verifier, checking every signed head — those stored in the
 * database and those published outside it (the heads directory). An operator who rewrites the
 * table and its heads still fails against the published copies.
 */
import { mergeHeads, readPublishedHeads } from './head-sink.ts';
import type { PublicKeyRing } from './keys.ts';
import { readHeads, sealedPages, type Queryable } from './repo.ts';
import { UNSEALED_COUNT } from './seal-order.ts';
import { createVerifier, type VerifyReport } from './verifier.ts';


export interface TenantVerifyReport {
  report: VerifyReport;
  /** Heads found published outside the database (the heads directory). */
  publishedHeads: number;
  /** Of those, heads the database no longer has (deleted, or never stored). */
  publishedOnly: number;
  databaseHeads: number;
  /** Committed events without a seal (sealed within the merge delay; an event skipped would stay here). */
  unsealed: number;
}

export async function verifyTenantLog(
  q: Queryable,
  options: {
    tenantId: string;
    publicKeys: PublicKeyRing;
    /** The directory sink's directory; omitted: database heads only. */
    headsDir?: string;
    onProgress?: (verified: number) => void;
    pageSize?: number;
  },
): Promise<TenantVerifyReport> {
  const { tenantId } = options;
  const databaseHeads = await readHeads(q, tenantId);
  const published = options.headsDir === undefined ? [] : await readPublishedHeads(options.headsDir, tenantId);
  const heads = mergeHeads(databaseHeads, published);
  const verifier = createVerifier({ tenantId, heads, publicKeys: options.publicKeys });
  let verified = 0;
  pages: for await (const page of sealedPages(q, tenantId, { pageSize: options.pageSize })) {
    for (const event of page) {
      if (!verifier.push(event)) break pages;
      verified += 1;
      if (options.onProgress !== undefined && verified % 65_536 === 0) options.onProgress(verified);
    }
  }
  const report = verifier.finish();
  const unsealed = (await q.query<{ n: number }>(UNSEALED_COUNT, [tenantId])).rows[0]?.n ?? 0;
  return { report, publishedHeads: published.length, publishedOnly: heads.length - databaseHeads.length, databaseHeads: databaseHeads.length, unsealed };
}
