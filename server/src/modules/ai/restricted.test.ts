// The restricted-category classifier (R-AI-4): categories, context rules, and no text in its findings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRestricted } from './restricted.ts';

test('finds each category and reports rules and offsets, never the text', () => {
  const r = classifyRestricted('Caller was diagnosed with asthma, takes albuterol 90 mcg, sees a therapist, and is on methadone.');
  assert.deepEqual(r.categories, ['diagnosis', 'treatment', 'behavioral-health', 'substance-use']);
  for (const h of r.hits) assert.deepEqual(Object.keys(h).sort(), ['category', 'end', 'rule', 'start']);
});

test('administrative texts carry no restricted category', () => {
  for (const text of [
    '[PATIENT_1] called to move her appointment to Monday.',
    'Caller asked that her refill be sent to the pharmacy on Main Street.',
    'Caller is anxious to get the paperwork done before Friday.',
    'Caller asked when the vaccine clinic opens.',
  ]) assert.deepEqual(classifyRestricted(text).categories, [], text);
});

test('a counselor of a substance-use program is substance use, not behavioural health', () => {
  assert.deepEqual(classifyRestricted('She asked for the substance abuse counselor.').categories, ['substance-use']);
});
