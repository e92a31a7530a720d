// Date shifting (R-AI-1; docs/ai.md "Date shifting"): one offset per patient, dates moved in the
// pseudonymised input so intervals survive, no true date sent, and moved back on re-identification.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { DATE_SHIFT_KEY, offsetFromDigest, parseDate, shiftDate, unshiftDates } from './date-shift.ts';
import { scanAnswer, warmUp } from './gateway.ts';
import { loadTemplates } from './templates.ts';
import { reidentify, TaskPseudonyms } from './pseudonyms.ts';

warmUp();

test('offsets are 30 to 364 days either way, never 0, the same for the same subject', () => {
  const of = (s: string) => offsetFromDigest(createHash('sha256').update(s).digest());
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) {
    const d = of(`patient-${i}`);
    assert.ok(Math.abs(d) >= 30 && Math.abs(d) <= 364, String(d));
    seen.add(Math.sign(d));
  }
  assert.deepEqual([...seen].sort(), [-1, 1]);
  assert.equal(of('patient-7'), of('patient-7'));
});

test('dates are read in their written and spoken forms; shifting and unshifting are inverse', () => {
  assert.deepEqual(parseDate('March 3, 1961'), { year: 1961, month: 2, day: 3 });
  assert.deepEqual(parseDate('march third'), { year: null, month: 2, day: 3 });
  assert.deepEqual(parseDate('the twenty first of june'), { year: null, month: 5, day: 21 });
  assert.deepEqual(parseDate('03/05/2024'), { year: 2024, month: 2, day: 5 });
  assert.equal(parseDate('next tuesday'), null);
  assert.equal(parseDate('February 30'), null);
  assert.equal(shiftDate('2024-02-27', 3), '2024-03-01');
  assert.equal(shiftDate('march third', -10), 'February 22');
  assert.equal(unshiftDates('Seen 2024-03-01, follow-up February 22.', 3), 'Seen 2024-02-27, follow-up February 19.');
});

test('a task with an offset moves every date by it, keeps intervals, sends no true date, and re-identification moves them back', () => {
  const days = 45;
  const p = new TaskPseudonyms({ givenName: 'Ana', familyName: 'Diaz', dateOfBirth: '1961-03-03' }, { dateShiftDays: days });
  const sent = p.apply('caller: this is Ana Diaz, born 03/03/1961. I fell on March 1, 2024 and the pain began March 8, 2024.');
  assert.doesNotMatch(sent, /1961-03-03|03\/03\/1961|March 1, 2024|March 8, 2024/);
  assert.match(sent, /1961-04-17/);
  assert.match(sent, /2024-04-15.*2024-04-22/, 'the seven days between the two dates survive');
  assert.match(sent, /\[PATIENT_1\]/);
  assert.ok((p.counts().DATE_SHIFTED ?? 0) >= 2);
  const answer = 'Fell 2024-04-15; pain from 2024-04-22 (7 days later). [PATIENT_1] to call back.';
  const map = new Map([...p.map, [DATE_SHIFT_KEY, String(days)]]);
  assert.equal(reidentify(answer, map), 'Fell 2024-03-01; pain from 2024-03-08 (7 days later). Ana Diaz to call back.');
  // Without an offset, dates are surrogates as before.
  assert.match(new TaskPseudonyms({}).apply('caller: I fell on March 1, 2024.'), /\[DATE_1\]/);
});

test('the output scan keeps the moved dates of a shifting task and masks an original one', () => {
  const t = loadTemplates().get('case-note-draft')!;
  const p = new TaskPseudonyms({}, { dateShiftDays: 45 });
  p.apply('caller: I fell on March 1, 2024.');
  const kept = scanAnswer(t, 'Fell on 2024-04-15; review 2024-04-29.', {}, p.map);
  assert.equal(kept?.text, 'Fell on 2024-04-15; review 2024-04-29.');
  const original = scanAnswer(t, 'Fell on March 1, 2024.', {}, p.map);
  assert.doesNotMatch(original!.text, /March 1, 2024/);
  assert.equal(original!.findings.leaked, 1);
});
