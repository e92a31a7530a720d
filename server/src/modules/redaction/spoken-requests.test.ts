import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/** Spoken requests to a voice assistant (R-DATA-2, issue 30): each rule, a case where it fires and one where it must not. */
function spans(text: string, label = 'NAME'): string[] {
  return detect(text).filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
}

describe('whom a spoken request is for (R-DATA-2)', () => {
  test('more ways to reach someone name a person: sms, facetime, composing a mail, being put through, a wake word before', () => {
    assert.deepEqual(spans('sms kavitha saying the game got moved'), ['kavitha']);
    assert.deepEqual(spans('ok google facetime quang'), ['quang']);
    assert.deepEqual(spans('compose a mail to kenta regarding the lease'), ['kenta']);
    assert.deepEqual(spans('could you put me through to mike please'), ['mike']);
    assert.deepEqual(spans('could you put me through to the front desk'), []);
  });

  test('whom things are shared with, who is picked up or thanked, and a contact updated are people', () => {
    assert.deepEqual(spans('share the photos with rose'), ['rose']);
    assert.deepEqual(spans('share the photos with everyone'), []);
    assert.deepEqual(spans('set a reminder to pick up siobhan at noon'), ['siobhan']);
    assert.deepEqual(spans('pick up the kids at noon'), []);
    assert.deepEqual(spans('update the contact arash'), ['arash']);
  });

  test('whom one is meeting or going to see is a person; a team or a doctor is none', () => {
    assert.deepEqual(spans("i'm meeting lily at macy's on the fifteenth"), ['lily']);
    assert.deepEqual(spans('going to see ruby at panera this weekend'), ['ruby']);
    assert.deepEqual(spans("i'm meeting the team at noon"), []);
  });

  test('a name after "my" and a relation of everyday life (coworker, roommate, coach) is a person; the relation alone is none', () => {
    assert.deepEqual(spans('call my coworker folake'), ['folake']);
    assert.deepEqual(spans('my roommate bronwen asked where the charger is'), ['bronwen']);
    assert.deepEqual(spans('call my boss'), []);
  });

  test('a greeting of the time of day names whom it greets by a known given name; an agent\'s organisation after it is none', () => {
    assert.deepEqual(spans('good afternoon hunter this is siobhan calling back'), ['hunter', 'siobhan']);
    assert.deepEqual(spans('good morning how are you'), []);
    assert.deepEqual(spans("good afternoon lakeside you're speaking with marguerite how can i help"), ['marguerite']);
  });

  test('after a title, a family name that is also a word is the name (clergy and coaches are titles too)', () => {
    assert.deepEqual(spans('call miss crane'), ['crane']);
    assert.deepEqual(spans('email mr sparrow tomorrow'), ['sparrow']);
    assert.deepEqual(spans('text pastor baker'), ['baker']);
    assert.deepEqual(spans('the crane lifted the beam'), []);
  });
});

describe('possessives and verbs in spoken requests (R-DATA-2)', () => {
  test('a possessive before a word that says which of a person\'s things, or a given name that is a word before one, is a person', () => {
    assert.deepEqual(spans("look up oksana's work number"), ['oksana']);
    assert.deepEqual(spans("what's on rich's appointment"), ['rich']);
    assert.deepEqual(spans('look up the work number'), []);
  });

  test('a name in the possessive that owns nothing after it is a shop or restaurant, not a person', () => {
    assert.deepEqual(spans("text wendy's"), []);
    assert.deepEqual(spans("dinner with lily at macy's on friday"), ['lily']);
    assert.deepEqual(spans("call wendy's mom"), ['wendy']);
  });

  test('the subject of a question before a verb only a person does is a person, even when no list knows the name', () => {
    assert.deepEqual(spans('did quang email me'), ['quang']);
    assert.deepEqual(spans('when did niamh post anything new'), ['niamh']);
    assert.deepEqual(spans('did bitcoin crash'), []);
  });
});

describe('places, songs and messages in spoken requests (R-DATA-2)', () => {
  test('a town after a place word in a request about weather, travel or a town\'s facts is the place asked about, no PHI', () => {
    assert.deepEqual(spans('what is the population of austin'), []);
    assert.deepEqual(spans('what is the population of austin', 'LOCATION'), []);
    assert.deepEqual(spans('find flights from troy to victoria at noon'), []);
    assert.deepEqual(spans('find flights from troy to victoria at noon', 'LOCATION'), []);
  });

  test('a town tied to the person stays PHI, and a request with no place word keeps the name', () => {
    assert.deepEqual(spans('i live in austin', 'LOCATION'), ['austin']);
    assert.deepEqual(spans('i moved to boise last year and the weather is cold', 'LOCATION'), ['boise']);
    assert.deepEqual(spans("text austin that i'm late"), ['austin']);
    // A ride to care is no request about travel: the caller's town stays.
    assert.deepEqual(spans('i need a ride to my appointment in boise', 'LOCATION'), ['boise']);
  });

  test('a name in a question about who sang is a song\'s; a voicemail played is a caller\'s message, not music', () => {
    assert.deepEqual(spans('who sang rosanna'), []);
    assert.deepEqual(spans('play the voicemail from rizodel'), ['rizodel']);
    assert.deepEqual(spans('play some rizodel'), []);
  });
});

