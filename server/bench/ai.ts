// npm run bench:ai — the AI gateway on the demo calls (R-AI-1, R-AI-7; docs/ai.md):
//  - leakage: gold PHI values and patient field values (normalised: case, spacing, punctuation,
//    spoken digits) found in what the vendor would receive, over every demo call and template;
//  - how much non-PHI text survives pseudonymisation (words outside every gold span, kept as sent);
//  - gateway overhead per task without the model: pseudonymisation, prompt assembly, the BAA rule,
//    the answer's scan (an instant stand-in provider), p50/p99, and p99 for calls of ~2 minutes. The
//    2-minute figure is taken as a running server meets it: after a warm-up (a first pass over the same
//    calls: compiled code and the engine's word lists in place), one run per call, garbage collection
//    included; the bench also says how many tasks a collection pause overlapped and the p99 of the
//    others, and (on a shared, loaded machine, where wall time mostly measures the scheduler) the
//    least-disturbed of 9 runs per call.
// Figures only; the machine may be shared and loaded: compare runs on the same machine.
// Sets: seed 1 (dev, what `npm start` seeds), seeds 3–6 (tuning) and seeds 11–18 (a later tuning split;
// 7–10 and 19–32 were tuned on too, through ai-leaks.ts only) are what the spoken cues were tuned on
// (their leaks may be read: server/bench/ai-leaks.ts); seed 2 is the lockbox, only ever counted here.
// Leaks are counted as the issue defines them (a gold value's words anywhere in what was sent) and, of
// those, the ones said in clear in their own utterance (leakage.ts, goldLeakedInPlace).
import { createHash } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import { generateDemo } from '../src/modules/demo/index.ts';
import { assembleInputs, executeTask, loadTemplates, offsetFromDigest, prepareTask, warmUp, type AiTemplate, type Provider } from '../src/modules/ai/index.ts';
import { demoSources, emptyTally, patientFieldsOf, survivingWords, tallyLeaks } from '../src/modules/ai/leakage.ts';

