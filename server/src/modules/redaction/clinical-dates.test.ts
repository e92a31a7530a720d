import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = '\nfoley, lasix, heparin gtt, npo, f/u am lytes.';

describe('short dates and slash phones, read at their separators (R-DATA-2, issue 30)', () => {
  test('month/day at each slash: dates, not fractions, blood pressures or scores; a range that starts at a date', () => {
    assert.deepEqual(found('seen 3/14, 11/2 and 1/2; BP 120/70; pain 5/10; zosyn 6/1 - 9/4' + TAIL), [['DATE', '3/14'], ['DATE', '6/1'], ['DATE', '9/4']]);
  });

  test('month-day at each hyphen after a word that dates follow or before a time, not a range with a unit', () => {
    assert.deepEqual(found('last bm 11-11, cx on 3-15, 2-3 L, drawn 10-21 0730' + TAIL), [['DATE', '11-11'], ['DATE', '3-15'], ['DATE', '10-21']]);
  });

  test('two-digit years after either apostrophe, in the order they stand; a possessive is none', () => {
    assert.deepEqual(found("CABG '97, MI ’03, pt's '5" + TAIL), [['DATE', '97'], ['DATE', '03']]);
  });

  test('an area code and seven digits at a slash, with or without brackets; a ratio is none', () => {
    assert.deepEqual(found('call 617/5551234 or (617)/555 1212 or 617)/555 1212, ratio 2/3' + TAIL), [['PHONE', '617/5551234'], ['PHONE', '(617)/555 1212'], ['PHONE', '617)/555 1212']]);
  });

  test('pagers at each bracket or comma, a tab before the number; degrees at each comma, with or without a space', () => {
    assert.deepEqual(found('RT (#4843), resident, #66000 (BP 61798) (pager\t77825)' + TAIL), [['PHONE', '4843'], ['PHONE', '66000'], ['PHONE', '61798'], ['PHONE', '77825']]);
    assert.deepEqual(found('Dictated by: ART MENDEZ, M.D.  Ann Lee, RN, Bo Ek,RN' + TAIL), [['NAME', 'ART MENDEZ'], ['NAME', 'Ann Lee'], ['NAME', 'Bo Ek']]);
  });

  test('signatures at a line\'s end after a period and a tab; sign-out ages after "y/o", "y.o." and "YO"', () => {
    assert.deepEqual(found('Pt seen.\n-- I. Szabo RN.\t\nCrystal Church, MSW' + TAIL), [['NAME', 'I. Szabo'], ['NAME', 'Crystal Church']]);
    assert.deepEqual(found('2. LEE, ANN 91 y/o f\n3. OKO 95 y.o. M\n4. BO 97 YO' + TAIL), [['NAME', 'LEE'], ['NAME', 'ANN'], ['AGE', '91'], ['NAME', 'OKO'], ['AGE', '95'], ['NAME', 'BO'], ['AGE', '97']]);
  });

  test('sign-off lines without "rn" at the end: initials after a slash, "signed" and a degree', () => {
    assert.deepEqual(found('pt stable' + TAIL + '\n  /EDM'), [['NAME', 'EDM']]);
    assert.deepEqual(found('pt stable' + TAIL + '\nsigned: Bob Crane rrt'), [['NAME', 'Bob Crane']]);
  });

  test('signers by a token: "signed by" inside a longer word, a title at a line\'s start after "\\r"; ages by their cue\'s last word', () => {
    assert.deepEqual(found('Electronically e-signed by KO, JERZY, MD' + TAIL), [['NAME', 'KO'], ['NAME', 'JERZY']]);
    assert.deepEqual(found('Seen.\r\nDR. PIETRO DOCTOR' + TAIL), [['NAME', 'PIETRO DOCTOR']]);
    assert.deepEqual(found("she's 91, i'm 40, turned 60 today, at the age of 61, patient was 92, he is 5 mg"), [['AGE', '91'], ['AGE', '40'], ['AGE', '60'], ['AGE', '61'], ['AGE', '92']]);
  });
});
