// `ward ai templates test` counts leaks in what a vendor receives of the call (R-AI-2, R-AI-1): the
// user message, the assembled inputs; a template's own instruction text is no leak, even when a word
// of it equals a gold PHI value of the call (as npm run bench:ai counts since it was measured so).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDemo } from '../demo/index.ts';
import { isPhiLabel } from '../redaction/index.ts';
import { createLocalProvider, loadTemplates, prepareTask, assembleInputs, warmUp, type Vendor } from './index.ts';
import { demoSources, emptyTally, patientFieldsOf, tallyLeaks, templateLeaks } from './leakage.ts';

warmUp();
const demo = generateDemo(1);
const local: Vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };

test("a template's instruction text holding the call's gold values and the patient's fields is no leak (it was counted as one over system + user)", async () => {
  const call = demo.calls.find((c) => c.patientId && c.transcript.utterances.some((u) => u.spans.some((s) => isPhiLabel(s.label))))!;
  const patient = demo.patients.find((p) => p.id === call.patientId)!;
  const gold = call.transcript.utterances.flatMap((u) => u.spans.filter((s) => isPhiLabel(s.label)).map((s) => u.text.slice(s.start, s.end)));
  const base = loadTemplates().get('call-summary')!;
  const template = { ...base, instructions: `${base.instructions} Never repeat ${gold.join(', ')} or ${patient.givenName} ${patient.familyName} (${patient.phone}).` };

  const { tally, states } = await templateLeaks(template, [call], demo.patients, local);
  assert.deepEqual(states, { ready: 1 });
  assert.equal(tally.goldValues, gold.filter((g) => g.trim().length >= 2).length);
  assert.equal(tally.goldLeaked, 0, JSON.stringify(tally.leakedLabels));
  assert.equal(tally.fieldLeaked, 0);

  // The same task counted over system + user (the old count) would have called every value a leak.
  const task = prepareTask(template, await assembleInputs(template, demoSources(call, patient)), patientFieldsOf(patient));
  const both = emptyTally();
  tallyLeaks(both, call, patient, `${task.system}\n${task.user}`);
  assert.equal(both.goldLeaked, both.goldValues);

});

test('a leak is also counted in place or not: the same words said elsewhere as no PHI are told apart from the value said in clear', () => {
  const text = 'the first available is the first at three';
  const call = {
    ...demo.calls[0]!,
    transcript: { ...demo.calls[0]!.transcript, utterances: [{ ...demo.calls[0]!.transcript.utterances[0]!, speaker: 'agent', text, spans: [{ start: 23, end: 32, label: 'DATE' }] }] },
  } as (typeof demo.calls)[number];
  assert.equal(text.slice(23, 32), 'the first');
  const masked = emptyTally();
  tallyLeaks(masked, call, undefined, 'agent: the first available is [DATE_1] at three');
  assert.deepEqual([masked.goldValues, masked.goldLeaked, masked.goldLeakedInPlace], [1, 1, 0]);
  const clear = emptyTally();
  tallyLeaks(clear, call, undefined, `agent: ${text}`);
  assert.deepEqual([clear.goldLeaked, clear.goldLeakedInPlace], [1, 1]);
});
