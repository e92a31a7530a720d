import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/** Each rule: a case where it fires and one where it must not (R-DATA-2). */
function spans(text: string, label = 'NAME'): string[] {
  return detect(text).filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
}

describe('given and family names from the lexicons (R-DATA-2)', () => {
  test('a given name of the Moby lists that no dictionary holds is a name wherever it stands', () => {
    assert.deepEqual(spans('caller: can i talk to padraig morris'), ['padraig morris']);
    assert.deepEqual(spans('caller: hi is this padraig'), ['padraig']);
  });

  test('a given name that is also a word is a name only after a greeting or a request', () => {
    assert.deepEqual(spans('agent: hello is this wren ngo'), ['wren ngo']);
    assert.deepEqual(spans('agent: hi dot it\'s the front desk calling'), ['dot']);
    assert.deepEqual(spans('the wren sang all morning'), []);
  });

  test('a family name that is also a word follows a cued given name, not an uncued one', () => {
    assert.deepEqual(spans('caller: this is luis bush i have a question'), ['luis bush']);
    assert.deepEqual(spans("caller: i'm calling for my aunt carmen long her date of birth"), ['carmen long']);
    assert.deepEqual(spans('caller: this is werzar banks and i need to reschedule'), ['werzar banks']);
    assert.deepEqual(spans('i saw carmen long ago'), ['carmen']);
  });

  test('a business, a brand or a currency starts no name', () => {
    assert.deepEqual(spans('call walmart'), []);
    assert.deepEqual(spans('hi it\'s comcast calling about your bill'), []);
    assert.deepEqual(spans('what\'s the dow jones at today'), []);
    assert.deepEqual(spans('call paris hilton'), ['paris hilton']);
  });
});

describe('spoken names by their frame (R-DATA-2)', () => {
  test('a name before a business\'s word is the business\'s ("brightwell dental"), not before other words', () => {
    assert.deepEqual(spans('call brightwell dental'), []);
    assert.deepEqual(spans('hello is this quelton family medicine'), []);
    assert.deepEqual(spans('call kaiser permanente'), []);
    assert.deepEqual(spans('call bob about the dental appointment'), ['bob']);
    assert.deepEqual(spans("get me updates from kenny's facebook from the weekend"), ['kenny']);
  });

  test('departments and saints are no one asked for', () => {
    assert.deepEqual(spans('email hr about the schedule'), []);
    assert.deepEqual(spans('call st marys'), []);
    assert.deepEqual(spans('email hiroshi about the schedule'), ['hiroshi']);
  });

  test('the agent\'s name between the organisation and the offer of help', () => {
    assert.deepEqual(spans('agent: lakeside haruka how can i help'), ['haruka']);
    assert.deepEqual(spans('agent: thank you for calling riverside haruto speaking what can i do for you'), ['haruto']);
    assert.deepEqual(spans('agent: lakeside community health jack how may i help you'), ['jack']);
    assert.deepEqual(spans('agent: thanks for calling brightwell how can i help'), []);
    assert.deepEqual(spans('agent: hi how can i help'), []);
  });

  test('whom a caller is looking for or asks to talk to', () => {
    assert.deepEqual(spans("agent: hi i'm calling from lakeside looking for minjun okafor please"), ['minjun okafor']);
    assert.deepEqual(spans("caller: i'm looking for pizza near me"), []);
  });

  test('a town\'s name right after "call", "email" or "text" is the person asked for; after "in" the town', () => {
    assert.deepEqual(spans('remind me to email ngozi at five'), ['ngozi']);
    assert.deepEqual(spans('what\'s the weather in ngozi'), []);
    // The town a weather request asks about is no one's PHI (evidence.ts placeRequest).
    assert.deepEqual(spans('what\'s the weather in ngozi', 'LOCATION'), []);
  });
});

describe('names in clinical notes by their cue (R-DATA-2)', () => {
  test('"re:" after a relative\'s name is no part of it, and a relation word is no later name', () => {
    assert.deepEqual(spans("Returned call from pt's wife Bill re: lab results."), ['Bill']);
    assert.deepEqual(spans("Returned call from pt's HCP Dmitri re: lab results.\nEmergency contact: HCP Robert."), ['Dmitri', 'Robert']);
  });

  test('a given name that is also a unit of care or a modal verb after a relation word', () => {
    assert.deepEqual(spans('Social: son ed visited this eve'), ['ed']);
    assert.deepEqual(spans('SOCIAL: NEPHEW WILL SHARP CALLED'), ['WILL SHARP']);
    assert.deepEqual(spans('Pt transferred to ED for CT.'), []);
    assert.deepEqual(spans("Pt's wife will call back."), []);
  });

  test('a family name that is also a word after a doctor\'s title, before a degree, after a cued given name', () => {
    assert.deepEqual(spans('Pager for covering MD Dr. Strong: 124-1837.'), ['Strong']);
    assert.deepEqual(spans('f/u 2140-05-24 at Plainview Hospital. -- Art Banks, RN\n'), ['Art Banks']);
    assert.deepEqual(spans('daughter sue rich in from Fenyenborough.'), ['sue rich']);
    assert.deepEqual(spans('Pt comfortable, RN aware.'), []);
    assert.deepEqual(spans('daughter sue at bedside.'), ['sue']);
  });

  test('a family name that is also a word after a title and a given name in written text', () => {
    assert.deepEqual(spans('HISTORY: Mr. Summer Rich is a 26-year-old man.'), ['Summer Rich']);
    assert.deepEqual(spans('Summer Rich is a 26-year-old man.'), []);
  });
});

