import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/** Each rule of the call-center work (issue 30): a case where it fires and one where it must not (R-DATA-2). */
function spans(text: string, label?: string): string[] {
  return detect(text).filter((s) => label === undefined || s.label === label).map((s) => text.slice(s.start, s.end));
}

describe('genre per line in a call (R-DATA-2)', () => {
  test('a lower-case line in a call whose AI agent writes in sentences is read as speech', () => {
    const call = 'bot: Hello, you have reached Pinecrest Medical Group. How can I help you today?\ncaller: hi this is marisol okonkwo i need a refill';
    assert.deepEqual(spans(call, 'NAME'), ['marisol okonkwo']);
  });

  test('a line with capitals in a written call is still read as written', () => {
    assert.deepEqual(spans('Agent: How can I help?\nCaller: I need a refill of my medicine', 'NAME'), []);
  });

  test('a timestamp before the speaker keeps the line a speaker line', () => {
    const call = '[00:00:12] agent: can you spell the last name\n[00:00:15] customer: p r u i double t';
    assert.deepEqual(spans(call, 'NAME'), ['p r u i double t']);
  });
});

describe('letters spelled with the words that say which (R-DATA-2)', () => {
  test('"as in", "like" and "for" a word of the same letter, and "double", stay inside a spelled name', () => {
    assert.deepEqual(spans('my last name is spelled b as in boy r o u double s a r d for david', 'NAME'), ['b as in boy r o u double s a r d for david']);
    assert.deepEqual(spans("that's p like papa r u i t t", 'NAME'), ['p like papa r u i t t']);
  });

  test('"for" before a number is four misheard, not the word of a letter', () => {
    assert.deepEqual(spans('the claim number is c for eight three two one', 'NAME'), []);
  });

  test('letters with their words before digits are an identifier, whole', () => {
    assert.deepEqual(spans('plate is seven k h like henry y five zero one'), ['seven k h like henry y five zero one']);
  });

  test('a hesitation inside a spoken number does not cut it', () => {
    assert.deepEqual(spans('my member id is two eight five uh three six three four two nine six'), ['two eight five uh three six three four two nine six']);
    assert.deepEqual(spans("yeah it's four three one hold on seven two seven sixty four twelve"), ['four three one hold on seven two seven sixty four twelve']);
    assert.deepEqual(spans('i take two uh maybe three'), []);
  });

  test('"area code" and "ending in" cue the digits after them', () => {
    assert.deepEqual(spans('area code three eighty nine and then four four one oh nine five seven', 'PHONE'), ['three eighty nine', 'four four one oh nine five seven']);
    assert.deepEqual(spans('got it the one ending in double six nine six'), ['double six nine six']);
    assert.deepEqual(spans('the movie ending in a twist'), []);
  });

  test('an age after a relative and "is", and "a hundred and two"', () => {
    assert.deepEqual(spans("she's a hundred and two", 'AGE'), ['a hundred and two']);
    assert.deepEqual(spans('my mother is ninety six and very hard of hearing', 'AGE'), ['ninety six']);
    assert.deepEqual(spans('my mother is two hours away', 'AGE'), []);
  });
});

describe('names a call says which they are (call-names.ts, R-DATA-2)', () => {
  test('the words after "first name", "last name" are that part, even when they are words', () => {
    assert.deepEqual(spans('first name jewel last name best', 'NAME'), ['jewel', 'best']);
    assert.deepEqual(spans('the last name is house spelled h o u s e', 'NAME'), ['house', 'h o u s e']);
    assert.deepEqual(spans('what is your last name please', 'NAME'), []);
  });

  test('a clinician said by role in words names the clinician', () => {
    assert.deepEqual(spans('my doctor is the p a dvorak', 'NAME'), ['dvorak']);
    assert.deepEqual(spans('i saw nurse practitioner yamamoto last week', 'NAME'), ['yamamoto']);
    assert.deepEqual(spans('the p a said to rest', 'NAME'), []);
    assert.deepEqual(spans('my doctor is the p a ball over at lakemont imaging', 'NAME'), ['ball']);
    assert.deepEqual(spans('last name best\nagent: and the date', 'NAME'), ['best']);
  });

  test('whom an appointment is with, after a time, is a name when no dictionary holds it', () => {
    assert.deepEqual(spans('we can do monday at noon with broussard', 'NAME'), ['broussard']);
    assert.deepEqual(spans('at ten thirty with insurance', 'NAME'), []);
  });
});

