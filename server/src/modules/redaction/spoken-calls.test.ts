import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/**
 * Rules written on call-center-d:dev's errors (issue 30, R-DATA-2): each a case where it fires and one
 * where it must not.
 */
function spans(text: string, label?: string): string[] {
  return detect(text).filter((s) => label === undefined || s.label === label).map((s) => text.slice(s.start, s.end));
}

describe('years said in a call', () => {
  test('a year said alone is no date (Safe Harbor keeps years)', () => {
    assert.deepEqual(spans('i switched plans in nineteen fifty nine', 'DATE'), []);
    assert.deepEqual(spans('she has crohns since two thousand twenty two', 'DATE'), []);
  });

  test('a year after a cue of birth still is', () => {
    assert.deepEqual(spans('she was born in nineteen fifty nine', 'DATE'), ['nineteen fifty nine']);
  });
});

describe('places of care and streets named in a call', () => {
  test('a practice named by its specialty, and kinds before a weak head', () => {
    assert.deepEqual(spans('i went to shah orthopedics', 'LOCATION'), ['shah orthopedics']);
    assert.deepEqual(spans('i was at fairview womens health', 'LOCATION'), ['fairview womens health']);
    assert.deepEqual(spans('i went to pawtucket physical therapy', 'LOCATION'), ['pawtucket physical therapy']);
    assert.deepEqual(spans('i went to cardiology', 'LOCATION'), []);
  });

  test('a head and a weak head after it are one place', () => {
    assert.deepEqual(spans('i went to tyler dialysis center back on june twenty', 'LOCATION'), ['tyler dialysis center']);
  });

  test('a street said without a house number after "on" or "at" is a place', () => {
    assert.deepEqual(spans('my pharmacy is the rite aid on oak place', 'LOCATION'), ['oak place']);
    assert.deepEqual(spans('the cvs over on highway one nineteen', 'LOCATION'), ['highway one nineteen']);
    assert.deepEqual(spans('i am on my way', 'LOCATION'), []);
    assert.deepEqual(spans('it is at the end of the road'), []);
  });
});

describe('spoken addresses', () => {
  test('a state that is also a given name, after the town, and the zip after it', () => {
    assert.deepEqual(spans('five three eight north elm highway muncie florida two eight oh zero two'), ['five three eight north elm highway muncie florida two eight oh zero two']);
  });

  test('a town that is also a word, before a zip code', () => {
    assert.deepEqual(spans('forty eighty eight west spring court warren two five oh five one'), ['forty eighty eight west spring court warren two five oh five one']);
  });

  test('a road named by its number after the house number', () => {
    assert.deepEqual(spans('four three nine county road six paducah'), ['four three nine county road six paducah']);
    assert.deepEqual(spans('i live at twelve oak road tomorrow at six', 'ADDRESS'), ['twelve oak road']);
  });
});

describe('names in calls', () => {
  test('the word that the letters after it spell is a name, and the letters are, however few', () => {
    assert.deepEqual(spans("zhang that's z h a n g", 'NAME'), ['zhang', 'z h a n g']);
    assert.deepEqual(spans('petrov thats p e t r o like oscar v like victory one moment', 'NAME'), ['petrov', 'p e t r o like oscar v like victory']);
    assert.deepEqual(spans('the code is a b c', 'NAME'), []);
  });

  test('a spelling ends at a line break', () => {
    assert.deepEqual(spans('pruitt p r u i as in india t t\ni had surgery', 'NAME'), ['pruitt', 'p r u i as in india t t']);
  });

  test('the word that says which letter is meant is no place', () => {
    assert.deepEqual(spans('i as in india', 'LOCATION'), []);
    assert.deepEqual(spans('i was in india last year', 'LOCATION'), ['india']);
  });

  test('a title at the end of a line has no name after it', () => {
    assert.deepEqual(spans('anything else today mr\nthats all', 'NAME'), []);
    assert.deepEqual(spans('thank you mr thompson', 'NAME'), ['thompson']);
  });

  test('words of a call after a title or a name are no name', () => {
    assert.deepEqual(spans('i can connect you with the nurse line please hold', 'NAME'), []);
    assert.deepEqual(spans('the p a number is', 'NAME'), []);
    assert.deepEqual(spans('the p a dvorak', 'NAME'), ['dvorak']);
  });
});

