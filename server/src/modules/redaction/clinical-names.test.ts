import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';
import { transposedCommon } from './misspelt-words.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = ' foley, lasix, heparin gtt, npo.';
const CAPS = TAIL.toUpperCase();

describe('names, places and phones of nursing notes that no relation word cues (R-DATA-2, issue 30)', () => {
  test('a family name after an honorific in any case; "MR" and "MS" as findings stay words', () => {
    assert.deepEqual(found('Mr. Kiplagat resting comfortably.' + TAIL), [['NAME', 'Kiplagat']]);
    assert.deepEqual(found('NBP 120S. MRS. BONE SLEPT IN NAPS.' + CAPS), [['NAME', 'BONE']]);
    assert.deepEqual(found('svr 994. mr temple pulled at ett x1.' + TAIL), [['NAME', 'temple']]);
    assert.deepEqual(found('Mr. Mirulamir Lissaenau is resting.' + TAIL), [['NAME', 'Mirulamir Lissaenau']]);
    assert.deepEqual(found('echo w/ mild MR and 2+ MR, ms improved.' + TAIL), []);
  });

  test('a name before a relation in brackets', () => {
    assert.deepEqual(found('Nimzo (wife) at bedside, staying overnight.' + TAIL), [['NAME', 'Nimzo']]);
    assert.deepEqual(found('CVP 8. RUSTY (HCP) AT BEDSIDE.' + CAPS), [['NAME', 'RUSTY']]);
  });

  test('a name between a word that leads to a person and a role or a department', () => {
    assert.deepEqual(found('report given to Ingrid RN.' + TAIL), [['NAME', 'Ingrid']]);
    assert.deepEqual(found('PER ZOSHA IN PHARMACY, WILL RECHECK.' + CAPS), [['NAME', 'ZOSHA']]);
    assert.deepEqual(found('report called to shakelpel in PACU.' + TAIL), [['NAME', 'shakelpel']]);
    assert.deepEqual(found('report given to floor RN, per protocol in am.' + TAIL), []);
  });

  test('a period ends the sentence after a role or the patient cue; only "Dr.", "Fr.", "Mr." … take one', () => {
    assert.deepEqual(found('report given to Vern RN. lg soft brown stool.' + TAIL), [['NAME', 'Vern']]);
    assert.deepEqual(found('will see pt. nbp low 100s.' + TAIL), []);
  });

  test('after the patient cue a misspelt verb is no name; two swapped letters of a common word are a misspelling', () => {
    assert.deepEqual(found('NURSING NOTE\nPT RECIEVED FROM ED, SEDATED.' + CAPS), []);
    assert.equal(transposedCommon('recieved'), true);
    assert.equal(transposedCommon('kiplagat'), false);
    assert.equal(transposedCommon('received'), false);
  });

  test('clergy titles, and an uncommon word after "Dr."', () => {
    assert.deepEqual(found('seen by chaplain Rev. Tanaka.' + TAIL), [['NAME', 'Tanaka']]);
    assert.deepEqual(found('VISITED BY PRIEST FR GRANT.' + CAPS), [['NAME', 'GRANT']]);
    assert.deepEqual(found('DR. GAMBLE NOTIFIED OF K 3.1.' + CAPS), [['NAME', 'GAMBLE']]);
  });

  test('hemodynamic rows and section heads are no names or addresses', () => {
    assert.deepEqual(found('Swan: PAP 40/14 PCWP 24 CO 5.4 CI 1.0 SVR 1115.' + TAIL), []);
    assert.deepEqual(found('NEURO: A&OX3.\nABD: SOFT, NT/ND.\nINTEGUMENT: INTACT.' + CAPS), []);
    assert.deepEqual(found('MICU NURSING PROGRESS NOTE\nQuinton cath in place, placed in Trendelenburg.' + TAIL), []);
  });

  test('homes after a name, "Regional" inside a facility, short forms in lower-case notes', () => {
    assert.deepEqual(found('RESIDENT OF PAWTUCKET REGIONAL MEDICAL CENTER, BEDBOUND.' + CAPS), [['LOCATION', 'PAWTUCKET REGIONAL MEDICAL CENTER']]);
    assert.deepEqual(found('pt to be transferred to ybarra house today.' + TAIL), [['LOCATION', 'ybarra house']]);
    assert.deepEqual(found('Pt to be transferred to Taslintas NH this afternoon.' + TAIL), [['LOCATION', 'Taslintas NH']]);
    assert.deepEqual(found('house officer paged, aware.' + TAIL), []);
    assert.deepEqual(found('originally presented at ormc w/ sob.' + TAIL), [['LOCATION', 'ormc']]);
  });

  test('an area code, a slash and seven digits is a phone; a month-day after a verb of care is a date', () => {
    assert.deepEqual(found('son requests call at 860/2477938 w/ any change.' + TAIL), [['PHONE', '860/2477938']]);
    assert.deepEqual(found('PICC CHANGED 8-19. I/O 1859/1989.' + CAPS), [['DATE', '8-19']]);
  });
});

describe('facilities and phones written as nurses shorten them (R-DATA-2, issue 30)', () => {
  test('"Med Ctr", one capitalised word before a facility word and a head, a phone before a period', () => {
    assert.deepEqual(found('ORIGINALLY PRESENTED AT BIDDEFORD MED CTR W/ FEVER.' + CAPS), [['LOCATION', 'BIDDEFORD MED CTR']]);
    assert.deepEqual(found('S - unable to state. resident of Sweet Nursing Home, bedbound.' + TAIL), [['LOCATION', 'Sweet Nursing Home']]);
    assert.deepEqual(found('Old records from the Community General Hospital.' + TAIL), []);
    assert.deepEqual(found('WIFE IS HCP, PHONE 774/6793541.' + CAPS), [['PHONE', '774/6793541']]);
  });
});
