// R-AUDIT-3: the offline verifier's worker runs as plain JavaScript built from the TypeScript sources
// (no loader in the worker); what is committed must be what the sources build to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAuditWorker, WORKER_OUTPUT } from '../../../../scripts/build-audit-worker.ts';

test('verify-worker.mjs is the build of verify-worker.ts and what it imports (npm run build:audit-worker)', () => {
  const committed = readFileSync(join(import.meta.dirname, '../../../..', WORKER_OUTPUT), 'utf8');
  assert.ok(committed === buildAuditWorker(), 'verify-worker.mjs is stale: run `npm run build:audit-worker` and commit it');
});