warmUp();
const templates = loadTemplates();
// A template that shifts dates gets a per-patient offset, as the route derives one (here unkeyed: a bench).
const shift = (t: AiTemplate, subject: string) => (t.dates === 'shift' ? { dateShiftDays: offsetFromDigest(createHash('sha256').update(subject).digest()) } : {});
const instant: Provider = { kind: 'openai', model: 'instant', complete: async ({ template }) => ({ text: template.output.kind === 'category' ? template.output.categories[0] : '[PATIENT_1] called about an appointment.' }) };
const all: number[] = [];
const twoMinute: number[] = [];
const twoMinuteBest: number[] = [];
const RUNS = 9;
// Seed 1 (what `npm start` seeds) is the development set the spoken cues were tuned on (ai/spoken-cues.ts);
// seed 2 is the lockbox: never tuned on, reported beside it.
const demo = generateDemo(1);
const only = process.argv.includes('--overhead-only');
const sets = only ? [] : ([['dev (seed 1)', [1]], ['tuning (seeds 3–6)', [3, 4, 5, 6]], ['tuning (seeds 11–18)', [11, 12, 13, 14, 15, 16, 17, 18]], ['lockbox (seed 2)', [2]]] as const);
for (const [set, seeds] of sets) {
  const tally = emptyTally();
  let kept = 0;
  let total = 0;
  let calls = 0;
  for (const seed of seeds) {
  const data = seed === 1 ? demo : generateDemo(seed);
  calls += data.calls.length;
  for (const call of data.calls) {
    const patient = data.patients.find((p) => p.id === call.patientId);
    for (const t of templates.values()) {
      const started = performance.now();
      const task = prepareTask(t, await assembleInputs(t, demoSources(call, patient)), patientFieldsOf(patient), shift(t, call.patientId ?? call.id));
      await executeTask(task, { name: 'instant', provider: instant, baaActive: true, timeoutMs: 5000 });
      if (seed === 1) all.push(performance.now() - started);
      // The user message: the system message is the template's fixed text, which no input reaches (a gold
      // value equal to its words, "3000" of "at most 3000 characters", is no leak).
      tallyLeaks(tally, call, patient, task.user);
      if (t.id === 'call-summary') {
        const w = survivingWords(call, task.user);
        kept += w.kept;
        total += w.total;
      }
    }
  }
  }
  console.log(`${set}: tasks ${calls * templates.size} (${calls} demo calls × ${templates.size} templates)`);
  console.log(`${set}: leakage, gold PHI values reaching the vendor: ${tally.goldLeaked} / ${tally.goldValues} (${((100 * tally.goldLeaked) / tally.goldValues).toFixed(2)}%)`);
  console.log(`${set}: of those, said in clear in their own utterance: ${tally.goldLeakedInPlace} (the others: the same words said elsewhere as no PHI)`);
  console.log(`${set}: leakage, patient field values reaching the vendor: ${tally.fieldLeaked} / ${tally.fieldValues}`);
  console.log(`${set}: leaked by label: ${JSON.stringify(tally.leakedLabels)}`);
  console.log(`${set}: non-PHI words surviving pseudonymisation (call-summary): ${kept} / ${total} (${((100 * kept) / total).toFixed(1)}%)`);
}
// Demo calls last 24–92 s: a 2-minute call is two demo calls of one tenant joined (≥ 120 s of audio).
const summary = templates.get('call-summary')!;
const joined = (data: typeof demo, max: number) => {
  const out: Array<{ call: (typeof demo.calls)[number]; patient: (typeof demo.patients)[number] | undefined }> = [];
  for (let i = 0; i + 1 < data.calls.length && out.length < max; i++) {
    const [a, b] = [data.calls[i]!, data.calls[i + 1]!];
    if (a.recording.durationMs + b.recording.durationMs < 120_000) continue;
    out.push({ call: { ...a, transcript: { ...a.transcript, utterances: [...a.transcript.utterances, ...b.transcript.utterances] } }, patient: data.patients.find((p) => p.id === a.patientId) });
  }
  return out;
};
const joinedCalls = joined(demo, 300);
const summaryTask = async ({ call, patient }: (typeof joinedCalls)[number]) => {
  const started = performance.now();
  const task = prepareTask(summary, await assembleInputs(summary, demoSources(call, patient)), patientFieldsOf(patient));
  await executeTask(task, { name: 'instant', provider: instant, baaActive: true, timeoutMs: 5000 });
  return [started, performance.now()] as const;
};
// Warm-up: a server has run tasks before this one, on other patients (seed 3's calls): what is cached
// per value (a compiled pattern of a patient's name) must not be warm for the calls measured.
for (const c of joined(generateDemo(3), 150)) await summaryTask(c);
// Garbage collection pauses while measuring (start, end), to tell the gateway's cost from the collector's.
const pauses: Array<[number, number]> = [];
const gc = new PerformanceObserver((list) => { for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]); });
gc.observe({ entryTypes: ['gc'] });
const spans: Array<readonly [number, number]> = [];
for (const c of joinedCalls) {
  const span = await summaryTask(c);
  spans.push(span);
  twoMinute.push(span[1] - span[0]);
}
for (const c of joinedCalls) {
  const runs: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const [a, b] = await summaryTask(c);
    runs.push(b - a);
  }
  twoMinuteBest.push(Math.min(...runs));
}
await new Promise((r) => setTimeout(r, 50));
gc.disconnect();
const hitByGc = spans.map(([a, b]) => pauses.some(([s, e]) => s < b && e > a));
const clear = twoMinute.filter((_, i) => !hitByGc[i]);
const inRun = pauses.filter(([s]) => s >= spans[0]![0] && s <= spans.at(-1)![1]);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))]!.toFixed(1) : 'n/a';
};
if (!only) console.log(`gateway overhead per task without the model (dev, every template): p50 ${pct(all, 0.5)} ms, p99 ${pct(all, 0.99)} ms`);
console.log(`gateway overhead, 2-minute calls (${twoMinute.length} call summaries), warm, one run each: p50 ${pct(twoMinute, 0.5)} ms, p99 ${pct(twoMinute, 0.99)} ms (goal ≤ 20 ms p99)`);
console.log(`  garbage collection in that pass: ${inRun.length} pauses, longest ${inRun.length ? Math.max(...inRun.map(([s, e]) => e - s)).toFixed(1) : '0'} ms; tasks overlapping one: ${hitByGc.filter(Boolean).length}; p99 of the others ${pct(clear, 0.99)} ms`);
console.log(`gateway overhead, 2-minute calls, least-disturbed of ${RUNS} runs each: p50 ${pct(twoMinuteBest, 0.5)} ms, p99 ${pct(twoMinuteBest, 0.99)} ms`);
console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
