import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = '\nfoley, lasix, heparin gtt, npo, f/u am lytes.';

describe('ICU, social-work and case-management notes: facilities, phones, signatures, scores (R-DATA-2, issue 30)', () => {
  test("a facility's initials in brackets after its name, and the same initials later in the note", () => {
    assert.deepEqual(found('Pt transferred from Caritas Norwood Memorial Hospital (CNMH) on 5/14. Per CNMH records, EF 20%.' + TAIL), [
      ['LOCATION', 'Caritas Norwood Memorial Hospital'], ['LOCATION', 'CNMH'], ['DATE', '5/14'], ['LOCATION', 'CNMH'],
    ]);
    // Letters that do not spell the words before them, or words that end in no facility's head, are none.
    assert.deepEqual(found('Spoke w/ case manager (CM) re: dispo.' + TAIL), []);
  });

  test('homes by their kind after a town or a name, and by a chain and a town', () => {
    assert.deepEqual(found('Referrals faxed to Dedham Nursing and Rehab Center and Athol Assisted Living.' + TAIL), [
      ['LOCATION', 'Dedham Nursing and Rehab Center'], ['LOCATION', 'Athol Assisted Living'],
    ]);
    assert.deepEqual(found('Family touring Life Care Center of Wales, Wingate at Rowley and Kindred Monson.' + TAIL), [
      ['LOCATION', 'Life Care Center of Wales'], ['LOCATION', 'Wingate at Rowley'], ['LOCATION', 'Kindred Monson'],
    ]);
    // A state's code between the town and the kind, any state's: "Boise ID", "Portland OR".
    assert.deepEqual(found('Pt from Boise ID Nursing Home; HD at Portland OR Dialysis Center.' + TAIL), [
      ['LOCATION', 'Boise ID Nursing Home'], ['LOCATION', 'Portland OR Dialysis Center'],
    ]);
    // A quality of life is no chain; skilled nursing after a verb is no home.
    assert.deepEqual(found('Pt needs skilled nursing, quality of life discussed.' + TAIL), []);
  });

  test('pagers after "pg", "page at", "p#"; phones with two slashes and with their extension', () => {
    assert.deepEqual(found('MAE, PERRL, resident aware, pg 7-2175.' + TAIL), [['PHONE', '7-2175']]);
    assert.deepEqual(found('Dispo: rehab, CM at page at 41549.' + TAIL), [['PHONE', '41549']]);
    assert.deepEqual(found('Contact: 899/486/4121 (h), 522/563-1921 (c).' + TAIL), [['PHONE', '899/486/4121'], ['PHONE', '522/563-1921']]);
    assert.deepEqual(found('Called (248) 707 3616 ext. 0578, left msg.' + TAIL), [['PHONE', '(248) 707 3616 ext. 0578']]);
    // A blood gas has three parts too, and a pulse is no pager.
    assert.deepEqual(found('ABG 7.21/58/61, p 120-130s.' + TAIL), []);
  });

  test("a signature's name before a degree or a role, or after a role with a way to reach the signer", () => {
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nsee flowsheet for details. Lan Capobianco RN'), [['NAME', 'Lan Capobianco']]);
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nchase jenkins md p#6-1787'), [['NAME', 'chase jenkins'], ['PHONE', '6-1787']]);
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nCM Jill Foley x2810'), [['NAME', 'Jill Foley']]);
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nChidi (CM) page at 4139'), [['NAME', 'Chidi'], ['PHONE', '4139']]);
    // "dr. X aware." is no signature; a title and a word of care neither.
    assert.deepEqual(found('Plan: wean.' + TAIL + '\ndr. karamanlis aware.'), [['NAME', 'karamanlis']]);
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nWound care RN'), []);
  });

  test('a name that is a word after a relation word where it stands alone; both names after a plural relation', () => {
    assert.deepEqual(found('Present: son MAY, daughter Blossom and dtrs Fred and pete.' + TAIL), [['NAME', 'MAY'], ['NAME', 'Blossom'], ['NAME', 'Fred'], ['NAME', 'pete']]);
    // A verb after the relation, or the patient's doings, are no name.
    assert.deepEqual(found('wife will call back. pt tolerating TF, pt arousable.' + TAIL), []);
  });

  test('dates of ranges: two month/days, a month and two days, a month-day before "to" a date or after a weekday', () => {
    assert.deepEqual(found('Anticipate d/c to rehab 4/6-5/14 or Jul 26-29.' + TAIL), [['DATE', '4/6'], ['DATE', '5/14'], ['DATE', 'Jul 26'], ['DATE', '29']]);
    assert.deepEqual(found('Pt was at Oak Hill Nursing Home 5-26 to 7/19, mtg Thursday 4-21.' + TAIL), [
      ['LOCATION', 'Oak Hill Nursing Home'], ['DATE', '5-26'], ['DATE', '7/19'], ['DATE', '4-21'],
    ]);
    // A vent change and fractions are no range of dates.
    assert.deepEqual(found('PSV 10/5-12/5, 1/2-3/4 strength.' + TAIL), []);
  });

  test('the name after "left msg for"', () => {
    assert.deepEqual(found('Called 457-5508, left msg for Precious.' + TAIL), [['PHONE', '457-5508'], ['NAME', 'Precious']]);
  });

  test('a score in a list after another, or a pain score after "now" or "cramping", is no date', () => {
    assert.deepEqual(found('Grasps strong, strength 4/5 LUE, 3/5 LLE, 5/5 on R.' + TAIL), []);
    assert.deepEqual(found('pain 6/10 w/ turning, 3/10 w/ rest, states pain now 1/10, c/o cramping 2/10.' + TAIL), []);
    // A date stays a date.
    assert.deepEqual(found('echo done 3/10 showed EF 30%.' + TAIL), [['DATE', '3/10']]);
  });
});
