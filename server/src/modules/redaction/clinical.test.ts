import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainDocument } from './detect.ts';
import { EVIDENCE, evidenceFor, misspeltClinical, textFeatures, type EvidenceName } from './evidence.ts';
import { nursingEvidence } from './nursing-notes.ts';
import { systemEvidence } from './system-notes.ts';
import { genreOf } from './genre.ts';
import { LEXICON_DIR, parseLexicon } from './lexicons.ts';
import { candidate } from './resolution.ts';
import { tokenize } from './tokens.ts';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}
function kinds(text: string): Array<[string, string]> {
  return explainDocument(text).map((s) => [s.kind, text.slice(s.start, s.end)]);
}

const CAPS_NOTE = 'NURSING PROGRESS NOTE 7P-7A\nNEURO: ALERT, MAE, FOLLOWS COMMANDS. CONT ON PROPOFOL.\nCV: HR 80-90S NSR, SBP 120-130. HEPARIN GTT AT 900U/HR.\nGU: FOLEY DRAINING 30-40CC/HR, UO 1500CC.\nSKIN: ALINE R RADIAL C/D/I. SWAN R IJ.\nSOCIAL: WIFE MARTHA IN TO VISIT.\nPLAN: TRANSFER TO BMC WHEN BED AVAIL.\n';

describe('genres (R-DATA-2)', () => {
  test('an abbreviation-dense note in capitals is clinical and in capitals; a letter is written; a call is spoken', () => {
    const info = (text: string, isWritten: boolean) => genreOf([tokenize(text)], { isWritten, speakerLines: 0, fieldLines: 0, lines: 1 });
    assert.deepEqual(info(CAPS_NOTE, true), { genre: 'clinical', caps: true, clinical: true });
    assert.equal(info('Dear Ms. Lee, thank you for your letter of last week about the garden.', true).genre, 'written');
    assert.equal(info('hi this is jo calling about my bill', false).genre, 'spoken');
    assert.equal(genreOf([tokenize('Name: Ann\nDOB: 1/2/1950')], { isWritten: true, speakerLines: 0, fieldLines: 2, lines: 2 }).genre, 'form');
    assert.equal(genreOf([tokenize('agent: hello\ncaller: hi')], { isWritten: false, speakerLines: 2, fieldLines: 0, lines: 2 }).genre, 'chat');
  });

  test('in a note in capitals, clinical words, ranges, volumes and shift times are no PHI; the wife and the hospital are', () => {
    assert.deepEqual(found(CAPS_NOTE), [['NAME', 'MARTHA'], ['LOCATION', 'BMC']]);
  });
});

