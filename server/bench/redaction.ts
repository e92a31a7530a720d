/**
 * `npm run bench:redaction` (R-DATA-2): character-level recall and precision, per label and overall,
 * and throughput (MB/s of CPU time, one core, warm), for Ward's redaction engine and the `redact-pii` baseline, on the PHI development
 * sets in ../shared/data/phi and on the demo transcripts' gold spans. Prints one JSON line.
 *
 * Scoring: every non-whitespace character is gold PHI (a scored span of a PHI label), neutral (inside
 * an ORGANIZATION or PROFESSION span, or a span marked `"scored": false`) or not PHI. A predicted
 * character is a true positive on gold PHI and a false positive on not-PHI; neutral characters count
 * neither way; so does a possessive "'s" at the end of or right after a gold span (the sets disagree on
 * whether it belongs to the name, and it identifies no one). Per-label recall is over the gold label's characters (masked under any label, since a
 * masked character is what protects it); per-label precision is over the characters predicted with
 * that label. `--errors LABEL` prints missed and spurious examples for one label to stderr (never from a
 * lockbox split). `--sets a,b` scores only the named sets; `--no-baseline` skips redact-pii; `--spread` adds to each `:dev`
 * split the range its figures take over resamples of its documents at its lockbox's size (`spreadOf`);
 * `--halves` scores each `:dev` split's two halves too (`:dev-a`, `:dev-b`) and prints errors of half a only.
 *
 * Throughput (`mbPerSecond`) is the steady state of a server that has been redacting for a while: it is
 * measured after a JIT warm-up of `--warm-passes N` passes (default 20) over every measured set
 * (`warmUp` in the output says how many passes and how much CPU), so that no set pays for compiling
 * the engine. The cold figure is printed too: `firstPassMbPerSecond`, each set's first pass, in set
 * order, before any warm-up (the word lists built first by one short text): the first set pays for
 * most of the compiling. Same text, same MB (UTF-8 bytes), same CPU clock either way.
 *
 * Sets: presidio-synth and slurp-devel (../shared/data/phi), the demo gold, and the project's own
 * clinical and spoken sets (server/src/modules/redaction/data, `npm run data:redaction`), each as a
 * `:dev` split and a `:lockbox` split (a hash of the document id decides, make-redaction-dev-sets.ts).
 */
import { createRequire } from 'node:module';
import { createStreamRedactor, detect } from '../src/modules/redaction/index.ts';
import { isLockbox } from './make-redaction-dev-sets.ts';
import { cpuMs, devHalf, loadRedactionSets, type Doc } from './redaction-sets.ts';

interface PredSpan { start: number; end: number; label: string }

const NEUTRAL_LABELS = new Set(['ORGANIZATION', 'PROFESSION']);
const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const errorsFor = argAfter('--errors');
/** `--sets a,b`: score only these sets (names as printed); `--no-baseline`: skip redact-pii. */
const onlySets = argAfter('--sets')?.split(',');
const withBaseline = !process.argv.includes('--no-baseline');
const withSpread = process.argv.includes('--spread');
/**
 * `--halves`: every `:dev` split is also scored as its two halves, `:dev-a` and `:dev-b`, by a second hash of
 * the document id (`devHalf`), and `--errors` prints half a's documents only: rules are written on half a's
 * errors and kept when half b, never read, agrees.
 */
const withHalves = process.argv.includes('--halves');
/** `--warm-passes N`: passes over every measured set before any set is timed (the JIT's warm-up). */
const warmPasses = Number(argAfter('--warm-passes') ?? 20);

