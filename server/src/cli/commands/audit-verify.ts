import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WardError } from '@ward/contracts';
import { verifyExport } from '../../modules/audit/export.ts';
import { PublicKeyRing } from '../../modules/audit/keys.ts';
import type { VerifyReport } from '../../modules/audit/verifier.ts';
import { verifyTenantLog } from '../../modules/audit/verify-db.ts';
import type { CliIo, Command } from '../command.ts';
import { isTerminal, parseAuditOptions, selectTenants } from './audit-options.ts';

const USAGE = 'ward audit verify [--tenant <slug>] | ward audit verify --file <export.jsonl> --key <public keys (JWK Set) file>';

function describeFailure(report: Extract<VerifyReport, { ok: false }>): string {
  return `FAILED at seq ${report.seq}: ${report.code} (${report.detail})`;
}

/** Trusted public keys from a file: a JWK Set `{keys: [...]}` (as /.well-known/ward-audit-keys serves it), an array, or one JWK. */
function readPublicKeys(path: string): PublicKeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new WardError('USAGE', 'The --key file cannot be read as JSON (a JWK Set from /.well-known/ward-audit-keys).');
  }
  const list = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === 'object' && 'keys' in parsed ? (parsed as { keys: unknown }).keys : [parsed];
  try {
    if (!Array.isArray(list) || list.length === 0) throw new TypeError('no keys');
    return PublicKeyRing.fromJwks(list);
  } catch {
    throw new WardError('USAGE', 'The --key file holds no valid Ed25519 public key (JWK).');
  }
}

/** Offline: an export bundle against keys the auditor trusts, without a database (R-AUDIT-3). */
async function verifyFile(file: string, keyFile: string, io: CliIo): Promise<number> {
  const publicKeys = readPublicKeys(keyFile);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const report = await verifyExport(lines, publicKeys);
  if (report.ok) {
    io.stdout.write(`ok: tenant ${report.tenantId}, ${report.treeSize} events, ${report.headsChecked} signed heads checked, signed up to seq ${report.signedSize}\n`);
    return 0;
  }
  if (report.code === 'EXPORT_MALFORMED') io.stdout.write(`FAILED: EXPORT_MALFORMED at line ${report.line} (${report.detail})\n`);
  else io.stdout.write(`tenant ${report.tenantId}: ${describeFailure(report)}\n`);
  return 1;
}

const command: Command = {
  path: ['audit', 'verify'],
  summary: 'recompute the audit chain and tree and check every signed head (or an export, offline)',
  usage: USAGE,
  // The offline form reads only files: it never opens (nor asks the server for) the database.
  usesDatabase: (args) => !args.some((a) => a === '--file' || a.startsWith('--file=')),
  async run(args, io, ctx) {
    const options = parseAuditOptions(args, USAGE, ['--tenant', '--file', '--key']);
    if (options['--file'] !== undefined || options['--key'] !== undefined) {
      if (options['--file'] === undefined || options['--key'] === undefined || options['--tenant'] !== undefined) throw new WardError('USAGE', `usage: ${USAGE}`);
      return verifyFile(options['--file'], options['--key'], io);
    }
    return ctx.withDeps(async (deps) => {
      const tenants = await selectTenants(deps, options['--tenant']);
      const { publicKeys } = await deps.auditKeys.load();
      const headsDir = deps.config.audit.headsDir;
      const showProgress = isTerminal(io.stderr);
      let failed = 0;
      for (const tenant of tenants) {
        const started = Date.now();
        const result = await verifyTenantLog(deps.db.systemDb, {
          tenantId: tenant.id,
          publicKeys,
          headsDir,
          onProgress: showProgress
            ? (n) => io.stderr.write(`\r${tenant.slug}: ${n} events verified (${Math.round(n / Math.max(0.001, (Date.now() - started) / 1000))}/s)   `)
            : undefined,
        });
        if (showProgress) io.stderr.write('\r\x1b[K');
        const { report } = result;
        if (report.ok) {
          const unsealed = result.unsealed > 0 ? `; ${result.unsealed} committed events not sealed yet` : '';
          io.stdout.write(
            `tenant ${tenant.slug}: ok, ${report.treeSize} events, ${report.headsChecked} signed heads checked ` +
              `(${result.databaseHeads} in the database, ${result.publishedHeads} published outside it${result.publishedOnly > 0 ? `, ${result.publishedOnly} of them missing from the database` : ''}), ` +
              `signed up to seq ${report.signedSize}${unsealed}\n`,
          );
        } else {
          failed += 1;
          io.stdout.write(`tenant ${tenant.slug}: ${describeFailure(report)}\n`);
        }
      }
      if (tenants.length === 0) io.stdout.write('no tenants\n');
      return failed === 0 ? 0 : 1;
    });
  },
};
export default command;
