import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}

describe('clinical vocabulary is no PHI (R-DATA-2, issue 30)', () => {
  test('nursing shorthand that is also a given name or a town: sliding scales, suction, sections, salts', () => {
    assert.deepEqual(found('GI: ABD OBESE, +BS. FS 140-200, COVERED PER RISS. BS 260, 5U REG INSULIN SC. MAG SULFATE 2GM IV. NGT TO LIS. T MAX 101.2. HEPARIN GTT AT 900U/HR, FOLEY.'), []);
    // A name of several words that holds such a word stays a name.
    assert.deepEqual(found('Social: son Max Okafor in to visit. heparin gtt, foley, lasix.'), [['NAME', 'Max Okafor']]);
  });

  test('scores, sites and neonatal words of nursing notes are no names or places; "POA" cues a name', () => {
    assert.deepEqual(found('Skin: Braden 12, sternal incision OTA. Hgb A1c pending. Labile BP. Bleeding from CTs. NP from pulm at bedside. Temp stable in servo isolette. Bili 9.1, DOL 4. foley, lasix, heparin gtt, npo.'), []);
    assert.deepEqual(found('Family (POA Pralumtal) updated by phone. foley, lasix, heparin gtt, npo.'), [['NAME', 'Pralumtal']]);
  });

  test('a section head that is clinical vocabulary is no speaker label; a name is', () => {
    assert.deepEqual(found('Integ: sacrum intact, turned q2h. foley, lasix, heparin gtt, npo.'), []);
    assert.deepEqual(found('Nicole: hi\nagent: hello'), [['NAME', 'Nicole']]);
  });

  test('a letter before a slash is an abbreviation, not a spelled letter after a number', () => {
    assert.deepEqual(found('hx of cva in 1988. s/p MI, on heparin gtt, foley, lasix, npo. pls call son at 508 212 1896 w/ any changes.'), [['PHONE', '508 212 1896']]);
  });

  test('decade ranges and shifts are measures, no identifiers', () => {
    assert.deepEqual(found('NURSING PROGRESS NOTE 3P-11P\nCV: SBP 110S-140S, HR 80S-100S. HEPARIN GTT, FOLEY, LASIX.'), []);
  });

  test('after the patient cue of a note a common word starts a sentence; a name after it is still a name', () => {
    assert.deepEqual(found('pt post op day 2 cabg x3, on heparin gtt, foley, lasix, npo. w/ wife, ambulates w/ walker.'), []);
    assert.deepEqual(found('Note re: patient Ann Okafor, heparin gtt, foley, lasix.'), [['NAME', 'Ann Okafor']]);
  });
});
