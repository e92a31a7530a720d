import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = ' foley, lasix, heparin gtt, npo.';

describe('places, pagers and names of clinical notes in any case (R-DATA-2, issue 30)', () => {
  test('a facility after a place preposition, in a note whose case marks nothing, with "st." and "hosp"', () => {
    assert.deepEqual(found('neo @ 22mcg/min. transferred from holy family hospital for higher level of care.' + TAIL), [['LOCATION', 'holy family hospital']]);
    assert.deepEqual(found('ADMITTED 3/8 FROM SACRED HEART MEDICAL CENTER VIA AMBULANCE.' + TAIL.toUpperCase()), [['DATE', '3/8'], ['LOCATION', 'SACRED HEART MEDICAL CENTER']]);
    assert.deepEqual(found("transferred from st. margaret's hospital for cath." + TAIL), [['LOCATION', "st. margaret's hospital"]]);
    assert.deepEqual(found('pt came from concord hosp ed via als.' + TAIL), [['LOCATION', 'concord hosp']]);
    // Which hospital without its name: none.
    assert.deepEqual(found('TRANSFERRED FROM OUTSIDE HOSPITAL ON NEO.' + TAIL.toUpperCase()), []);
    assert.deepEqual(found('pt sent to the hospital, then to another hospital.' + TAIL), []);
  });

  test('a town after "in from" and words of travel, in a lower-case line, and a town no list holds', () => {
    assert.deepEqual(found('Nursing note\nhusband bill shapiro in from Ixwerula Falls.\nPlan: transfer in am.' + TAIL), [['NAME', 'bill shapiro'], ['LOCATION', 'Ixwerula Falls']]);
    assert.deepEqual(found('Nursing note\nsister anh sullivan is hcp, lives in ashland.\nPlan: cont.' + TAIL), [['NAME', 'anh sullivan'], ['LOCATION', 'ashland']]);
    assert.deepEqual(found('Wbc 9.9, family driving in from Reading, expected tonight.' + TAIL), [['LOCATION', 'Reading']]);
    assert.deepEqual(found('friend robert ponoro is hcp, lives in galtivyenville.' + TAIL), [['NAME', 'robert ponoro'], ['LOCATION', 'galtivyenville']]);
    // Where capitals mark names, a lower-case word after a capitalised line start is none.
    assert.deepEqual(found('Pt lives in elderly housing w/ wife.' + TAIL), []);
  });

  test('a hospital abbreviation after a word of choice or "screened for"; clinical abbreviations there stay words', () => {
    assert.deepEqual(found('Discussed placement. Family prefers KCH (close to home).' + TAIL), [['LOCATION', 'KCH']]);
    assert.deepEqual(found('PLAN: SCREENED FOR LJH WHEN BED AVAIL.' + TAIL.toUpperCase()), [['LOCATION', 'LJH']]);
    assert.deepEqual(found('Pt screened for MRSA, prefers PO meds.' + TAIL), []);
  });

  test('a pager after "p#"', () => {
    assert.deepEqual(found('Discussed with Dr. Wells (p# 4828) who agrees.' + TAIL), [['NAME', 'Wells'], ['PHONE', '4828']]);
  });

  test('a family name that is a word after a title', () => {
    assert.deepEqual(found('FS 208-248, COVERED PER RISS. DR. SHORT NOTIFIED OF HCT 24.' + TAIL.toUpperCase()), [['NAME', 'SHORT']]);
  });

  test('a day and a month need a space or "of" between them, or a day\'s period before a capitalised month', () => {
    assert.deepEqual(found('keep k > 4, mag > 2. may need reintubation; mag > 2, may need more.' + TAIL), []);
    assert.deepEqual(found('seen on 3 May 2020 and the 5th of June'), [['DATE', '3 May 2020'], ['DATE', 'the 5th of June']]);
  });
});
