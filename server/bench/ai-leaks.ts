// Tuning aid for the AI pseudonymiser (docs/ai.md): prints each gold PHI value of the tuning seeds given
// that reaches the vendor, with its label, the template, the utterance as said and as sent, and whether
// the value is said in clear in its own utterance ("in place") or counted only because the same words
// are said elsewhere as no PHI ("elsewhere": "the first" of a date, and "the first available").
// Refuses the lockbox seed (2), which is only ever counted (npm run bench:ai).
// Usage: node --import tsx server/bench/ai-leaks.ts --seed 3 [--seed 11 …]
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { generateDemo } from '../src/modules/demo/index.ts';
import { isPhiLabel } from '../src/modules/redaction/index.ts';
import { assembleInputs, loadTemplates, offsetFromDigest, prepareTask, warmUp } from '../src/modules/ai/index.ts';
import { demoSources, leakedInPlace, normaliseForLeak, patientFieldsOf, sentLines } from '../src/modules/ai/leakage.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', multiple: true, default: ['3'] } } });
const seeds = values.seed.flatMap((s) => s.split(',')).map(Number);
if (seeds.some((s) => !Number.isSafeInteger(s) || s === 2)) {
  console.error('ai-leaks: seed 2 is the lockbox; pick tuning seeds');
  process.exit(2);
}
warmUp();
for (const seed of seeds) {
  const data = generateDemo(seed);
  const seen = new Set<string>();
  for (const call of data.calls) {
    const patient = data.patients.find((p) => p.id === call.patientId);
    for (const t of loadTemplates().values()) {
      const shift = t.dates === 'shift' ? { dateShiftDays: offsetFromDigest(createHash('sha256').update(call.patientId ?? call.id).digest()) } : {};
      const task = prepareTask(t, await assembleInputs(t, demoSources(call, patient)), patientFieldsOf(patient), shift);
      // The user message only: the system message is the template's fixed text (as npm run bench:ai counts).
      const body = normaliseForLeak(task.user);
      // The transcript's lines as sent, one per utterance.
      const lines = sentLines(task.user, call.transcript.utterances.length) ?? [];
      call.transcript.utterances.forEach((u, i) => {
        for (const s of u.spans) {
          if (!isPhiLabel(s.label)) continue;
          const v = normaliseForLeak(u.text.slice(s.start, s.end));
          if (v.trim().length < 2 || !body.includes(v)) continue;
          const key = `${call.id}:${i}:${s.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const sent = lines[i] ?? '';
          const where = !lines.length || leakedInPlace(u, v, sent) ? 'in place' : 'elsewhere';
          console.log(`${seed}\t${s.label}\t${JSON.stringify(u.text.slice(s.start, s.end))}\t${t.id}\t${where}\t${JSON.stringify(u.text)}\t→ ${JSON.stringify(sent)}`);
        }
      });
    }
  }
}
