import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
/** A head and enough clinical vocabulary for the genre to be a clinical note. */
const HEAD = 'Nursing Progress Note 7a-7p\nNeuro: PERRL, MAE. ';
const TAIL = '\nfoley, lasix, heparin gtt, npo, f/u am lytes.';
const note = (s: string) => found(HEAD + s + TAIL);

describe('nursing notes by system, CCU, neuro-ICU, trauma, transfer and family notes (R-DATA-2, issue 30)', () => {
  test('an age over 89 run into the sex letter before what the note says of the patient', () => {
    assert.deepEqual(found('nsg note 7p-7a\n90F s/p cardiogenic shock.' + TAIL), [['AGE', '90']]);
    assert.deepEqual(found('NPN 7A-7P\nPT IS A 101M W/ CHF EXACERBATION.\nFOLEY, LASIX, HEPARIN GTT, NPO.'), [['AGE', '101']]);
    // A temperature is no age, nor is an age of 89 or under scored here.
    assert.deepEqual(found('nsg note 7p-7a\nTmax 101F w/ chills.' + TAIL), []);
  });

  test('the name before ", pt\'s <relation>", and the relation word is none', () => {
    assert.deepEqual(found("NPN 7A-7P\nNEURO: PERRL. SOC: YUKI, PT'S FIANCEE, BROUGHT IN GLASSES.\nFOLEY, LASIX, HEPARIN GTT, NPO."), [['NAME', 'YUKI']]);
    assert.deepEqual(note("Family: frank, pt's uncle, brought in glasses."), [['NAME', 'frank']]);
    // A verb before the comma is no name.
    assert.deepEqual(note("Updated, pt's wife aware of plan."), []);
  });

  test('the name after "per" before a comma; words of care there are none', () => {
    assert.deepEqual(note('per tesfaye, start TF. per olek, repeat lytes.'), [['NAME', 'tesfaye'], ['NAME', 'olek']]);
    assert.deepEqual(note('per protocol, K repleted. 20 mg per hour, titrate.'), []);
  });

  test("a name before a clinician's role or service in brackets", () => {
    assert.deepEqual(note('seen by mehta (attending). SEEN BY KNIGHT (GI).'), [['NAME', 'mehta'], ['NAME', 'KNIGHT']]);
    // A bracket that holds no role is no cue.
    assert.deepEqual(note('CXR (portable) done.'), []);
  });

  test('an initial and a family name after a role; the nurse a report is called to', () => {
    assert.deepEqual(note('covering hospitalist V. Hall at bpr 7722.'), [['NAME', 'V. Hall'], ['PHONE', '7722']]);
    assert.deepEqual(note('report called to Will RN x5-1813.').filter(([l]) => l === 'NAME'), [['NAME', 'Will']]);
  });

  test('the outside hospital in brackets after "OSH", and a town before "Medical"', () => {
    assert.deepEqual(note('OSH (Kittredge) CT showed SDH. last seen at Sharon Medical, records requested.'), [['LOCATION', 'Kittredge'], ['LOCATION', 'Sharon Medical']]);
    // What was done at the outside hospital, and the medical team or records, are none.
    assert.deepEqual(note('OSH (CT head) neg. d/w medical team.'), []);
  });

  test('devices, scores, collars and criteria named after people and towns are no PHI', () => {
    assert.deepEqual(note('LEVIN TUBE TO LIS. Salem sump to LCWS. Blake drain to bulb. Ramsay score 3. Fisher grade 3.'), []);
    assert.deepEqual(note('RASS -2 (Richmond agitation sedation scale). Miami J collar on. Philadelphia collar. Berlin criteria met.'), []);
    // The same words as names stay names.
    assert.deepEqual(note('wife Joy Miller at bs, d/w Dr. Blake.'), [['NAME', 'Joy Miller'], ['NAME', 'Blake']]);
  });

  test('a language after "interpreter", a pager\'s word after a name, a role before "Dr" are no PHI', () => {
    assert.deepEqual(note('interpreter Erzsebet (Somali) present.'), [['NAME', 'Erzsebet']]);
    assert.deepEqual(note('trauma res dr Dunleavy page 49472.').filter(([l]) => l === 'NAME'), [['NAME', 'Dunleavy']]);
    assert.deepEqual(note('HD TODAY, 2L OFF ATTENDING DR. LYLE GALLAGHER AT BS.'), [['NAME', 'LYLE GALLAGHER']]);
    // After a title "Page" is the family name.
    assert.deepEqual(note('d/w Dr. Page 4-5512.'), [['NAME', 'Page'], ['PHONE', '4-5512']]);
  });

  test('scores of the neuro exam, vent pressures and catheter drainage are no dates, streets or places', () => {
    assert.deepEqual(note('R sided weakness 2/5, L 4/5. pupils 4/3 sluggish. c/o CP 6/10.'), []);
    assert.deepEqual(note('CPAP 6 PS 7, ABG 7.26/41/69/30. APRV Phigh 25 Plow 0 Thigh 5. foley to CD. MRN 4471203.').filter(([l]) => l !== 'MRN'), []);
  });
});
