import type { TenantId } from '@ward/contracts';
import { createDbKeyStore } from '../../modules/crypto/index.ts';
import { rotateTenantDataKey, type RotationProgress } from '../../modules/phi/index.ts';
import type { CliIo } from '../command.ts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { isTerminal } from '../progress.ts';
import { tenantIdBySlug } from './lookups.ts';

/** A progress bar on a terminal; plain lines (one per table and pass) otherwise. */
function progressRenderer(io: CliIo): { update(p: RotationProgress): void; end(): void } {
  const isTty = isTerminal(io.stdout);
  let lastLine = '';
  let lastTable = '';
  return {
    update(p) {
      const ratio = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
      if (isTty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        io.stdout.write(`\rpass ${p.pass} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.done}/${p.total} rows, ${p.reencrypted} re-encrypted (${p.table})   `);
        lastLine = 'open';
      } else if (p.table !== lastTable || p.done === p.total) {
        io.stdout.write(`pass ${p.pass}: ${p.table}: ${p.done}/${p.total} rows, ${p.reencrypted} cells re-encrypted\n`);
      }
      lastTable = p.table;
    },
    end() {
      if (lastLine) io.stdout.write('\n');
      lastLine = '';
    },
  };
}

export default defineCommand({
  path: ['keys', 'rotate'],
  summary: "rotate a tenant's data key and re-encrypt its PHI (resumable), or its KEK with --kek",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    kek: { type: 'boolean', description: 'rotate the key-encryption key instead: data keys are rewrapped, no ciphertext changes' },
    'final-pass-after': { value: '<seconds>', description: "wait before the final pass, in seconds, for other servers' key caches (default 300 on PostgreSQL, 0 embedded)" },
    batch: { value: '<rows>', description: 'rows re-encrypted per transaction (default 500)' },
  },
  usesDatabase: true,
  async run(o, io, ctx) {
    const slug = o.tenant;
    const kek = o.kek;
    const finalPassAfterSeconds = wholeNumber('final-pass-after', o['final-pass-after'], { min: 0, max: 86_400, unit: 'seconds' });
    const batchSize = wholeNumber('batch', o.batch, { min: 1, max: 99_999, unit: 'rows' }) ?? 500;
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, slug);
      if (kek) {
        // R-DATA-1: a new key-encryption key; data keys are rewrapped, no ciphertext is touched.
        const { rewrapped } = await deps.cipher.rotateKeyEncryptionKey(tenantId);
        await deps.db.systemDb.transaction((tx) =>
          deps.audit.append(tx, { tenantId, actorKind: 'system', actorId: 'system:cli', action: 'keys.rotateKek', targetType: 'Tenant', targetId: tenantId, outcome: 'success', metadata: { rewrapped } }),
        );
        io.stdout.write(`rotated the key-encryption key of ${slug}: ${rewrapped} data and index keys rewrapped\n`);
        return 0;
      }
      const keyStore = createDbKeyStore(deps.db.systemDb, { engine: deps.db.engine });
      const keys = { list: async (t: TenantId) => (await keyStore.load(), keyStore.listDataKeys(t)) };
      // Other servers cache the active version for the key cache TTL (300 s by default); on the
      // embedded engine this server is the only one, so the final pass need not wait.
      const finalPassAfterMs = (finalPassAfterSeconds ?? (deps.db.engine === 'embedded' ? 0 : 300)) * 1000;
      if (finalPassAfterMs > 0) io.stdout.write(`the final pass starts ${finalPassAfterMs / 1000} s after the new key version (other servers' key caches)\n`);
      const progress = progressRenderer(io);
      const started = Date.now();
      const result = await rotateTenantDataKey(deps.db.systemDb, deps.cipher, keys, tenantId, { batchSize, finalPassAfterMs, onProgress: progress.update });
      progress.end();
      await deps.db.systemDb.transaction((tx) =>
        deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:cli', action: 'keys.rotateDataKey', targetType: 'Tenant', targetId: tenantId, outcome: 'success',
          metadata: { version: result.version, resumed: result.resumed, reencrypted: result.reencrypted, retiredVersions: result.retiredVersions.join(",") },
        }),
      );
      io.stdout.write(
        `${result.resumed ? 'resumed and completed' : 'completed'} the rotation of ${slug} to data key version ${result.version}: ` +
          `${result.reencrypted} cells re-encrypted in ${((Date.now() - started) / 1000).toFixed(1)} s; retired versions ${result.retiredVersions.join(', ') || 'none'}\n`,
      );
      return 0;
    });
  },
});