describe('numbers said in calls', () => {
  test('a phone number goes on over its extension', () => {
    assert.deepEqual(spans('yeah six three three eight nine three six nine seven one extension zero one two', 'PHONE'), ['six three three eight nine three six nine seven one extension zero one two']);
  });

  test('groups of a phone number joined by "and" are one number; other numbers so joined are not', () => {
    assert.deepEqual(spans('you can call nine five two and six nine oh double seven four seven', 'PHONE'), ['nine five two and six nine oh double seven four seven']);
    assert.deepEqual(spans('three one six two two six and seventy five eighty four', 'PHONE'), ['three one six two two six and seventy five eighty four']);
    assert.deepEqual(spans('i have three and two'), []);
  });

  test('"ate" between digits and "to" or "for" ending a number are digits misheard', () => {
    assert.deepEqual(spans('my social is three five nine one ate seven four eight oh', 'SSN'), ['three five nine one ate seven four eight oh']);
    assert.deepEqual(spans('whats your zip\num seven oh eight six for'), ['seven oh eight six for']);
    assert.deepEqual(spans('i ate two eggs'), []);
    assert.deepEqual(spans('i need two to'), []);
  });

  test('"dash" inside an identifier read out does not cut it', () => {
    assert.deepEqual(spans('the license is d nine six seven eight four two dash eighteen dash four seven three dash oh', 'LICENSE'), ['d nine six seven eight four two dash eighteen dash four seven three dash oh']);
  });

  test('a letter "a" that ends the utterance ends the identifier too', () => {
    assert.deepEqual(spans('the serial number on the cpap machine is r six seven one eight oh four five four five a', 'DEVICE'), ['r six seven one eight oh four five four five a']);
    assert.deepEqual(spans('the serial number is r six seven one eight a and that is all', 'DEVICE'), ['r six seven one eight']);
  });

  test('digits written alone answer the number asked for', () => {
    assert.deepEqual(spans('agent: and the last four of your ssn\ncaller: 1615', 'SSN'), ['1615']);
    assert.deepEqual(spans('agent: how are you\ncaller: 1615'), []);
  });
});

describe('dates, e-mails and web addresses said in calls', () => {
  test('a year after "of" goes with the date before it', () => {
    assert.deepEqual(spans('your date of birth january first of nineteen fifty eight can you verify', 'DATE'), ['january first of nineteen fifty eight']);
    assert.deepEqual(spans('i take one of two pills'), []);
  });

  test('month and day, "slash", year; month, "slash", day and year', () => {
    assert.deepEqual(spans('and your date of birth\num eleven twenty four slash nineteen eighty nine', 'DATE'), ['eleven twenty four slash nineteen eighty nine']);
    assert.deepEqual(spans('three slash twenty seven nineteen fifty one', 'DATE'), ['three slash twenty seven nineteen fifty one']);
    assert.deepEqual(spans('page three slash four'), []);
  });

  test('digits in groups after a cue of birth on the line before are the date', () => {
    assert.deepEqual(spans('Can you verify the date of birth.\n6 12 81.\nWhere should we mail it.', 'DATE'), ['6 12 81']);
  });

  test('an e-mail whose local part is spelled with the words that say which letter, or holds a hyphen', () => {
    assert.deepEqual(spans('can you email it to d like delta r a k o h at charter dot net', 'EMAIL'), ['d like delta r a k o h at charter dot net']);
    assert.deepEqual(spans('can you email it to min-ji one double nine two at sign icloud dot com', 'EMAIL'), ['min-ji one double nine two at sign icloud dot com']);
  });

  test('a web address goes on over a number said in its path, and the scheme spelled before it', () => {
    assert.deepEqual(spans('it sent me to www dot trilophotos dot com slash two eight six five', 'URL'), ['www dot trilophotos dot com slash two eight six five']);
    assert.deepEqual(spans('the link is h t t p s pelarifamily dot com slash seven eighty one two', 'URL'), ['h t t p s pelarifamily dot com slash seven eighty one two']);
    assert.deepEqual(spans('go to caringbridge dot org slash marisol journey and it says', 'URL'), ['caringbridge dot org slash marisol journey']);
  });
});