/** redact-pii returns text only: replace with a marker and align the literal pieces back to offsets. */
function redactPiiSpans(): (text: string) => PredSpan[] {
  const require = createRequire(import.meta.url);
  const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new (o: object) => { redact(t: string): string } };
  const r = new SyncRedactor({ globalReplaceWith: '\u0001' });
  return (text) => {
    const pieces = r.redact(text).split('\u0001');
    const spans: PredSpan[] = [];
    let at = pieces[0]!.length;
    for (let k = 1; k < pieces.length; k++) {
      const piece = pieces[k]!;
      const next = k === pieces.length - 1 ? text.length - piece.length : text.indexOf(piece, at + 1);
      const end = next < 0 || piece.length === 0 ? (k === pieces.length - 1 ? text.length : at + 1) : next;
      spans.push({ start: at, end: Math.max(end, at + 1), label: 'PHI' });
      at = Math.max(end, at + 1) + piece.length;
    }
    return spans;
  };
}

/** "'s" or "’s" at `at`, ending a word. */
function isPossessiveAt(text: string, at: number): boolean {
  return at >= 1 && (text[at] === "'" || text[at] === '\u2019') && text[at + 1] === 's' && !/\w/.test(text[at + 2] ?? ' ');
}

interface Counts { tp: number; fp: number; fn: number }
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);

/**
 * `--spread`: how far a split's figures move by which documents it holds. The documents of a `:dev`
 * split are drawn with replacement, as many as its `:lockbox` split holds (a count, no text), 2,000
 * times (a fixed seed); the 5th, 50th and 95th percentiles of recall and precision. A lockbox figure
 * outside that range is no sampling accident; one inside it says nothing of over-fitting.
 */
function spreadOf(perDoc: readonly Counts[], size: number): { documents: number; recall: (number | null)[]; precision: (number | null)[] } {
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 4294967296;
  };
  const recalls: number[] = [];
  const precisions: number[] = [];
  for (let b = 0; b < 2000; b++) {
    const c: Counts = { tp: 0, fp: 0, fn: 0 };
    for (let k = 0; k < size; k++) {
      const d = perDoc[Math.floor(next() * perDoc.length)]!;
      c.tp += d.tp;
      c.fp += d.fp;
      c.fn += d.fn;
    }
    if (c.tp + c.fn > 0) recalls.push(c.tp / (c.tp + c.fn));
    if (c.tp + c.fp > 0) precisions.push(c.tp / (c.tp + c.fp));
  }
  const pct = (xs: number[]) => (xs.sort((a, b) => a - b), [0.05, 0.5, 0.95].map((p) => (xs.length === 0 ? null : ratio(xs[Math.floor(p * (xs.length - 1))]!, 1))));
  return { documents: size, recall: pct(recalls), precision: pct(precisions) };
}

