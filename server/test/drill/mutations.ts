// `npm run drill:mutations` (R-GOV-3): the drill proves it can fail. For each control, a copy of this
// tree with that one control switched off is started as a server and the drill runs against it; the
// drill must fail, and the table says which scenarios caught each. The production code carries no
// switch: the copies are patched in a temporary directory. A first run against the unmodified tree
// shows the drill passing there. Not part of `npm test` (about two minutes a run on a loaded machine).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runDrill, type DrillReport } from '../../src/drill/index.ts';
import { startWardProcess } from './ward-process.ts';

const root = new URL('../../../', import.meta.url).pathname;

interface Mutation {
  control: string;
  /** Edits the copy; each edit must change its file (a pattern that no longer matches is a broken mutation). */
  apply(copy: string): void;
}

function edit(copy: string, file: string, from: string | RegExp, to: string): void {
  const path = join(copy, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`mutation: ${file} no longer holds ${String(from)}; update server/test/drill/mutations.ts`);
  writeFileSync(path, after);
}

const lastMigration = (copy: string) => readdirSync(join(copy, 'server/src/db/migrations')).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort().at(-1)!;

const MUTATIONS: Mutation[] = [
  {
    control: 'forbid "justification-disclosure" removed (policies/default/10-obligations.cedar)',
    apply: (copy) => edit(copy, 'policies/default/10-obligations.cedar', /@id\("justification-disclosure"\)[\s\S]*?;\n/, ''),
  },
  {
    control: 'row-level security disabled on patients (appended to the last migration)',
    apply: (copy) => {
      const file = `server/src/db/migrations/${lastMigration(copy)}`;
      writeFileSync(join(copy, file), `${readFileSync(join(copy, file), 'utf8')}\nALTER TABLE patients DISABLE ROW LEVEL SECURITY;\n`);
    },
  },
  {
    control: 'replay check off (proof, DPoP and client-assertion jti; modules/proof/replay-store.ts)',
    apply: (copy) => edit(copy, 'server/src/modules/proof/replay-store.ts', "if (row?.is_fresh !== true) throw new ProofError('replayed');", 'void row; void ProofError;'),
  },
  {
    control: 'scope MAC check off (the getters of 0022 accept any settings)',
    apply: (copy) => edit(copy, 'server/src/db/migrations/0022_scope_verified_cheaply.sql', 'IF s.mac = encode(', 'IF true OR s.mac = encode('),
  },
];

/** A copy of the tree without node_modules (linked to this tree's) or .git. */
function copyTree(): string {
  const copy = mkdtempSync(join(tmpdir(), 'ward-mutant-'));
  for (const entry of ['package.json', 'tsconfig.json', 'server', 'contracts', 'policies', 'ai', 'web', 'compliance']) {
    try {
      cpSync(join(root, entry), join(copy, entry), { recursive: true, filter: (src) => !src.includes('/node_modules') });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  try {
    symlinkSync(join(root, 'server/node_modules'), join(copy, 'server/node_modules'));
  } catch {
    // no server-only dependencies
  }
  return copy;
}

async function drillAgainst(treeRoot: string): Promise<DrillReport> {
  const ward = await startWardProcess(treeRoot);
  const reportDir = mkdtempSync(join(tmpdir(), 'ward-mutant-report-'));
  try {
    const io = { stdin: Readable.from([]), stdout: new Writable({ write: (_c, _e, done) => done() }), stderr: process.stderr, env: { WARD_DATA_DIR: ward.dataDir } };
    await runDrill({ target: ward.origin, dataDir: ward.dataDir, reportDir }, io);
    const json = readdirSync(reportDir).find((f) => f.endsWith('.json'))!;
    return JSON.parse(readFileSync(join(reportDir, json), 'utf8')) as DrillReport;
  } finally {
    await ward.stop();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const rows: Array<{ control: string; summary: string; caught: string[] }> = [];
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('drill:mutations: the unmodified tree first');
  const baseline = await drillAgainst(root);
  const baseLine = `drill: ${baseline.summary.scenarios} scenarios, ${baseline.summary.blocked} blocked, ${baseline.summary.failed} failed`;
  say(`  ${baseLine}`);
  rows.push({ control: '(none: the unmodified tree)', summary: baseLine, caught: baseline.results.filter((r) => r.outcome === 'failed').map((r) => r.id) });
  for (const m of MUTATIONS) {
    say(`drill:mutations: ${m.control}`);
    const copy = copyTree();
    try {
      m.apply(copy);
      const report = await drillAgainst(copy);
      const caught = report.results.filter((r) => r.outcome === 'failed').map((r) => r.id);
      const line = `drill: ${report.summary.scenarios} scenarios, ${report.summary.blocked} blocked, ${report.summary.failed} failed`;
      say(`  ${line}`);
      rows.push({ control: m.control, summary: line, caught });
    } catch (e) {
      say(`  the mutant could not be drilled: ${(e as Error).message.split('\n')[0]}`);
      rows.push({ control: m.control, summary: 'not run', caught: [] });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  say('');
  say('| control off | drill | scenarios that caught it |');
  say('| --- | --- | --- |');
  for (const r of rows) say(`| ${r.control} | ${r.summary} | ${r.caught.join(', ') || '-'} |`);
  const baselineClean = rows[0]!.caught.length === 0;
  const uncaught = rows.slice(1).filter((r) => r.caught.length === 0).map((r) => r.control);
  say('');
  say(uncaught.length === 0 && baselineClean
    ? `drill:mutations: the drill failed each of ${MUTATIONS.length} mutants and passed the unmodified tree`
    : `drill:mutations: ${!baselineClean ? 'the unmodified tree failed the drill; ' : ''}${uncaught.length ? `not caught: ${uncaught.join('; ')}` : ''}`);
  return uncaught.length === 0 && baselineClean ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`drill:mutations: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
