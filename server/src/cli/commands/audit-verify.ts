import { readFileSync } from 'node:fs';
import { WardError } from '@ward/contracts';
import { verifyExportFile, PublicKeyRing, type VerifyReport, verifyTenantLog } from '../../modules/audit/index.ts';
import type { CliIo } from '../command.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { progressLine } from '../progress.ts';
import { selectTenants } from './audit-options.ts';

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
  // Worker threads recompute every leaf in parallel; a failure is named by the sequential check (verify-file.ts).
  const report = await verifyExportFile(file, publicKeys);
  if (report.ok) {
    io.stdout.write(`ok: tenant ${report.tenantId}, ${report.treeSize} events, ${report.headsChecked} signed heads checked, signed up to seq ${report.signedSize}\n`);
    return 0;
  }
  if (report.code === 'EXPORT_MALFORMED') io.stdout.write(`FAILED: EXPORT_MALFORMED at line ${report.line} (${report.detail})\n`);
  else io.stdout.write(`tenant ${report.tenantId}: ${describeFailure(report)}\n`);
  return 1;
}

export default defineCommand({
  path: ['audit', 'verify'],
  summary: 'recompute the audit chain and tree and check every signed head (or an export, offline)',
  options: {
    tenant: { ...TENANT_OPTION, description: "the tenant's slug (all tenants when absent)" },
    file: { value: '<export.jsonl>', description: 'verify an export bundle offline, without the database' },
    key: { value: '<jwks.json>', description: 'with --file: the public keys you trust (a JWK Set from /.well-known/ward-audit-keys)' },
  },
  usage: ['ward audit verify [--tenant <slug>]', 'ward audit verify --file <export.jsonl> --key <jwks.json>'],
  help: 'Progress goes to standard error while it is a terminal; the result lines go to standard output.',
  // The offline form reads only files: it never opens (nor asks the server for) the database.
  usesDatabase: (args) => !args.some((a) => a === '--file' || a.startsWith('--file=')),
  async run(options, io, ctx) {
    if (options.file !== undefined || options.key !== undefined) {
      if (options.file === undefined || options.key === undefined || options.tenant !== undefined) throw new WardError('USAGE', '--file and --key go together, without --tenant.');
      return verifyFile(options.file, options.key, io);
    }
    return ctx.withDeps(async (deps) => {
      const tenants = await selectTenants(deps, options.tenant);
      const { publicKeys } = await deps.auditKeys.load();
      const headsDir = deps.config.audit.headsDir;
      const progress = progressLine(io);
      let failed = 0;
      for (const tenant of tenants) {
        const started = Date.now();
        const result = await verifyTenantLog(deps.db.systemDb, {
          tenantId: tenant.id,
          publicKeys,
          headsDir,
          onProgress: (n) => progress.update(`${tenant.slug}: ${n} events verified (${Math.round(n / Math.max(0.001, (Date.now() - started) / 1000))}/s)`),
        });
        progress.done();
        const { report } = result;
        deps.metrics.auditVerification(report.ok); // R-AUDIT-3: ward_audit_verifications_total
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
          // R-MON-1: a failed verification is itself in the trail, where the detector raises it (audit.verification-failed).
          await deps.db.scoped({ tenantId: tenant.id, phiScopes: [], actorId: 'system:cli', actorKind: 'system' }, (tx) =>
            deps.audit.append(tx, {
              tenantId: tenant.id, actorKind: 'system', actorId: 'system:cli', action: 'audit.verify', targetType: 'AuditLog', targetId: tenant.id,
              outcome: 'failure', reasons: [report.code], metadata: { seq: report.seq },
            }));
        }
      }
      if (tenants.length === 0) io.stdout.write('no tenants\n');
      return failed === 0 ? 0 : 1;
    });
  },
});