describe('clinical evidence for PHI (R-DATA-2)', () => {
  test('names after relation words and titles, in any case, names that are words included', () => {
    assert.deepEqual(found('Social: son joe called, wife Hope at bedside.'), [['NAME', 'joe'], ['NAME', 'Hope']]);
    assert.deepEqual(found('Plan discussed with resident ann lee and dr brown.'), [['NAME', 'ann lee'], ['NAME', 'brown']]);
    assert.deepEqual(found('MD Dr. Schultz aware of BP.'), [['NAME', 'Schultz']]);
    // A verb or a pronoun after the relation word is no name.
    assert.deepEqual(found('Her brother called and his wife is here.'), []);
  });

  test('a clinician\'s name before a degree, the caller\'s name, and a modal verb that is a name at a sentence\'s end', () => {
    assert.deepEqual(found('Dictated by: ART MENDEZ, M.D.  Ann Lee, RN'), [['NAME', 'ART MENDEZ'], ['NAME', 'Ann Lee']]);
    assert.deepEqual(found('Summary: The caller, Joy Fields, called. Alternate contact: niece Will.'), [['NAME', 'Joy Fields'], ['NAME', 'Will']]);
    assert.deepEqual(found('Her son will call back.'), []);
  });

  test('clinicians\' names are left when clinicians are excluded', () => {
    assert.deepEqual(detect('seen by dr brown today', { includeClinicians: false }), []);
  });

  test('facilities: a town or family name before a facility word, saints\' hospitals, abbreviations after "to" in a note', () => {
    assert.deepEqual(kinds('Transferred from Westford General Hospital, then to St. Mary\'s.'), [['facility', 'Westford General Hospital'], ['facility', "St. Mary's"]]);
    assert.deepEqual(found('she went to the hospital and then the clinic'), []);
    assert.deepEqual(found('Follow up at Cedar Falls Clinic.'), [['LOCATION', 'Cedar Falls Clinic']]);
    assert.deepEqual(found('PT IS A 98 YO M ADMITTED FROM ROSE REHAB WITH GIB. ON HEPARIN GTT, LASIX.'), [['AGE', '98'], ['LOCATION', 'ROSE REHAB']]);
    assert.deepEqual(found('Seen at the Park Clinic.'), []);
    assert.deepEqual(found('I work at ATM Corp and bank at USNS.'), []);
  });

  test('dates without a year and apostrophe years; not ventilator settings, scores or fractions', () => {
    assert.deepEqual(found('hx: s/p CABG \'97, last admit 3/14, seen 11/2.'), [['DATE', '97'], ['DATE', '3/14'], ['DATE', '11/2']]);
    assert.deepEqual(found('psv 10/5, pain 5/10, gcs 3/15, take 1/2 tab, sob 2/2 chf.'), []);
  });

  test('shifted dates of the 2100s, job numbers; decimals are no identifiers', () => {
    assert.deepEqual(found('D: 06/14/2116  T: October 11, 2123  JOB#: 70287'), [['DATE', '06/14/2116'], ['DATE', 'October 11, 2123'], ['ID', '70287']]);
    assert.deepEqual(found('paged re: fever 101.8, k 3.25'), []);
  });

  test('pager numbers and phone numbers with a slash', () => {
    assert.deepEqual(found('dr lee paged @ #3015, cell 617/555-1212.'), [['NAME', 'lee'], ['PHONE', '3015'], ['PHONE', '617/555-1212']]);
  });

  test('ranges, shifts and amounts with units are no phone numbers or identifiers; a phone-shaped number is', () => {
    assert.deepEqual(found('shift 1900-0700, sbp 120-130, uo 30-40cc, hr 70-80s, 1500cc out.'), []);
    assert.deepEqual(found('call 555-1234 or 3610-114'), [['PHONE', '555-1234'], ['PHONE', '3610-114']]);
  });

  test('ages over 89 are masked in notes', () => {
    assert.deepEqual(found('PT IS A 92 YO F ADMITTED WITH PNA.'), [['AGE', '92']]);
  });

  test('younger ages are masked too: Safe Harbor asks only for those over 89, Ward masks by default (R-DATA-3)', () => {
    assert.deepEqual(found('PT IS A 67 YO F ADMITTED WITH PNA.'), [['AGE', '67']]);
  });
});

/** A line of clinical vocabulary that holds no PHI: it makes a short text a clinical note. */
const TAIL = ' Cont heparin gtt, NPO, foley, abd soft.';
const CAPS_TAIL = ' CONT HEPARIN GTT, NPO, FOLEY, ABD SOFT.';
const inNote = (text: string) => found(text + TAIL);
const inCapsNote = (text: string) => found(text + CAPS_TAIL);
const inLowerNote = (text: string) => found(text + TAIL.toLowerCase());

