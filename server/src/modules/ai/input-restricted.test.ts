// Input-side restricted categories (R-AI-1, minimum necessary): substance-use (42 CFR Part 2) and
// behavioural-health sentences are withheld before pseudonymisation unless the template allows them,
// or refuse the task when the template says so; nothing of them reaches the prompt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleInputs, loadTemplates, prepareTask, warmUp, type AiTemplate, type InputSources } from './index.ts';

warmUp();
const summary = loadTemplates().get('call-summary')!;
const sources = (text: string): InputSources => ({
  'transcript.redacted': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
  'transcript.full': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
  'call.direction': async () => ({ kind: 'value', value: 'inbound' }),
  'patient.firstName': async () => ({ kind: 'value', value: null }),
  'patient.calls.redacted': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
});
const TEXT = 'I need to move my appointment to Friday. I missed my methadone dose at the clinic. My therapist said the depression is worse. Can you call me back?';

test('restricted sentences are withheld from the prompt and counted; the rest is sent', async () => {
  const task = prepareTask(summary, await assembleInputs(summary, sources(TEXT)), {});
  assert.doesNotMatch(task.user, /methadone|therapist|depression/i);
  assert.match(task.user, /move my appointment/);
  assert.match(task.user, /call me back/);
  assert.equal((task.user.match(/\[WITHHELD\]/g) ?? []).length, 2);
  assert.deepEqual(task.withheld, { 'substance-use': 1, 'behavioral-health': 1 });
});

test('a template that allows a category receives it; one that refuses stops the task (AI_INPUT_RESTRICTED)', async () => {
  const allows: AiTemplate = { ...summary, restrictedInputs: { allow: ['behavioral-health'], otherwise: 'strip' } };
  const a = prepareTask(allows, await assembleInputs(allows, sources(TEXT)), {});
  assert.match(a.user, /depression/);
  assert.doesNotMatch(a.user, /methadone/);
  assert.deepEqual(a.withheld, { 'substance-use': 1 });
  const refuses: AiTemplate = { ...summary, restrictedInputs: { allow: [], otherwise: 'refuse' } };
  await assert.rejects(async () => prepareTask(refuses, await assembleInputs(refuses, sources(TEXT)), {}), { code: 'AI_INPUT_RESTRICTED' });
  const clean = prepareTask(refuses, await assembleInputs(refuses, sources('Please move my appointment to Friday.')), {});
  assert.deepEqual(clean.withheld, {});
});
