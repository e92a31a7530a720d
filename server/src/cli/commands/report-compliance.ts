import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { WardError } from '@ward/contracts';
import { loadConfig } from '../../config.ts';
import { liveLockOwner } from '../../db/data-dir-lock.ts';
import type { Deps } from '../../deps.ts';
import { verifyTenantLog } from '../../modules/audit/index.ts';
import {
  DEFAULT_TEST_RESULTS_PATH, REPO_ROOT, buildReport, collectEvidence, htmlToPdf, loadMapping, loadRequirements, readTestResults, renderHtml,
  type ComplianceReport, type VerificationSummary,
} from '../../modules/compliance/index.ts';
import type { CliContext, CliIo } from '../command.ts';
import { runThroughOperatorSocket } from '../operator-socket.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';

const FORMATS = ['html', 'pdf', 'json'] as const;
type Format = (typeof FORMATS)[number];

function wardVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The report's data for one tenant, where the database is (R-GOV-4): live evidence, mapping, results. */
async function reportFor(deps: Deps, slug: string, resultsPath: string): Promise<ComplianceReport> {
  const tenantId = await tenantIdBySlug(deps.db.systemDb, slug);
  // R-AUDIT-3: the trail is verified as the report is made; a failure is in the report, not hidden.
  let verification: VerificationSummary | null = null;
  try {
    const { publicKeys } = await deps.auditKeys.load();
    const { report, unsealed } = await verifyTenantLog(deps.db.systemDb, { tenantId, publicKeys, headsDir: deps.config.audit.headsDir });
    deps.metrics.auditVerification(report.ok);
    verification = report.ok
      ? { ok: true, treeSize: report.treeSize, headsChecked: report.headsChecked, unsealed }
      : { ok: false, treeSize: report.seq, headsChecked: 0, unsealed, failure: `${report.code} at seq ${report.seq}` };
  } catch (e) {
    verification = { ok: false, treeSize: 0, headsChecked: 0, unsealed: 0, failure: e instanceof WardError ? e.code : 'the verifier could not run' };
  }
  const evidence = await collectEvidence(deps.db.systemDb, { id: tenantId, slug }, { now: deps.clock.now(), verification });
  return buildReport({ requirements: loadRequirements(), mapping: loadMapping(), policies: deps.pdp.policies, results: readTestResults(resultsPath), evidence, wardVersion: wardVersion() });
}

/**
 * With the embedded database owned by a running server, the data is made there (the operator
 * socket, `--format json --out=-`) and the file is written here, in the caller's directory.
 */
async function reportData(io: CliIo, ctx: CliContext, slug: string, resultsPath: string): Promise<ComplianceReport> {
  const config = loadConfig(io.env);
  if (config.database.engine === 'embedded' && liveLockOwner(config.database.dataDir)) {
    let out = '';
    let err = '';
    const capture: CliIo = {
      ...io,
      stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
      stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    };
    const code = await runThroughOperatorSocket(config.database.dataDir, ['report', 'compliance', '--tenant', slug, '--format', 'json', '--out=-', '--results', resultsPath], capture);
    if (code !== 0) {
      io.stderr.write(err);
      throw new WardError('INTERNAL', 'The running server could not make the report.');
    }
    return JSON.parse(out) as ComplianceReport;
  }
  return ctx.withDeps((deps) => reportFor(deps, slug, resultsPath), { migrate: false });
}

async function render(report: ComplianceReport, format: Format): Promise<string | Buffer> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const html = renderHtml(report);
  return format === 'html' ? html : htmlToPdf(html);
}

export default defineCommand({
  path: ['report', 'compliance'],
  summary: 'write the compliance evidence report of a tenant (HTML, PDF or JSON)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    out: { value: '<file>', description: 'where to write the report (--out=- for standard output)', required: true },
    format: { value: 'html|pdf|json', description: 'the format (default html); pdf prints the HTML with the system Chromium' },
    results: { value: '<file>', description: 'the recorded test results (default .ward/test-results.json at the repository root, written by npm test)' },
  },
  help: 'Every requirement of docs/requirements.md with its controls, tests (and their results in the last recorded run), regulation sections and the tenant\'s live state over 90 days (docs/observability.md). No PHI.',
  // `--out=-` runs where the database is (through a running server's operator socket); a file is
  // written by this process, with the data made where the database is.
  usesDatabase: (args) => args.some((a, i) => (a === '--out' && args[i + 1] === '-') || a === '--out=-'),
  async run(o, io, ctx) {
    const format = (o.format ?? 'html') as Format;
    if (!FORMATS.includes(format)) throw new WardError('USAGE', '--format takes html, pdf or json.');
    if (o.out === '-' && format === 'pdf') throw new WardError('USAGE', 'A PDF goes to a file: --out <file>.pdf.');
    const resultsPath = o.results === undefined ? DEFAULT_TEST_RESULTS_PATH : resolve(o.results);
    const report = o.out === '-' ? await ctx.withDeps((deps) => reportFor(deps, o.tenant, resultsPath), { migrate: false }) : await reportData(io, ctx, o.tenant, resultsPath);
    const body = await render(report, format);
    if (o.out === '-') {
      io.stdout.write(body);
      return 0;
    }
    // Nothing half-written: the file appears whole or not at all.
    const target = resolve(o.out);
    writeFileSync(`${target}.tmp`, body, { mode: 0o600 });
    renameSync(`${target}.tmp`, target);
    const s = report.summary;
    io.stdout.write(`wrote ${target} (${format}): tenant ${report.tenant}, ${s.requirements} requirements: ${s.proved} proved, ${s.failing} failing, ${s.untested} not run, ${s.gaps} gaps\n`);
    return 0;
  },
});