describe('answers and closings in calls', () => {
  test('"the name on the account" asks for a name, not an account number', () => {
    assert.deepEqual(spans('Agent: can i get the name on the account\nCaller: yeah niamh delacroix\nAgent: can you verify', 'NAME'), ['niamh delacroix']);
    assert.deepEqual(spans('the account number is four five six seven eight nine', 'ACCOUNT'), ['four five six seven eight nine']);
  });

  test('"member" is a speaker of a health plan\'s call, and "member id" still a cue', () => {
    assert.deepEqual(spans('rep: can i have your first and last name\nmember: ngozi blevins\nrep: and the zip code', 'NAME'), ['ngozi blevins']);
    assert.deepEqual(spans('my member id is w two four seven eight nine one three three', 'HEALTH_PLAN'), ['w two four seven eight nine one three three']);
  });

  test('a family name that is also a word, after the given name in an answer', () => {
    assert.deepEqual(spans('agent: who am i speaking with\ncaller: priya sweet', 'NAME'), ['priya sweet']);
    assert.deepEqual(spans('agent: who am i speaking with\ncaller: sweet', 'NAME'), []);
  });

  test('the caller named at the end of the closing offer of help', () => {
    assert.deepEqual(spans('agent: is there anything else i can help with hardy\ncaller: no thank you', 'NAME'), ['hardy']);
    assert.deepEqual(spans('is there anything else i can help with mrs abernathy', 'NAME'), ['abernathy']);
    assert.deepEqual(spans('is there anything else i can help with today', 'NAME'), []);
    assert.deepEqual(spans('anything else i can help with billing or', 'NAME'), []);
    assert.deepEqual(spans('anything else today sir', 'NAME'), []);
  });
});

describe('directions in spoken addresses', () => {
  test('a street direction said as a letter after the house number', () => {
    assert.deepEqual(spans('send it to triple one three two n river lane', 'ADDRESS'), ['triple one three two n river lane']);
    assert.deepEqual(spans('the code is one two three n'), []);
  });
});

describe('spellings and answers in calls, their edges', () => {
  test('letters that spell an abbreviation said in a call are no name', () => {
    assert.deepEqual(spans('lindqvist thats l i n d q v i s t\ncan i get your d o b', 'NAME'), ['lindqvist', 'l i n d q v i s t']);
    assert.deepEqual(spans('the last name is wu\ncan i get your d o b the first of march', 'NAME'), ['wu']);
  });

  test('a pronoun after the spelling of the word before is no letter of it', () => {
    assert.deepEqual(spans('lindqvist l i n as in nora d q v i s t i waited', 'NAME'), ['lindqvist', 'l i n as in nora d q v i s t']);
  });

  test('an answer ends at a line break, and hesitations before it are no name', () => {
    assert.deepEqual(spans('rep: can i have your first and last name\nmember: otis quifenober\nrep: perfect', 'NAME'), ['otis quifenober']);
    assert.deepEqual(spans('can i have your first and last name\nhold on its darnell shah\nwhats the', 'NAME'), ['darnell shah']);
  });
});

describe('written addresses in a transcript', () => {
  test('an address does not go on over the next line\'s speaker label', () => {
    assert.deepEqual(spans('A: Where should we mail it\nC: 19363 Kensington Parkway Olathe.\nC: I was diagnosed with it', 'ADDRESS'), ['19363 Kensington Parkway Olathe.']);
    assert.deepEqual(spans('He lives at 12 Oak Street\nSpringfield, IL 62704', 'ADDRESS'), ['12 Oak Street\nSpringfield, IL 62704']);
  });
});