function score(docs: Doc[], predict: (text: string) => PredSpan[], system: string, spreadSize?: number) {
  const overall: Counts = { tp: 0, fp: 0, fn: 0 };
  const perDoc: Counts[] = [];
  const goldBy = new Map<string, { masked: number; total: number }>();
  const predBy = new Map<string, { tp: number; fp: number }>();
  let bytes = 0;
  let elapsedMs = 0;
  const preds: PredSpan[][] = [];
  // CPU time of this process, not wall time: the machines are shared, and the goal is MB/s per core.
  // A long-running server is measured warm: every set was run before any is timed (`warmUp`), then
  // untimed passes until half a second of CPU has gone into this set, then timed passes until at
  // least half a second more, the throughput being over all timed passes.
  const warmFrom = cpuMs();
  do for (const d of docs) predict(d.text);
  while (cpuMs() - warmFrom < 500);
  const c0 = cpuMs();
  let passes = 0;
  do {
    preds.length = 0;
    for (const d of docs) preds.push(predict(d.text));
    passes++;
  } while (cpuMs() - c0 < 500);
  elapsedMs = (cpuMs() - c0) / passes;
  for (const d of docs) bytes += Buffer.byteLength(d.text);
  docs.forEach((d, di) => {
    const n = d.text.length;
    const before = { ...overall };
    const gold: (string | null)[] = new Array(n).fill(null); // label, 'NEUTRAL' or null
    for (const s of d.spans) {
      const neutral = s.scored === false || NEUTRAL_LABELS.has(s.label);
      for (let i = s.start; i < s.end; i++) if (!neutral || gold[i] === null) gold[i] = neutral ? 'NEUTRAL' : s.label;
    }
    // A possessive "'s" after a name is neutral: slurp-devel's gold holds it inside the span ("greg's"),
    // presidio-synth's and the project's sets leave it out, and the two letters say nothing of anyone.
    for (const s of d.spans) {
      if (s.scored === false || NEUTRAL_LABELS.has(s.label)) continue;
      for (const at of [s.end - 2, s.end]) if (isPossessiveAt(d.text, at) && (at < s.end || gold[at] === null)) gold[at] = gold[at + 1] = 'NEUTRAL';
    }
    const pred: (string | null)[] = new Array(n).fill(null);
    for (const s of preds[di]!) for (let i = s.start; i < s.end && i < n; i++) pred[i] = s.label;
    for (let i = 0; i < n; i++) {
      if (/\s/.test(d.text[i]!)) continue;
      const g = gold[i]!;
      const p = pred[i]!;
      if (g === 'NEUTRAL') continue;
      if (g) {
        const c = goldBy.get(g) ?? { masked: 0, total: 0 };
        c.total++;
        if (p) c.masked++;
        goldBy.set(g, c);
        if (p) overall.tp++;
        else overall.fn++;
      } else if (p) overall.fp++;
      if (p) {
        const c = predBy.get(p) ?? { tp: 0, fp: 0 };
        if (g) c.tp++;
        else c.fp++;
        predBy.set(p, c);
      }
    }
    perDoc.push({ tp: overall.tp - before.tp, fp: overall.fp - before.fp, fn: overall.fn - before.fn });
    // Lockbox documents' errors are never printed: they are not for tuning.
    if (errorsFor && system === 'ward' && !isLockbox(d.id) && !(withHalves && devHalf(d.id) === 'b')) {
      for (const s of d.spans) {
        if (s.label !== errorsFor || s.scored === false) continue;
        const missed = [...Array(s.end - s.start).keys()].some((k) => !pred[s.start + k] && gold[s.start + k] !== 'NEUTRAL' && !/\s/.test(d.text[s.start + k]!));
        if (missed) process.stderr.write(`MISS ${d.id} ${JSON.stringify(d.text.slice(s.start, s.end))} in ${JSON.stringify(d.text.slice(Math.max(0, s.start - 40), s.end + 30))}\n`);
      }
      for (const s of preds[di]!) {
        if (s.label !== errorsFor) continue;
        let fp = 0;
        for (let i = s.start; i < s.end; i++) if (!gold[i] && !/\s/.test(d.text[i]!)) fp++;
        if (fp > 0) process.stderr.write(`FP   ${d.id} ${JSON.stringify(d.text.slice(s.start, s.end))} in ${JSON.stringify(d.text.slice(Math.max(0, s.start - 40), s.end + 30))}\n`);
      }
    }
  });
  const perLabel: Record<string, { recall: number | null; chars: number; precision?: number | null; predictedChars?: number }> = {};
  for (const [l, c] of [...goldBy].sort()) perLabel[l] = { recall: ratio(c.masked, c.total), chars: c.total };
  for (const [l, c] of [...predBy].sort()) Object.assign((perLabel[l] ??= { recall: null, chars: 0 }), { precision: ratio(c.tp, c.tp + c.fp), predictedChars: c.tp + c.fp });
  const recall = ratio(overall.tp, overall.tp + overall.fn);
  const precision = ratio(overall.tp, overall.tp + overall.fp);
  return {
    recall,
    precision,
    f1: recall !== null && precision !== null && recall + precision > 0 ? Math.round(((2 * recall * precision) / (recall + precision)) * 10000) / 10000 : null,
    mbPerSecond: Math.round((bytes / 1e6 / (elapsedMs / 1000)) * 100) / 100,
    perLabel,
    ...(spreadSize !== undefined ? { spread: spreadOf(perDoc, spreadSize) } : {}),
  };
}

