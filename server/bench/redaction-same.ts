/**
 * `npm run bench:redaction-same -- --against <git ref>` (R-DATA-2): is a change to the redaction engine
 * a pure speed-up? Loads the engine of `<ref>` (default `main`; `git archive` of
 * server/src/modules/redaction) and the working tree's, both copied into a temporary directory, then per set of
 * `bench:redaction`:
 * - `identical`/`different`: documents whose `detect()` spans are the same in both engines, and those
 *   that are not (the ids of different dev documents are listed; lockbox ids and any text never);
 * - `mbPerSecond` of each engine, warm, over CPU time, each run in a fresh process (two engines in one
 *   process do not run alike), base and head alternating (base, head, head, base…) so that both see
 *   the same load on a shared machine; the median of `--rounds N` runs per engine (default 3), and
 *   `speedup`, head over base.
 * Prints one JSON line; exits 1 when any document differs. `--sets a,b` limits the sets; `--rounds 0`
 * checks the spans only.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLockbox } from './make-redaction-dev-sets.ts';
import { cpuMs, loadRedactionSets, repoRoot, type Doc } from './redaction-sets.ts';

type Detect = (text: string) => Array<{ start: number; end: number; label: string; confidence: number }>;

const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const ref = argAfter('--against') ?? 'main';
const onlySets = argAfter('--sets')?.split(',');
const rounds = Number(argAfter('--rounds') ?? 3);
const timeDir = argAfter('--time');

/** CPU milliseconds of one pass over the set. */
function pass(detect: Detect, docs: readonly Doc[]): number {
  const t0 = cpuMs();
  for (const d of docs) detect(d.text);
  return cpuMs() - t0;
}

/**
 * Child mode (`--time <engine dir>`): MB/s of one engine over each set, warm (half a second of CPU
 * first), over at least half a second of timed passes; one JSON object on stdout.
 */
async function timeEngine(engineDir: string): Promise<void> {
  const { detect } = (await import(join(engineDir, 'index.ts'))) as { detect: Detect };
  // The word lists are built on first use, as in bench:redaction: not inside the first set's warm-up.
  detect('warm up the gazetteers: John Smith, 12 Main Street');
  const { sets } = await loadRedactionSets();
  const out: Record<string, number> = {};
  for (const [name, docs] of Object.entries(sets)) {
    if (onlySets && !onlySets.includes(name)) continue;
    let warm = 0;
    while (warm < 500) warm += pass(detect, docs);
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (timeDir) {
  await timeEngine(timeDir);
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
    const result: Record<string, { documents: number; identical: number; different: number; differentIds?: string[]; mbPerSecond?: { base: number; head: number }; speedup?: number }> = {};
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

    // Speed: two engines in one process do not run alike (the one loaded second ran at half the speed
    // of the same code loaded first), so each run is a fresh process, base and head alternating
    // (base, head, head, base…) so that both see the same load; the median of the runs per set.
    const runs: Record<'base' | 'head', Array<Record<string, number>>> = { base: [], head: [] };
    const self = fileURLToPath(import.meta.url);
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)) {
        const args = ['--import', 'tsx', self, '--time', engineDir(side), ...(onlySets ? ['--sets', onlySets.join(',')] : [])];
        runs[side].push(JSON.parse(execFileSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' })) as Record<string, number>);
      }
    }
    for (const [name, entry] of Object.entries(result)) {
      if (rounds === 0) continue;
      const base = median(runs.base.map((x) => x[name]!));
      const head = median(runs.head.map((x) => x[name]!));
      entry.mbPerSecond = { base: Math.round(base * 100) / 100, head: Math.round(head * 100) / 100 };
      entry.speedup = Math.round((head / base) * 100) / 100;
    }
    process.stdout.write(`${JSON.stringify({ bench: 'redaction-same', against: ref, rounds, sets: result })}\n`);
    if (differs) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
