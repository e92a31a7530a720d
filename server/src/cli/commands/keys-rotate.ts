import { WardError, type TenantId } from '@ward/contracts';
import { createDbKeyStore } from '../../modules/crypto/db-key-store.ts';
import { rotateTenantDataKey, type RotationProgress } from '../../modules/phi/rotation.ts';
import type { CliIo, Command } from '../command.ts';
import type { SystemDb } from '../../db/types.ts';

const USAGE = 'Usage: ward keys rotate --tenant <slug> [--kek] [--final-pass-after <seconds>] [--batch <rows>]';

export async function tenantIdBySlug(systemDb: SystemDb, slug: string): Promise<TenantId> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) throw new WardError('USAGE', 'A tenant slug is lower-case letters, digits and dashes.');
  const { rows } = await systemDb.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
  if (!rows[0]) throw new WardError('TENANT_NOT_FOUND', `No tenant has the slug ${slug}.`);
  return rows[0].id as TenantId;
}

/** A progress bar on a terminal; plain lines (one per table and pass) otherwise. */
function progressRenderer(io: CliIo): { update(p: RotationProgress): void; end(): void } {
  const isTty = (io.stdout as NodeJS.WriteStream).isTTY === true;
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

const command: Command = {
  path: ['keys', 'rotate'],
  summary: "rotate a tenant's data key and re-encrypt its PHI (resumable), or its KEK with --kek",
  usage: USAGE,
  usesDatabase: true,
  async run(args, io, ctx) {
    let slug: string | undefined;
    let kek = false;
    let finalPassAfterSeconds: number | undefined;
    let batchSize = 500;
    for (let i = 0; i < args.length; i += 1) {
      const a = args[i];
      if (a === '--tenant' && args[i + 1]) slug = args[++i];
      else if (a === '--kek') kek = true;
      else if (a === '--final-pass-after' && /^\d{1,5}$/.test(args[i + 1] ?? '')) finalPassAfterSeconds = Number(args[++i]);
      else if (a === '--batch' && /^\d{1,5}$/.test(args[i + 1] ?? '') && Number(args[i + 1]) > 0) batchSize = Number(args[++i]);
      else throw new WardError('USAGE', USAGE);
    }
    if (!slug) throw new WardError('USAGE', USAGE);
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
};
export default command;
