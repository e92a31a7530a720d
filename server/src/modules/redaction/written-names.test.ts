import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function names(text: string): string[] {
  return detect(text).filter((s) => s.label === 'NAME').map((s) => text.slice(s.start, s.end));
}

describe('names in written text (R-DATA-2)', () => {
  test('masks dialogue speakers named in line labels but not roles', () => {
    assert.deepEqual(names('Ubul: What a wife.\nNicole: Remember me?\nJohn: You saved my life!'), ['Ubul', 'Nicole', 'John']);
    assert.deepEqual(names('agent: how can i help\ncaller: i need a refill'), []);
  });

  test('reads a form field label as the question its line answers', () => {
    assert.deepEqual(names('Date: 2003-08-28\nName: Sieda Batukayev\nPhone: (99) 645-791'), ['Sieda Batukayev']);
  });

  test('masks a name with a middle initial that no gazetteer holds', () => {
    assert.deepEqual(names('Karin M. Beike will speak at the conference.'), ['Karin M. Beike']);
  });

  test('masks an unknown capitalised word before a verb but not a drug or a nationality', () => {
    assert.deepEqual(names('Shovda is very reliable.'), ['Shovda']);
    assert.deepEqual(names('Lisinopril was increased. Slovenian is spoken there.'), []);
  });

  test('masks every name of a list once one of them is a name', () => {
    assert.deepEqual(names('Our founders: Kónya, Becker and Vasquez.'), ['Kónya', 'Becker', 'Vasquez']);
  });

  test('masks the answer after a question about the name', () => {
    assert.deepEqual(names("What's your last name? Arcuri"), ['Arcuri']);
  });

  test('takes the word after a title or "named him" for a name even when it is an English word', () => {
    assert.deepEqual(names('Mr. Manning is a 85 year old man.'), ['Manning']);
    assert.deepEqual(names('She named him Frank'), ['Frank']);
    assert.deepEqual(names("I'd like to join accounts with ms. Quinzia"), ['Quinzia']);
  });

  test('keeps a family name that is also an English word after a given name or an initial', () => {
    assert.deepEqual(names('My grandmother was called Janet Burns'), ['Janet Burns']);
    assert.deepEqual(names("I'm Katie E Miles, originally from Spain."), ['Katie E Miles']);
  });

  test('leaves "I", acronyms, greetings, labels and what follows a possessive alone', () => {
    assert.deepEqual(names('My IBAN is GB59IFUE40226315499137'), []);
    assert.deepEqual(names("Hi Freddy, I'm contacting you about a problem"), ['Freddy']);
    assert.deepEqual(names("Bot: What's the name on the account? User: Vilma Holm"), ['Vilma Holm']);
    assert.deepEqual(names("the verses from Faina D. Yefremova's Cautionary Tales."), ['Faina D. Yefremova']);
  });

  test('masks a list of family names when one of them is no English word, but not a list of words', () => {
    assert.deepEqual(names('Our 3 founders: Monjeau, Graves and Reed.'), ['Monjeau', 'Graves', 'Reed']);
    assert.deepEqual(names('We sell Red, White and Blue flags.'), []);
  });

  test('masks a name said with a middle initial in lower case', () => {
    assert.deepEqual(names('follow up with benjamin a seiler in a couple of months'), ['benjamin a seiler']);
  });

  test('takes no heading of a clinical note for a speaker, and no state for a name', () => {
    const note = 'CC: chest pain\nMeds: Lisinopril 10 mg daily, Metformin 500 mg BID\nDx: NSTEMI\nNeuro: A&O x3\nPlan: Follow up with Dr. Patel in 2 weeks.';
    assert.deepEqual(names(note), ['Patel']);
    assert.ok(!names('Patient seen with daughter Maria. Lives in Dayton, Ohio.').includes('Ohio'));
  });
});