describe('clinical notes of other authors and styles (R-DATA-2, clinical-notes-b)', () => {
  test('names after short and joined relation words, after an honorific, and after a field label of a note', () => {
    assert.deepEqual(inNote('dtr sunny called, bro amber carpenter in, daughter-in-law Ivy updated.'), [['NAME', 'sunny'], ['NAME', 'amber carpenter'], ['NAME', 'Ivy']]);
    assert.deepEqual(inNote("Met with pt's wife, Mrs. Agnes Ibarra, at bedside."), [['NAME', 'Agnes Ibarra']]);
    assert.deepEqual(found('Patient: Frank Marsh. HPI: CHF, on lasix, heparin gtt, foley, NPO.'), [['NAME', 'Frank Marsh']]);
    // A comma after a title ends its sentence.
    assert.deepEqual(inCapsNote('SON UPDATED BY RN, HOPE TO HAVE FAMILY MTG IN AM.'), []);
  });

  test('a signature line: a name with or without an initial and a degree, with or without a comma', () => {
    assert.deepEqual(inNote('\n-- I. Szabo RN\n'), [['NAME', 'I. Szabo']]);
    assert.deepEqual(inNote('\nCrystal Church, MSW\n'), [['NAME', 'Crystal Church']]);
    assert.deepEqual(inNote('\n- bao rn\n'), [['NAME', 'bao']]);
    assert.deepEqual(inNote('\nDiscussed with charge RN\n'), []);
  });

  test('facilities: capitalised words before a strong head, new heads, the town after a facility, saints, an ED', () => {
    assert.deepEqual(inNote('Disposition: Sacred Heart Medical Center, Saugus.'), [['LOCATION', 'Sacred Heart Medical Center'], ['LOCATION', 'Saugus']]);
    assert.deepEqual(inNote('Transferred from Our Lady of Grace Hospital.'), [['LOCATION', 'Our Lady of Grace Hospital']]);
    assert.deepEqual(inNote('Follow up in Heart Failure Clinic.'), []);
    assert.deepEqual(inCapsNote('ADMITTED FROM KESSLER INSTITUTE, LIVES AT CLIFFSIDE MANOR.'), [['LOCATION', 'KESSLER INSTITUTE'], ['LOCATION', 'CLIFFSIDE MANOR']]);
    assert.deepEqual(inNote('Seen at Haverhill Regional, then Briarwood Skilled Nursing.'), [['LOCATION', 'Haverhill Regional'], ['LOCATION', 'Briarwood Skilled Nursing']]);
    assert.deepEqual(inNote('Transfer to Stonegate Rehabilitation Center.'), [['LOCATION', 'Stonegate Rehabilitation Center']]);
    assert.deepEqual(inNote('d/c planning: likely to st. agnes once ok.'), [['LOCATION', 'st. agnes']]);
    assert.deepEqual(inCapsNote('HR 90S ST. BP 110/60.'), []);
    assert.deepEqual(inNote('Presented to the Holy Cross ED with melena.'), [['LOCATION', 'Holy Cross']]);
    assert.deepEqual(inNote('Seen in the ED with melena.'), []);
  });

  test('a place of care after a word of transfer, in any case; no unit of care, no common word', () => {
    assert.deepEqual(inCapsNote('PLAN: TRANSFER TO KESSLER IN AM. AWAITING BED @ MAPLE CREST.'), [['LOCATION', 'KESSLER'], ['LOCATION', 'MAPLE CREST']]);
    assert.deepEqual(inLowerNote('aware of transfer to gsh on fri.'), [['LOCATION', 'gsh']]);
    assert.deepEqual(inNote('d/c to home. transfer to floor. refill sent to pharmacy.'), []);
  });

  test('a town after a word of residence, in any case, even when it is a word', () => {
    assert.deepEqual(inCapsNote('NIECE IS HCP, LIVES IN ORANGE.'), [['LOCATION', 'ORANGE']]);
    assert.deepEqual(inLowerNote('pt is 92, lives w/ dtr in south hadley.'), [['AGE', '92'], ['LOCATION', 'south hadley']]);
    assert.deepEqual(inNote('tol orange juice in am.'), []);
  });

  test('dates: month-day with a hyphen after a word that dates follow, a day before a short month, a time after a date', () => {
    assert.deepEqual(inNote('Referral faxed 3-16. Recheck 10-21.'), [['DATE', '3-16'], ['DATE', '10-21']]);
    assert.deepEqual(inNote('last bm 11-11, colace given.'), [['DATE', '11-11']]);
    assert.deepEqual(inNote('weaned from 2-3 L, HR 10-12 beats above, I/O 3-4 days.'), []);
    assert.deepEqual(inNote('last bm 23 feb, senna given.'), [['DATE', '23 feb']]);
    assert.deepEqual(found('Telephone encounter August 26th 16:20\nSpoke with daughter re: INR 3.8.'), [['DATE', 'August 26th']]);
    assert.deepEqual(found('Call back 10-5 16:20\nSpoke with niece re: K 5.6, heparin gtt, lasix, foley.'), [['DATE', '10-5']]);
    assert.deepEqual(inNote('cont abx day 4/7.'), []);
  });

  test('a label of more than three words is read whole ("Late entry for 14 May:")', () => {
    assert.deepEqual(found('EVENT NOTE 0230: PT DESATTED ON 4L NC, NRB, BIPAP.\nLate entry for 14 May: pt ambulated w/ PT.'), [['DATE', '14 May']]);
  });

  test('ages after "pt is", pagers after "bpr", a slashed phone in brackets', () => {
    assert.deepEqual(inNote('pt is 93, lives alone.'), [['AGE', '93']]);
    assert.deepEqual(inNote('Discussed with Dr. Parks (bpr 6-4490).'), [['NAME', 'Parks'], ['PHONE', '6-4490']]);
    assert.deepEqual(inNote('call from the lab (802/712-1746).'), [['PHONE', '802/712-1746']]);
  });

  test('colours and states of fluids are no names; the same words as names stay names', () => {
    assert.deepEqual(inNote('amber urine, rusty sputum, frank blood, brown stool, tan secretions.'), []);
    assert.deepEqual(inNote('Ms. Brown is a 81-year-old man.'), [['NAME', 'Brown'], ['AGE', '81']]);
  });
});