describe('e-mail addresses said aloud in requests (R-DATA-2)', () => {
  test('a number said with "thousand", an initial before the name, and a domain heard as two words are part of the address', () => {
    assert.deepEqual(spans('add siobhan two thousand at icloud dot com', 'EMAIL'), ['siobhan two thousand at icloud dot com']);
    assert.deepEqual(spans('send an email to t mcgrath at yahoo dot com', 'EMAIL'), ['t mcgrath at yahoo dot com']);
    assert.deepEqual(spans('add wojciech dot hope at proton mail dot com', 'EMAIL'), ['wojciech dot hope at proton mail dot com']);
  });

  test('"at the …" starts no domain, and the "s" of "it\'s" is no initial', () => {
    assert.deepEqual(spans("i'm at the office dot com", 'EMAIL'), []);
    assert.deepEqual(spans("yes it's beatriz dot asante at example dot org", 'EMAIL'), ['beatriz dot asante at example dot org']);
  });
});

describe('people asked about and whom events and messages are with (R-DATA-2, issue 30)', () => {
  test('a person asked about whose family name is a word is named whole; a given name before a thing is none', () => {
    assert.deepEqual(spans('who is rose byrne married to'), ['rose byrne']);
    assert.deepEqual(spans('tell me some facts about jack black'), ['jack black']);
    assert.deepEqual(spans('who was cleopatra dating'), ['cleopatra']);
    assert.deepEqual(spans('when is bill due'), []);
  });

  test('in a question about films the actor asked about is a person; an artist played is none', () => {
    assert.deepEqual(spans('which films has helen mirren directed'), ['helen mirren']);
    assert.deepEqual(spans('list the movies of kevin bacon'), ['kevin bacon']);
    assert.deepEqual(spans('play a song by kevin bacon'), []);
  });

  test('the owner of a playlist, a favourite song or a timeline is a person, even in a request to play', () => {
    assert.deepEqual(spans("put on marguerite's playlist"), ["marguerite"]);
    assert.deepEqual(spans("play dmitri's favorite song"), ['dmitri']);
    assert.deepEqual(spans("post on folake's wall happy birthday"), ['folake']);
    assert.deepEqual(spans("play taylor swift's new album"), []);
  });

  test('whom an event or a message is with, to or from is a person; a place or a thing there is none', () => {
    assert.deepEqual(spans('create an event with oyelaran on friday'), ['oyelaran']);
    assert.deepEqual(spans('new message to ikaika that practice moved'), ['ikaika']);
    assert.deepEqual(spans('book a table for me and ziggy'), ['ziggy']);
    assert.deepEqual(spans('am i seeing hope tomorrow'), ['hope']);
    assert.deepEqual(spans('new contact tadhg'), ['tadhg']);
    assert.deepEqual(spans('block out time for lunch'), []);
    assert.deepEqual(spans('new email to the landlord'), []);
  });
});

describe('subjects, hosts, holidays and countries in spoken requests (R-DATA-2, issue 30)', () => {
  test('the subject of what someone posted or said is a person; a thing there is none', () => {
    assert.deepEqual(spans('read me what tevita tweeted yesterday'), ['tevita']);
    assert.deepEqual(spans('tell me what grace said about dinner'), ['grace']);
    assert.deepEqual(spans('what time is it'), []);
  });

  test('someone whose birthday, age or films are asked about is a person even when no list knows the name', () => {
    assert.deepEqual(spans('what is the birthday of oyelowo'), ['oyelowo']);
  });

  test('an artist listened to is none; a podcast\'s host in the possessive is a person', () => {
    assert.deepEqual(spans('i want to listen to hozier'), []);
    assert.deepEqual(spans("listen to ezra klein's latest podcast"), ['ezra klein']);
  });

  test('a holiday or a country some lists hold as a given name is no one\'s name; a person after "details of" stays', () => {
    assert.deepEqual(spans('how many days until easter'), []);
    assert.deepEqual(spans('make a list named christmas gifts'), []);
    assert.deepEqual(spans('who is the prime minister of india'), []);
    assert.deepEqual(spans('give me the details of allen from my contacts'), ['allen']);
  });
});
