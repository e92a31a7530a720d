// npm run bench:restricted — the restricted-category classifier of AI outputs (R-AI-4; docs/ai.md) on
// its labelled set (server/test/data/restricted): recall and precision per category and overall
// (micro-averaged over text × category), and document-level "restricted or not", on the dev split and
// on the lockbox. Tune on dev only; the lockbox is reported, never tuned on.
import { readFileSync } from 'node:fs';
import { RESTRICTED_CATEGORIES, classifyRestricted, type RestrictedCategory } from '../src/modules/ai/index.ts';

const DATA = new URL('../test/data/restricted/', import.meta.url);
interface Row { id: string; text: string; labels: RestrictedCategory[] }
const load = (name: string): Row[] => readFileSync(new URL(name, DATA), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Row);
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
const showErrors = process.argv.includes('--errors');

function measure(split: string, rows: Row[]): void {
  const tally = Object.fromEntries([...RESTRICTED_CATEGORIES, 'all', 'any'].map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  for (const r of rows) {
    const found = new Set(classifyRestricted(r.text).categories);
    const gold = new Set(r.labels);
    for (const c of RESTRICTED_CATEGORIES) {
      const t = tally[c]!;
      const a = tally.all!;
      if (found.has(c) && gold.has(c)) { t.tp++; a.tp++; }
      else if (found.has(c)) { t.fp++; a.fp++; }
      else if (gold.has(c)) { t.fn++; a.fn++; }
    }
    const any = tally.any!;
    if (found.size && gold.size) any.tp++;
    else if (found.size) any.fp++;
    else if (gold.size) any.fn++;
    // Only the dev split's errors are ever printed (the lockbox is not for reading).
    if (showErrors && split === 'dev' && RESTRICTED_CATEGORIES.some((c) => gold.has(c) !== found.has(c))) console.log(`  ${r.id} gold=${r.labels.join('+') || '-'} found=${[...found].join('+') || '-'}`);
  }
  console.log(`${split} (${rows.length} texts)`);
  for (const [c, t] of Object.entries(tally)) {
    console.log(`  ${c.padEnd(18)} recall ${pct(t.tp, t.tp + t.fn).padStart(7)}  precision ${pct(t.tp, t.tp + t.fp).padStart(7)}  (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})`);
  }
}

measure('dev', load('dev.jsonl'));
measure('lockbox', load('lockbox.jsonl'));