describe('evidence table (R-DATA-2): every entry has a case', () => {
  const clinical = { genre: 'clinical' as const, caps: false, clinical: true };
  const written = { genre: 'written' as const, caps: false, clinical: false };
  const spoken = { genre: 'spoken' as const, caps: false, clinical: false };
  const cases: Record<EvidenceName, () => void> = {
    clinicalWord: () => {
      const text = 'cont on propofol';
      const c = candidate('lexicalName', 0, 4, 'NAME', 0.7);
      assert.deepEqual(evidenceFor(c, tokenize(text), clinical), ['clinicalWord']);
      const d = candidate('lexicalName', 8, 16, 'NAME', 0.7);
      assert.deepEqual(evidenceFor(d, tokenize(text), written), ['clinicalWord']);
      // Cut to its other words: "Heparin Smith" keeps "Smith".
      const e = candidate('lexicalName', 0, 13, 'NAME', 0.7);
      assert.deepEqual(evidenceFor(e, tokenize('Heparin Smith'), written), []);
      assert.deepEqual([e.start, e.end], [8, 13]);
    },
    yearInClinicalNote: () => {
      assert.deepEqual(evidenceFor(candidate('bareYear', 5, 9, 'DATE', 0.6), tokenize('CABG 2094'), clinical), ['yearInClinicalNote']);
      assert.deepEqual(evidenceFor(candidate('bareYear', 5, 9, 'DATE', 0.6), tokenize('born 1950'), written), []);
    },
    amount: () => {
      assert.deepEqual(evidenceFor(candidate('bareYear', 13, 25, 'DATE', 0.6), tokenize('a maximum of two thousand dollars'), spoken), ['amount']);
      assert.deepEqual(evidenceFor(candidate('bareYear', 8, 20, 'DATE', 0.6), tokenize('born in two thousand'), spoken), []);
    },
    careUnit: () => {
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 8, 11, 'LOCATION', 0.6), tokenize('sent to ICU'), written), ['careUnit']);
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 8, 14, 'LOCATION', 0.6), tokenize('sent to Boston'), written), []);
    },
    clinicalStreet: () => {
      const text = 'Labs: Na 145 K 4.7 Cr 3.3, heparin gtt, npo';
      assert.deepEqual(evidenceFor(candidate('street', 9, 22, 'ADDRESS', 0.8), tokenize(text), clinical), ['clinicalStreet']);
      assert.deepEqual(evidenceFor(candidate('street', 8, 21, 'ADDRESS', 0.8), tokenize('Lives at 12 Maple Cr, npo'), clinical), []);
      assert.deepEqual(found('LASIX 40MG IV @ 2200 W/ GOOD RESPONSE. CONT HEPARIN GTT, NPO, FOLEY.'), []);
    },
    timeAfterDate: () => {
      assert.deepEqual(found('Telephone encounter 9/28 1435\nSpoke with son re: INR 3.8, heparin gtt, lasix, foley.'), [['DATE', '9/28']]);
      assert.deepEqual(kinds('precedex gtt started at 0200. C/o back pain. heparin gtt, npo, foley, lasix.'), []);
      // Not a time: a pager number of five digits.
      assert.deepEqual(found('pager 41123 on 9/28'), [['PHONE', '41123'], ['DATE', '9/28']]);
    },
    clinicalNameWord: () => {
      // "per" is a given name elsewhere; "pharmacy" is no name once "per" is set aside.
      const text = 'dose adjusted per pharmacy. heparin gtt, foley';
      assert.deepEqual(evidenceFor(candidate('lexicalName', 14, 26, 'NAME', 0.7), tokenize(text), clinical), ['clinicalNameWord']);
      // Outside a clinical note, and after a title, the rule does not hold.
      assert.deepEqual(evidenceFor(candidate('lexicalName', 14, 26, 'NAME', 0.7), tokenize(text), written), []);
      assert.deepEqual(evidenceFor(candidate('lexicalName', 4, 12, 'NAME', 0.7), tokenize('Dr. Per Okafor'), clinical), []);
      // A unit of care cut off leaves the facility before it ("the Bayridge ED").
      assert.deepEqual(evidenceFor(candidate('lexicalName', 4, 15, 'NAME', 0.7), tokenize('the Bayridge ED'), clinical), []);
    },
    misspeltClinical: () => {
      assert.deepEqual(evidenceFor(candidate('lexicalName', 4, 13, 'NAME', 0.7), tokenize('abd distented, firm'), clinical), ['misspeltClinical']);
      assert.deepEqual(evidenceFor(candidate('facilityAbbrev', 8, 12, 'LOCATION', 0.7), tokenize('cont to ween as tol'), clinical), ['misspeltClinical']);
      // An abbreviation of four letters with fewer than two vowels is none ("PRMC" is one letter from "PRBC").
      assert.deepEqual(evidenceFor(candidate('facilityAbbrev', 12, 16, 'LOCATION', 0.7), tokenize('transfer to PRMC in am'), clinical), []);
      assert.equal(misspeltClinical('weened'), true);
      assert.equal(misspeltClinical('sedatted'), true);
      assert.equal(misspeltClinical('walsh'), false);
    },
    vitalShape: () => {
      assert.deepEqual(found('CV: HR 65-95 SR, SBP 120S-140S. RESP: A/C 500X14 PEEP 5, SATS 92-95%. HEPARIN GTT, FOLEY, LASIX.'), []);
      assert.deepEqual(found('Step-down nsg note 11-7\nneuro: a&ox3, mae. foley, lasix, heparin gtt.'), []);
      // A phone, a pager and a date of the same shapes stay.
      assert.deepEqual(found('pls call wife at 617/332-1190, md pgr 4-3321. foley, lasix, heparin gtt.'), [['PHONE', '617/332-1190'], ['PHONE', '4-3321']]);
      assert.deepEqual(found('admitted 11-7 w/ chf exac. foley, lasix, heparin gtt, npo.'), [['DATE', '11-7']]);
    },
    streetAcrossSentence: () => {
      const text = 'NSR 80S. COVERING DR. HORVATH AWARE';
      const tokens = tokenize(text);
      assert.deepEqual(evidenceFor(candidate('street', 4, 21, 'ADDRESS', 0.8), tokens, clinical, textFeatures(tokens, clinical, text)), ['streetAcrossSentence']);
      const home = 'lives at 12 Hollis Dr. w/ wife';
      const homeTokens = tokenize(home);
      assert.deepEqual(evidenceFor(candidate('street', 9, 22, 'ADDRESS', 0.8), homeTokens, clinical, textFeatures(homeTokens, clinical, home)), []);
    },
    placeRequest: () => {
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 26, 32, 'LOCATION', 0.6), tokenize('what is the population of austin'), spoken), ['placeRequest']);
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 10, 16, 'LOCATION', 0.6), tokenize('i live in austin and the weather is hot'), spoken), []);
      assert.deepEqual(evidenceFor(candidate('lexicalName', 5, 11, 'NAME', 0.7), tokenize('text austin about the weather'), spoken), []);
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 19, 25, 'LOCATION', 0.6), tokenize('what time is it in austin'), spoken), ['placeRequest']);
      // Whom a request is for stays a person in a request that asks the time too.
      const toRobert = 'send email to robert, what time is dinner';
      const robertTokens = tokenize(toRobert);
      assert.deepEqual(evidenceFor(candidate('lexicalName', 14, 20, 'NAME', 0.7), robertTokens, spoken, textFeatures(robertTokens, spoken, toRobert)), []);
    },
    mediaRequest: () => {
      assert.deepEqual(evidenceFor(candidate('lexicalName', 10, 22, 'NAME', 0.7), tokenize('play some david bowie'), spoken), ['mediaRequest']);
      assert.deepEqual(evidenceFor(candidate('lexicalName', 5, 9, 'NAME', 0.7), tokenize('call raju now'), spoken), []);
      // A town said with no place word in a request to play is a title; after a place word it stays a town.
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 8, 17, 'LOCATION', 0.55), tokenize('play me barcelona by queen'), spoken), ['mediaRequest']);
      assert.deepEqual(evidenceFor(candidate('lexicalPlace', 16, 23, 'LOCATION', 0.6), tokenize('play radio from chicago'), spoken), []);
      // Only in speech: a written letter that mentions a song still names its people.
      assert.deepEqual(evidenceFor(candidate('lexicalName', 0, 10, 'NAME', 0.7), tokenize('Ann Greene sang a song'), written), []);
    },
    nursingShape: () => {
      const text = 'CBG 7.31/48, GCS E4V3M2, call before 2200, Dad called.';
      const cs = [candidate('numericDate', 4, 11, 'DATE', 0.9), candidate('alnumId', 17, 23, 'ID', 0.7), candidate('number', 37, 41, 'PHONE', 0.85), candidate('lexicalPlace', 43, 46, 'LOCATION', 0.7)];
      nursingEvidence(cs, tokenize(text), clinical, text, EVIDENCE.nursingShape.weight);
      assert.deepEqual(cs.map((c) => c.confidence < 0.5), [true, true, true, true]);
      // A phone, a date and a town stay; outside clinical notes nothing is judged.
      const kept = 'call 617-555-1212 on 3/14 from Boston';
      const ks = [candidate('number', 5, 17, 'PHONE', 0.85), candidate('shortDate', 21, 25, 'DATE', 0.75), candidate('lexicalPlace', 31, 37, 'LOCATION', 0.7)];
      nursingEvidence(ks, tokenize(kept), clinical, kept, EVIDENCE.nursingShape.weight);
      nursingEvidence(cs, tokenize(text), written, text, EVIDENCE.nursingShape.weight);
      assert.deepEqual(ks.map((c) => c.confidence), [0.85, 0.75, 0.7]);
    },
    systemShape: () => {
      const text = 'Levin tube to LIS, Miami J collar, PT\'S FIANCEE CALLED, interpreter (Somali), Dunleavy page 4947.';
      const cs = [candidate('lexicalName', 0, 5, 'NAME', 0.8), candidate('lexicalPlace', 19, 24, 'LOCATION', 0.7), candidate('lexicalName', 40, 47, 'NAME', 0.8), candidate('lexicalPlace', 69, 75, 'LOCATION', 0.7), candidate('cuedName', 78, 91, 'NAME', 0.8)];
      systemEvidence(cs, tokenize(text), clinical, text, EVIDENCE.systemShape.weight);
      assert.deepEqual(cs.map((c) => c.confidence < 0.5), [true, true, true, true, false]);
      assert.equal(text.slice(cs[4]!.start, cs[4]!.end), 'Dunleavy');
      // The same words as names stay, and outside clinical notes nothing is judged.
      const kept = 'd/w Dr. Friend, son Levin in to visit.';
      const ks = [candidate('lexicalName', 8, 14, 'NAME', 0.8), candidate('lexicalName', 20, 25, 'NAME', 0.8)];
      systemEvidence(ks, tokenize(kept), clinical, kept, EVIDENCE.systemShape.weight);
      systemEvidence(cs.slice(0, 1).map((c) => ({ ...c, confidence: 0.8 })), tokenize(text), written, text, EVIDENCE.systemShape.weight);
      assert.deepEqual(ks.map((c) => c.confidence), [0.8, 0.8]);
    },
    eponymCondition: () => {
      assert.deepEqual(evidenceFor(candidate('lexicalName', 23, 32, 'NAME', 0.7), tokenize("she was diagnosed with addison's disease"), spoken), ['eponymCondition']);
      assert.deepEqual(evidenceFor(candidate('lexicalName', 11, 18, 'NAME', 0.7), tokenize('i spoke to addison yesterday'), spoken), []);
    },
  };
  for (const [name, rule] of Object.entries(EVIDENCE)) {
    test(`${name} (${rule.weight}): ${rule.reason}`, () => cases[name as EvidenceName]());
  }
});

describe('lexicons (R-DATA-2)', () => {
  test('every lexicon file states its source and licence', () => {
    for (const f of readdirSync(LEXICON_DIR).filter((x) => x.endsWith('.txt'))) {
      const l = parseLexicon(f, readFileSync(join(LEXICON_DIR, f), 'utf8'));
      assert.ok(l.source && l.licence, f);
      assert.ok([...l.words.values()].some((s) => s.size > 0), f);
    }
  });

  test('a lexicon without a source or licence is refused', () => {
    assert.throws(() => parseLexicon('x.txt', '# licence: CC0-1.0\nword'), /source and licence/);
  });
});