describe('places of care named in calls (call-places.ts, R-DATA-2)', () => {
  test('the words between a place word and a kind of place of care name it, even when they are words', () => {
    assert.deepEqual(spans('i need a ride to dialysis at copper canyon dialysis', 'LOCATION'), ['copper canyon dialysis']);
    assert.deepEqual(spans('my doctor is over at the dothan va', 'LOCATION'), ['dothan va']);
    assert.deepEqual(spans('we use ridgeview apothecary on main', 'LOCATION'), ['ridgeview apothecary']);
    assert.deepEqual(spans("it's pruitt drug on main", 'LOCATION'), ['pruitt drug']);
  });

  test('a kind of place alone, or after words that say which without naming it, is no place', () => {
    assert.deepEqual(spans('go to urgent care', 'LOCATION'), []);
    assert.deepEqual(spans('send it to the mail order pharmacy', 'LOCATION'), []);
    assert.deepEqual(spans('we go to the usual pharmacy', 'LOCATION'), []);
  });

  test('in a call the house number is the last number before the street; a lot is a unit; a p o box is cued', () => {
    assert.deepEqual(spans('the new one is eight seven south kettering loop', 'ADDRESS'), ['eight seven south kettering loop']);
    assert.deepEqual(spans('25 pecan avenue lot 368', 'ADDRESS'), ['25 pecan avenue lot 368']);
    assert.deepEqual(spans('mail goes to p o box nine five six'), ['nine five six']);
    assert.deepEqual(spans('the bus drops you off at 74678 midtvollen 130 st.', 'ADDRESS'), ['74678 midtvollen 130 st.']);
    assert.deepEqual(spans('you are booked on february twenty eighth at ten thirty the link will come', 'ADDRESS'), []);
  });

  test('a town no list holds after a street, before a ZIP code or a state', () => {
    assert.deepEqual(spans('we moved to 672 tamarack terrace coeur d alene two double one double five', 'ADDRESS'), ['672 tamarack terrace coeur d alene two double one double five']);
    assert.deepEqual(spans('i live at twelve oak street and i like it', 'ADDRESS'), ['twelve oak street']);
  });
});

describe('dates and addresses on the internet said aloud (R-DATA-2)', () => {
  test('month, day and year between "slash"es, and a month before digits said one by one', () => {
    assert.deepEqual(spans('it\'s four slash nineteen slash seventy eight', 'DATE'), ['four slash nineteen slash seventy eight']);
    assert.deepEqual(spans('sure november one four one nine eight six', 'DATE'), ['november one four one nine eight six']);
    assert.deepEqual(spans('take one slash two of a tablet', 'DATE'), []);
  });

  test('digits written in groups answer a question for the date of birth', () => {
    assert.deepEqual(spans("agent: what's your birthday\ncaller: it's 9 10 32", 'DATE'), ['9 10 32']);
  });

  test('four numbers of 0 to 255 joined by "dot" are an IP address; a version is not', () => {
    assert.deepEqual(spans('it says my ip is blocked ninety eight dot two four seven dot fifty four dot two four three', 'IP'), ['ninety eight dot two four seven dot fifty four dot two four three']);
    assert.deepEqual(spans('update to version two dot one dot three dot four', 'IP'), []);
  });

  test('a domain said with a path is a web address, and no e-mail', () => {
    assert.deepEqual(spans('the page is at caringbridge dot org slash deshawn journey and it has updates'), ['caringbridge dot org slash deshawn journey']);
    assert.deepEqual(spans('email me at john dot smith at gmail dot com', 'EMAIL'), ['john dot smith at gmail dot com']);
  });
});
