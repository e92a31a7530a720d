// The patient's own fields in every form a call says them (R-AI-1, R-AI-2; patient-forms.ts), with
// look-alikes that must stay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatientForms } from './patient-forms.ts';

const forms = new PatientForms({
  givenName: 'Robert', familyName: "O'Brien-Miller", dateOfBirth: '1961-03-04', phone: '+15035550142', ssn: '900-12-3456', zip: '97353',
  mrn: 'MRN-0012A', memberNumber: '9DV2PE4JE25', email: 'bob.obrien72@mail.example.com', addressLine: '1234 North Alder Street Apt 5B', city: 'Lake Oswego',
});
const said = (text: string) => forms.spans(text).map((s) => `${s.cls}:${text.slice(s.start, s.end)}`);

test('names: case, accents, possessive, apostrophe said or not, parts alone, spelled out, nicknames that are no English word', () => {
  assert.deepEqual(said("ROBERT o'brien-miller"), ['PATIENT:ROBERT', "PATIENT:o'brien-miller"].flatMap((x) => (x.includes('-') ? ["PATIENT:o'brien", 'PATIENT:miller'] : [x])));
  assert.deepEqual(said("it's obrien, miller's file"), ['PATIENT:obrien', "PATIENT:miller's"]);
  assert.deepEqual(said('o brien'), ['PATIENT:brien']);
  assert.deepEqual(said('that is m i double l e r okay'), ['PATIENT:m i double l e r']);
  assert.deepEqual(said('b as in boy r i e n'), ['PATIENT:b as in boy r i e n']);
  assert.deepEqual(said('hi bobby'), ['PATIENT:bobby']);
  assert.deepEqual(said('i will pay the bill'), [], 'a nickname that is an English word stays');
  assert.deepEqual(new PatientForms({ givenName: 'José' }).spans('jose and JOSÉ').length, 2);
});

test('a nickname that is an English word where it names the patient: before a name of theirs, after a greeting, a name cue or a title', () => {
  assert.deepEqual(said('this is bob miller'), ['PATIENT:bob', 'PATIENT:miller']);
  assert.deepEqual(said('hi rob thanks for calling'), ['PATIENT:rob']);
  assert.deepEqual(said("it's rob again"), ['PATIENT:rob']);
  assert.deepEqual(said('you can ask for bert at the desk, or call me bob'), ['PATIENT:bert', 'PATIENT:bob']);
  assert.deepEqual(said('rob speaking'), ['PATIENT:rob']);
  assert.deepEqual(said('they rob you at the pharmacy, bob the tube'), [], 'the words stay elsewhere');
  assert.deepEqual(new PatientForms({ givenName: 'William' }).spans('i will pay the bill, what is this bill for').length, 0);
});

test('the date of birth in any order and spelling; other dates stay', () => {
  for (const d of ['march 4th 1961', 'March 4, 1961', '3/4/61', '03-04-1961', '1961-03-04', 'the fourth of march nineteen sixty one', 'march the fourth sixty one',
    'oh three oh four sixty one', 'zero three zero four one nine six one', 'three four nineteen sixty one', '4 March 1961', 'march fourth']) {
    const s = said(`born ${d} ok`);
    assert.ok(s.some((x) => x.startsWith('DATE:') && x.length >= `DATE:${d}`.length - 4), `${d}: ${JSON.stringify(s)}`);
  }
  for (const d of ['march 5th 1961', 'april fourth', '3/4/62', 'three four', 'the fourth']) assert.deepEqual(said(d).filter((x) => x.startsWith('DATE:')), [], d);
});

test('digits with any separators or spoken; words of the e-mail, street and city in order', () => {
  assert.deepEqual(said('call 503-555-0142 or five five five oh one four two'), ['PHONE:503-555-0142', 'PHONE:five five five oh one four two']);
  assert.deepEqual(said('five oh three double five five zero one forty two'), ['PHONE:five oh three double five five zero one forty two']);
  assert.deepEqual(said('last four three four five six'), ['SSN:three four five six']);
  assert.deepEqual(said('nine seven three five three'), ['LOCATION:nine seven three five three']);
  assert.deepEqual(said('m r n zero zero one two a'), ['MRN:m r n zero zero one two a']);
  assert.deepEqual(said('nine d v two p e four j e as in edward two five'), ['MEMBER_ID:nine d v two p e four j e as in edward two five']);
  assert.deepEqual(said('bob dot obrien seventy two at mail dot example dot com').filter((x) => !x.startsWith('PATIENT')), ['EMAIL:bob dot obrien seventy two at mail dot example dot com']);
  assert.deepEqual(said('twelve thirty four north alder st apartment five b in lake oswego').filter((x) => !x.startsWith('PATIENT')), ['ADDRESS:north alder st', 'LOCATION:lake oswego']);
  assert.deepEqual(said('the alder tree by the lake'), []);
});
