import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './mapping.ts';

/**
 * The last recorded test results (R-GOV-4): `npm test` (scripts/test.mjs) writes each test's result,
 * file by file, to `.ward/test-results.json` (WARD_TEST_RESULTS_PATH elsewhere). A file's entry is
 * from the last run that included it.
 */
export const DEFAULT_TEST_RESULTS_PATH = join(REPO_ROOT, '.ward', 'test-results.json');

export type TestStatus = 'pass' | 'fail' | 'skipped' | 'todo';

export interface FileResults {
  at: string;
  /** The file's time, hooks included (scripts/ci-minutes.mjs); absent in results recorded before it was kept. */
  durationMs?: number;
  tests: Array<{ name: string; status: TestStatus; durationMs: number }>;
}

export interface TestResults {
  files: Record<string, FileResults>;
  lastRun: { at: string; finishedAt: string; files: number; node: string; filters: string[] } | null;
}

/** The recorded results, or none (no run recorded yet, or a file that is not ours). */
export function readTestResults(path = DEFAULT_TEST_RESULTS_PATH): TestResults | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { format?: string; files?: TestResults['files']; lastRun?: TestResults['lastRun'] };
    if (raw.format !== 'ward-test-results' || !raw.files) return null;
    return { files: raw.files, lastRun: raw.lastRun ?? null };
  } catch {
    return null;
  }
}

export interface TestFileSummary {
  file: string;
  /** `pass`: every test passed (skips aside); `fail`: one failed; `not-run`: no recorded run includes it. */
  status: 'pass' | 'fail' | 'not-run';
  passed: number;
  failed: number;
  skipped: number;
  at: string | null;
}

/** A decision table is proved by the test file that runs every table. */
const DECISION_TABLES_TEST = 'server/src/modules/policy/decision-tables.test.ts';

export function summariseTestFile(results: TestResults | null, file: string): TestFileSummary {
  const source = /^policies\/tests\/[^/]+\.json$/.test(file) ? DECISION_TABLES_TEST : file;
  const recorded = results?.files[source];
  if (!recorded) return { file, status: 'not-run', passed: 0, failed: 0, skipped: 0, at: null };
  const tests = source === file ? recorded.tests : recorded.tests.filter((t) => t.name.includes(file.split('/').pop()!.replace(/\.json$/, '')));
  const count = (s: TestStatus) => tests.filter((t) => t.status === s).length;
  const passed = count('pass');
  const failed = count('fail');
  const skipped = count('skipped') + count('todo');
  const status = failed > 0 ? 'fail' : passed > 0 ? 'pass' : 'not-run';
  return { file, status, passed, failed, skipped, at: recorded.at };
}
