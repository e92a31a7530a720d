// The needle scan that the metrics, traces and compliance-report tests rely on (R-DATA-4): it must
// find a value wherever it stands as itself, and not inside a longer number by chance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findNeedles } from '../support/phi-needles.ts';

const needles = new Map([
  ['9252368', 'patient mrn'],
  ['(555) 201-3344', 'call number'],
  ['Maria Lopez', 'patient name'],
]);

test('a digit needle inside a longer number is not a finding; standing alone, or next to letters and punctuation, it is', () => {
  assert.deepEqual(findNeedles('{"startTimeUnixNano":"1765031092523680000"}', needles), []);
  assert.deepEqual(findNeedles('x19252368', needles), []);
  assert.deepEqual(findNeedles('92523681', needles), []);
  assert.deepEqual(findNeedles('"mrn":"9252368"', needles), ['patient mrn: 9252368']);
  assert.deepEqual(findNeedles('MRN9252368.', needles), ['patient mrn: 9252368']);
  // A later standalone occurrence is found after an embedded one.
  assert.deepEqual(findNeedles('1925236801 and 9252368', needles), ['patient mrn: 9252368']);
});

test('needles that begin or end with other characters match as substrings', () => {
  assert.deepEqual(findNeedles('call from (555) 201-3344x', needles), ['call number: (555) 201-3344']);
  assert.deepEqual(findNeedles('patientMaria Lopezz', needles), ['patient name: Maria Lopez']);
  assert.deepEqual(findNeedles('maria lopez', needles), []);
});