describe('spoken names: subjects, whose things, places of several words (R-DATA-2, issue 30)', () => {
  test('a given name, even one that is a word, is the subject of a question opened by an auxiliary', () => {
    assert.deepEqual(spans('did mark post anything new on facebook'), ['mark']);
    assert.deepEqual(spans('does bob live in france'), ['bob']);
    assert.deepEqual(spans('tell me when will grant arrive'), ['grant']);
    // A common noun there takes a determiner; a word no list knows needs a verb in "-ing" after it.
    assert.deepEqual(spans('did the mail come today'), []);
    assert.deepEqual(spans('what is barack obama doing right now'), ['barack obama']);
    assert.deepEqual(spans('what is bitcoin'), []);
    // Not after other words ("the bill is" has no auxiliary before the name).
    assert.deepEqual(spans('how much is bill gonna be'), []);
    assert.deepEqual(spans('where is mark going'), ['mark']);
    assert.deepEqual(spans('i will mark it as done'), []);
    // After a question's phrase ("how many runs did …"), and two words no dictionary holds after an
    // auxiliary of action; one such word is a thing asked about.
    assert.deepEqual(spans('what time does bob leave'), ['bob']);
    assert.deepEqual(spans('how many runs did cheteshwar pujara score yesterday'), ['cheteshwar pujara']);
    assert.deepEqual(spans('did bitcoin crash'), []);
    assert.deepEqual(spans('what is burmuda tiangle'), []);
  });

  test('"what is" alone asks about anything; before a possessive and a person\'s thing it asks about a person', () => {
    assert.deepEqual(spans('what is burmuda tiangle'), []);
    assert.deepEqual(spans("what's walt's email"), ['walt']);
    assert.deepEqual(spans("what's tran's email"), ['tran']);
    assert.deepEqual(spans("what is john's last name"), ['john']);
    assert.deepEqual(spans("did you see bill's wife"), ['bill']);
    assert.deepEqual(spans("what is the bill's last line"), []);
  });

  test('a given name after a person\'s thing and "for" or "of" is whose thing it is', () => {
    assert.deepEqual(spans('find the new email address for bill that i added friday'), ['bill']);
    assert.deepEqual(spans('what is the phone number of grant'), ['grant']);
    assert.deepEqual(spans('find the address for the event'), []);
    assert.deepEqual(spans('a bill for the phone'), []);
  });

  test('a word inside or at the head of a place of several words is the place\'s, not a name', () => {
    assert.deepEqual(spans('what is the time in new york'), []);
    assert.deepEqual(spans('how many people live in san francisco'), []);
    assert.deepEqual(spans('where is north dakota'), []);
    assert.deepEqual(spans('call francisco about the new account'), ['francisco']);
  });

  test('a country that is also a word, said with no place word before it, is the word', () => {
    assert.deepEqual(spans('bring up a recipe for turkey meatballs', 'LOCATION'), []);
    assert.deepEqual(spans('add to the calendar a reunion event', 'LOCATION'), []);
    assert.deepEqual(spans('we are moving to turkey', 'LOCATION'), ['turkey']);
    assert.deepEqual(spans('latest news from guam', 'LOCATION'), ['guam']);
    // A business named after the place keeps it masked.
    assert.deepEqual(spans('thanks for calling riverside health partners', 'LOCATION'), ['riverside']);
  });

  test('a given name that a dictionary holds needs a cue or a family name; one no dictionary holds does not', () => {
    assert.deepEqual(spans('siri cancel yoga alarms'), []);
    assert.deepEqual(spans('how many times has it gone diamond'), []);
    assert.deepEqual(spans('call diamond about the lease'), ['diamond']);
    assert.deepEqual(spans('set a meeting with jay tomorrow'), ['jay']);
    assert.deepEqual(spans('i want to find emails from claire'), ['claire']);
    assert.deepEqual(spans('did claire write'), ['claire']);
  });

  test('a given name after "if" before an auxiliary or a verb in "-ed" is the clause\'s subject', () => {
    assert.deepEqual(spans('ask her if dean turned in his homework'), ['dean']);
    assert.deepEqual(spans('tell me if bob has called'), ['bob']);
    assert.deepEqual(spans('tell me if grant is coming'), ['grant']);
    assert.deepEqual(spans('check if the bill has been paid'), []);
  });

  test('whom messages come from is a person even when some town is called so; flights from there are from the town', () => {
    assert.deepEqual(spans('just let me know new emails from sara'), ['sara']);
    assert.deepEqual(spans('any flights from sara'), []);
  });

  test('a relative "of" someone names a person, even one called like a town', () => {
    assert.deepEqual(spans('who is the wife of obama'), ['obama']);
    assert.deepEqual(spans('the mother of ngozi called'), ['ngozi']);
    assert.deepEqual(spans('who is the son of god'), []);
  });

  test('a month is no given name without a cue, and no middle initial comes before a weekday', () => {
    assert.deepEqual(spans('is the twenty third of april a saturday'), []);
    assert.deepEqual(spans('update on april the giraffe'), []);
    assert.deepEqual(spans('my daughter april is sick'), ['april']);
    assert.deepEqual(spans('benjamin a seiler called'), ['benjamin a seiler']);
  });
});
