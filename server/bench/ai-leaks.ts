// Tuning aid for the AI pseudonymiser (docs/ai.md): prints each gold PHI value of ONE tuning seed that
// reaches the vendor, with its label and utterance. Refuses the lockbox seed (2), which is only ever
// counted (npm run bench:ai). Usage: node --import tsx server/bench/ai-leaks.ts --seed 3
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { generateDemo } from '../src/modules/demo/index.ts';
import { isPhiLabel } from '../src/modules/redaction/index.ts';
import { assembleInputs, loadTemplates, offsetFromDigest, prepareTask, warmUp } from '../src/modules/ai/index.ts';
import { demoSources, normaliseForLeak, patientFieldsOf } from '../src/modules/ai/leakage.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '3' } } });
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed === 2) {
  console.error('ai-leaks: seed 2 is the lockbox; pick a tuning seed');
  process.exit(2);
}
warmUp();
const data = generateDemo(seed);
const seen = new Set<string>();
for (const call of data.calls) {
  const patient = data.patients.find((p) => p.id === call.patientId);
  for (const t of loadTemplates().values()) {
    const shift = t.dates === 'shift' ? { dateShiftDays: offsetFromDigest(createHash('sha256').update(call.patientId ?? call.id).digest()) } : {};
    const task = prepareTask(t, await assembleInputs(t, demoSources(call, patient)), patientFieldsOf(patient), shift);
    // The user message only: the system message is the template's fixed text (as npm run bench:ai counts).
    const body = normaliseForLeak(task.user);
    for (const u of call.transcript.utterances) {
      for (const s of u.spans) {
        if (!isPhiLabel(s.label)) continue;
        const v = normaliseForLeak(u.text.slice(s.start, s.end));
        if (v.trim().length < 2 || !body.includes(v)) continue;
        const key = `${call.id}:${s.start}:${u.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        console.log(`${s.label}\t${JSON.stringify(u.text.slice(s.start, s.end))}\t${t.id}\t${JSON.stringify(u.text)}`);
      }
    }
  }
}