/**
 * JIT warm-up before anything is timed: passes over every set, one after the other, until `ms` of CPU
 * have gone into them and at least `passes` passes are done. Without it the first set measured paid for
 * compiling the engine (presidio-synth ran at a third of its steady speed when it came first) and later
 * sets looked faster than they are; with three seconds (about six passes) V8 was still optimizing the
 * engine's functions (issue 30: instruction counts of a pass fell 2.75× between the 6th and the 30th
 * pass over one set). The time spent here is printed, never counted in a set's figure.
 */
function warmUp(predict: (text: string) => unknown, all: readonly Doc[][], ms: number, passes = 0): { passes: number; cpuMs: number } {
  const from = cpuMs();
  let done = 0;
  do {
    for (const docs of all) for (const d of docs) predict(d.text);
    done++;
  } while (cpuMs() - from < ms || done < passes);
  return { passes: done, cpuMs: Math.round(cpuMs() - from) };
}

/** MB/s of each set's first pass, in set order, before any warm-up: the cold engine. */
function firstPasses(predict: (text: string) => unknown, measured: ReadonlyArray<readonly [string, readonly Doc[]]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, docs] of measured) {
    const from = cpuMs();
    for (const d of docs) predict(d.text);
    const ms = cpuMs() - from;
    const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    out[name] = Math.round((bytes / 1e6 / (ms / 1000)) * 100) / 100;
  }
  return out;
}

const { sets, notes } = await loadRedactionSets();
if (withHalves) {
  for (const name of Object.keys(sets).filter((n) => n.endsWith(':dev'))) {
    sets[`${name}-a`] = sets[name]!.filter((d) => devHalf(d.id) === 'a');
    sets[`${name}-b`] = sets[name]!.filter((d) => devHalf(d.id) === 'b');
  }
}
const ward = (text: string) => detect(text);
const baseline = redactPiiSpans();
const measured = Object.entries(sets).filter(([name]) => !onlySets || onlySets.includes(name));
// The word lists are built on first use: not inside the first set's cold pass.
ward('warm up the gazetteers: John Smith, 12 Main Street');
const firstPass = firstPasses(ward, measured);
const warmUpDone = { ward: warmUp(ward, measured.map(([, docs]) => docs), 0, warmPasses), ...(withBaseline ? { redactPii: warmUp(baseline, measured.map(([, docs]) => docs), 1500) } : {}) };
const result: Record<string, unknown> = {};
for (const [name, docs] of measured) {
  const lockboxSize = name.endsWith(':dev') ? sets[name.replace(/:dev$/, ':lockbox')]?.length : undefined;
  const scored = score(docs, ward, 'ward', withSpread ? lockboxSize : undefined);
  result[name] = { documents: docs.length, ward: { ...scored, firstPassMbPerSecond: firstPass[name] }, ...(withBaseline ? { redactPii: score(docs, baseline, 'redact-pii') } : {}) };
}
// Streaming latency (R-DATA-2, live calls): p50/p99 of push() per utterance over every text line of
// every set, one stream redactor per document.
const latencies: number[] = [];
for (const [, docs] of measured) {
  for (const d of docs) {
    const s = createStreamRedactor();
    for (const line of d.text.split('\n')) {
      const t0 = performance.now();
      s.push({ speaker: 'caller', text: line });
      latencies.push(performance.now() - t0);
    }
  }
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 1000) / 1000;
const streaming = { utterances: latencies.length, p50Ms: pct(0.5), p99Ms: pct(0.99) };
process.stdout.write(`${JSON.stringify({ bench: 'redaction', warmUp: warmUpDone, sets: result, streaming, notes })}\n`);
