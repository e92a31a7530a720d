import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** Enough clinical vocabulary for the genre to be a clinical note. */
const TAIL = '\nfoley, lasix, heparin gtt, npo, f/u am lytes.';

describe('nursing notes: newborns, sign-offs, head dates, titled names, homes (R-DATA-2, issue 30)', () => {
  test('the family name of a newborn after "Baby Boy" or "Twin A", a common word only where a name stands', () => {
    assert.deepEqual(found('NICU nursing note\nBaby Boy NOWAK DOL 6' + TAIL), [['NAME', 'NOWAK']]);
    assert.deepEqual(found('nicu note\nbaby girl wood dol 4' + TAIL), [['NAME', 'wood']]);
    assert.deepEqual(found('baby girl born at 32 wks' + TAIL), []);
  });

  test('a sign-off line of initials or an initial and a name; a unit after a slash is none', () => {
    assert.deepEqual(found('Neuro: MAE.' + TAIL + '\nJP/RN'), [['NAME', 'JP']]);
    assert.deepEqual(found('Neuro: MAE.' + TAIL + '\n/K.E.'), [['NAME', 'K.E.']]);
    assert.deepEqual(found('Neuro: MAE.' + TAIL + '\n/ICU'), []);
    // An addendum too short to read as a clinical note is still signed.
    assert.deepEqual(found('Addendum: family declines autopsy.\n\nSB/rn'), [['NAME', 'SB']]);
    assert.deepEqual(found('NEURO: MAE.' + TAIL.toUpperCase() + '\nK. GOLDBERG RN'), [['NAME', 'K. GOLDBERG']]);
    assert.deepEqual(found('Plan: wean.' + TAIL + '\nSigned Bob crane RN'), [['NAME', 'Bob crane']]);
  });

  test("a month/day at the end of a note's head is its date; a shift there is none", () => {
    assert.deepEqual(found('NPN 19:00-07:00 1/18\nhd #6.' + TAIL), [['DATE', '1/18']]);
    assert.deepEqual(found('TSICU NURSING PROGRESS NOTE 3-29\nPT STABLE.' + TAIL.toUpperCase()), [['DATE', '3-29']]);
    assert.deepEqual(found('NICU NSG 7a-7p 11-7\nstable.' + TAIL), []);
  });

  test('after "Dr." or a capitalised title a word of care is still the family name; "dr aware" is none', () => {
    assert.deepEqual(found('awaiting callback from Dr. Day re: K.' + TAIL), [['NAME', 'Day']]);
    assert.deepEqual(found('GI (DR FOLEY) SCOPED PT.' + TAIL.toUpperCase()), [['NAME', 'FOLEY']]);
    assert.deepEqual(found('dr aware of sbp 80s.' + TAIL), []);
  });

  test('one or two words before a relation in brackets are a name', () => {
    assert.deepEqual(found('Soc: Lily (POA) at bedside.' + TAIL), [['NAME', 'Lily']]);
    assert.deepEqual(found('Contact: lumgukel levine (sister) aware.' + TAIL), [['NAME', 'lumgukel levine']]);
  });

  test('homes and hospitals by their kind after a town or a name; a saint without the period; a valve is none', () => {
    assert.deepEqual(found('Decub present on adm from Chatham Rest Home.' + TAIL), [['LOCATION', 'Chatham Rest Home']]);
    assert.deepEqual(found('d/c to Fall River Nursing and Rehab.' + TAIL), [['LOCATION', 'Fall River Nursing and Rehab']]);
    assert.deepEqual(found('intubated at Russo Memorial, on vent.' + TAIL), [['LOCATION', 'Russo Memorial']]);
    assert.deepEqual(found('abx started at St Brendan, cont.' + TAIL), [['LOCATION', 'St Brendan']]);
    assert.deepEqual(found('NEONATOLOGY NURSING 0700-1500' + TAIL.toUpperCase()), []);
    assert.deepEqual(found('POD #0 s/p MVR (#21 St Jude).' + TAIL).filter(([label]) => label === 'LOCATION'), []);
  });

  test('fractions and scores of care are no dates: pain, strength, murmurs, cultures, blood gases', () => {
    assert.deepEqual(found('c/o HA 6/10, hand grasp 4/5, murmur 2/6 SEM at RUSB, BCx 2/4 bottles GPC, TOF 2/4, CBG 7.31/48.' + TAIL), []);
  });
});
