import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = '\nfoley, lasix, heparin gtt, npo, f/u am lytes.';

describe('PHI where physicians\' notes put it: sign-outs, pagers, signatures, hyphenated dates (R-DATA-2, issue 30)', () => {
  test('a sign-out item: the names before an age with a sex, the age over 89', () => {
    assert.deepEqual(found('1. KRISHNAN, EVELYN 93M AMS, DNR. TO DO: WEAN LEVO AS TOL' + TAIL.toUpperCase()), [['NAME', 'KRISHNAN'], ['NAME', 'EVELYN'], ['AGE', '93']]);
    assert.deepEqual(found('- bed 14 noble 87 yo f dka, cmo.' + TAIL), [['NAME', 'noble'], ['AGE', '87']]);
    assert.deepEqual(found('Sign-out CCU\n- Bed 4 OKORO 61F GIB\n3. Rm 1243: 94F CHF, CMO.' + TAIL), [['NAME', 'OKORO'], ['AGE', '94']]);
    // A clinical word before the number is a measure, no name; one word without a mark or a bed is no item.
    assert.deepEqual(found('1. Tmax 101F overnight.' + TAIL), []);
  });

  test('an age over 89 after a future "be"; a measure after it is none', () => {
    assert.deepEqual(found('pt will be 94 next week.' + TAIL), [['AGE', '94']]);
    assert.deepEqual(found('goal sats will be 92%.' + TAIL), []);
  });

  test('a pager in brackets or after a comma, and the signature line before it', () => {
    assert.deepEqual(found('d/w ID fellow Wendell (#4843), recs to follow.' + TAIL), [['NAME', 'Wendell'], ['PHONE', '4843']]);
    assert.deepEqual(found('-- STORM, BEEPER 831-3207' + TAIL.toUpperCase()), [['NAME', 'STORM'], ['PHONE', '831-3207']]);
  });

  test('"signed by" a family name, a comma and a given name; a line of a title and a name', () => {
    assert.deepEqual(found('Electronically signed by KO, JERZY, MD' + TAIL), [['NAME', 'KO'], ['NAME', 'JERZY']]);
    assert.deepEqual(found('DR. PIETRO DOCTOR' + TAIL), [['NAME', 'PIETRO DOCTOR']]);
  });

  test('a month\'s short name and a day joined by a hyphen is a date', () => {
    assert.deepEqual(found('Compared with the prior study of Jun-19, BCx 25-Jun pending.' + TAIL), [['DATE', 'Jun-19'], ['DATE', '25-Jun']]);
  });

  test('the heads of progress notes and sign-outs are clinical vocabulary, no names', () => {
    assert.deepEqual(found('Handoff\nCardiovascular: (S1: Normal)\nNeurologic: Responds to: Verbal stimuli\nHeart rhythm: ST (Sinus Tachycardia)\nTropT: 9.3\nLines: Arterial Line, Multi Lumen, 18 Gauge\nProphylaxis: DVT: SQ UF Heparin' + TAIL), []);
  });

  test('contacts of social-work notes and social workers are cues for the name after them', () => {
    assert.deepEqual(found('Present: SW Dusty, landlord Quinzan, godson Errol.' + TAIL), [['NAME', 'Dusty'], ['NAME', 'Quinzan'], ['NAME', 'Errol']]);
    assert.deepEqual(found('CM/SW: Met with pt\'s wife.' + TAIL), []);
  });

  test('right after a cue a capitalised common word is a name before punctuation or a word that follows names', () => {
    assert.deepEqual(found('Consent: signed by sister Liberty.' + TAIL), [['NAME', 'Liberty']]);
    assert.deepEqual(found('called landlord Justice at 508.632.5527.' + TAIL), [['NAME', 'Justice'], ['PHONE', '508.632.5527']]);
    assert.deepEqual(found('son Will call tomorrow.' + TAIL), []);
  });

  test('in the comma form of a sign-out item the family name may be a relation or a unit word', () => {
    assert.deepEqual(found('- WARD, BLUE 92F ESLD, FULL CODE.' + TAIL.toUpperCase()), [['NAME', 'WARD'], ['NAME', 'BLUE'], ['AGE', '92']]);
  });

  test('an area code, a slash and three and four digits is a phone; the second date of a range is a date, a setting\'s is none', () => {
    assert.deepEqual(found('call grandson at 617/355 2215.' + TAIL), [['PHONE', '617/355 2215']]);
    assert.deepEqual(found('Abx: cefepime 6/1 - 9/4.' + TAIL), [['DATE', '6/1'], ['DATE', '9/4']]);
    assert.deepEqual(found('weaned PSV 10/5 - 12/5 overnight.' + TAIL), []);
  });

  test('a facility after another and "and" or "&" is one too; a state word after a comma is none', () => {
    assert.deepEqual(found('Screened by Dover Hospital and PVH.' + TAIL), [['LOCATION', 'Dover Hospital'], ['LOCATION', 'PVH']]);
    assert.deepEqual(found('resident of Nashua Regional Medical Center, bedbound.' + TAIL), [['LOCATION', 'Nashua Regional Medical Center']]);
  });
});
