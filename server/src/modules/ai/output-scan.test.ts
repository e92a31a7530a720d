// Output controls (R-AI-4): an identifier the template did not send is flagged and masked; the
// restricted categories of the answer are found; the findings hold no text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTemplates, scanAnswer, warmUp } from './index.ts';
import { isFlagged, scanOutput } from './output-scan.ts';

warmUp();
const template = loadTemplates().get('case-note-draft')!;
const sent = new Map([['[PATIENT_1]', 'ronald gomez'], ['[PHONE_1]', '503-555-0142']]);

test('surrogates the task sent are kept; an invented surrogate is flagged and loses its number', () => {
  const r = scanOutput(template, 'Reason: [PATIENT_1] asked for a callback at [PHONE_1] or [PHONE_2].', sent)!;
  assert.equal(r.text, 'Reason: [PATIENT_1] asked for a callback at [PHONE_1] or [PHONE].');
  assert.equal(r.findings.invented, 1);
  assert.ok(isFlagged(r.findings));
});

test('an identifier in clear was never sent: flagged and masked, and counted as leaked when it is an original', () => {
  const r = scanOutput(template, 'Call back [PATIENT_1] at 503-555-0142, or his wife at 971-555-0199.', sent)!;
  assert.doesNotMatch(r.text, /555/);
  assert.equal(r.findings.unsent.PHONE, 2);
  assert.equal(r.findings.leaked, 1);
  assert.ok(!JSON.stringify(r.findings).includes('555'));
});

test('the restricted categories of the answer are recorded; a plain answer is not flagged', () => {
  const r = scanOutput(template, 'Details: [PATIENT_1] takes sertraline 50 mg for depression.', sent)!;
  assert.deepEqual(r.findings.restricted, ['treatment', 'behavioral-health']);
  assert.equal(isFlagged(r.findings), false);
  const plain = scanAnswer(template, 'Reason: [PATIENT_1] moved an appointment.', {}, sent)!;
  assert.deepEqual(plain.findings, { unsent: {}, leaked: 0, invented: 0, restricted: [] });
});
