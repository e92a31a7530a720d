/**
 * `npm run build:audit-worker`: builds the offline verifier's worker (R-AUDIT-3) into one plain
 * JavaScript module, server/src/modules/audit/verify-worker.mjs, from verify-worker.ts and what it
 * imports. A worker thread does not inherit the tsx loader the CLI runs under, and registering it in
 * each worker cost ~0.2–0.3 s of CPU a worker; the built module needs no loader. The output is
 * committed; `verify-worker.test.ts` fails when it differs from a fresh build of the sources.
 */
import { buildSync } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const WORKER_SOURCE = 'server/src/modules/audit/verify-worker.ts';
export const WORKER_OUTPUT = 'server/src/modules/audit/verify-worker.mjs';

/** The built worker's text (deterministic: paths relative to the repository root). */
export function buildAuditWorker(): string {
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    charset: 'utf8',
    preserveSymlinks: true, // the same paths in the comments from a worktree whose node_modules is a link
    legalComments: 'inline',
    banner: { js: `// Generated from ${WORKER_SOURCE} by \`npm run build:audit-worker\` (scripts/build-audit-worker.ts): do not edit.` },
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  writeFileSync(join(ROOT, WORKER_OUTPUT), buildAuditWorker());
}
