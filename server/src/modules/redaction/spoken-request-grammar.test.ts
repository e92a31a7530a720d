import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/**
 * The grammar of spoken requests (R-DATA-2, issue 30, rules written on spoken-requests-f's dev split): whom a
 * statement, a contact or a question is about, and the slots that hold a thing or a place. Each rule: a case
 * where it fires and one where it must not.
 */
function spans(text: string, label = 'NAME'): string[] {
  return detect(text).filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
}

describe('whom a spoken request is about (R-DATA-2)', () => {
  test('the subject of a statement or of "tell me when" is a person before a verb of what a person does', () => {
    assert.deepEqual(spans('khanh is coming over in twenty minutes'), ['khanh']);
    assert.deepEqual(spans('chase needs a ride on the third'), ['chase']);
    assert.deepEqual(spans('tell me when nyra gets home'), ['nyra']);
    assert.deepEqual(spans('remind me that trinity is coming next tuesday'), ['trinity']);
    assert.deepEqual(spans('mark is done'), []);
    assert.deepEqual(spans('rain is coming'), []);
    assert.deepEqual(spans('tell me when june starts'), []);
  });

  test('people no list knows, asked about where only a person can be', () => {
    assert.deepEqual(spans('how old is xi jinping'), ['xi jinping']);
    assert.deepEqual(spans('where was usain bolt born'), ['usain bolt']);
    assert.deepEqual(spans('what year was xi jinping born'), ['xi jinping']);
    assert.deepEqual(spans('who is coldplay'), []);
    assert.deepEqual(spans('how tall is mount everest'), []);
  });

  test('whom a contact is saved for, and requests to cc, tag, ring up or unfollow', () => {
    assert.deepEqual(spans('add kako email t u a n at aol dot com'), ['kako']);
    assert.deepEqual(spans('add wei with the email c b r o o k s at gmail dot com'), ['wei']);
    assert.deepEqual(spans('add milk to the list'), []);
    assert.deepEqual(spans('cc storm about the report'), ['storm']);
    assert.deepEqual(spans('ring up brenko on whatsapp'), ['brenko']);
    assert.deepEqual(spans('unfollow nylyn on facebook'), ['nylyn']);
    assert.deepEqual(spans('tag this photo'), []);
  });

  test('greetings: "hello is that …" names whom it asks for; "it\'s sunny" is the weather', () => {
    assert.deepEqual(spans('hello is that maricela stone'), ['maricela stone']);
    assert.deepEqual(spans('hello is that true'), []);
    assert.deepEqual(spans("hi it's sunny"), ['sunny']);
    assert.deepEqual(spans("it's sunny"), []);
  });

  test('given names of two syllables, possessives before a kind of thing, and a person\'s thing ends a name', () => {
    assert.deepEqual(spans('hello is this hyun woo bennett'), ['hyun woo bennett']);
    assert.deepEqual(spans('olly drinks with hyun woo on saturday'), ['hyun woo']);
    assert.deepEqual(spans('add marilyns baby shower'), ['marilyns']);
    assert.deepEqual(spans('add the kids school schedule'), []);
    assert.deepEqual(spans('answer sineads voicemail'), ['sineads']);
  });
});

describe('slots of a spoken request that hold no person (R-DATA-2)', () => {
  test('what "buy" takes, a dish after an article, a shade before a colour and a language after "in"', () => {
    assert.deepEqual(spans('buy jose cuervo to the shopping list'), []);
    assert.deepEqual(spans('buy sarah a gift'), ['sarah']);
    assert.deepEqual(spans('how do i make a bloody mary'), []);
    assert.deepEqual(spans('recipe for a charlotte russe'), []);
    assert.deepEqual(spans('set the lights to ivy green'), []);
    assert.deepEqual(spans('how do you say hello in german'), []);
    assert.deepEqual(spans('what does carpe diem mean'), []);
  });

  test('a name after "the" with no cue, a shop asked about its hours, and what is far, are no person', () => {
    assert.deepEqual(spans('tell me about the hilton in orlando'), []);
    assert.deepEqual(spans('subscribe to the bill simmons podcast'), ['bill simmons']);
    assert.deepEqual(spans('is harris teeter open'), []);
    assert.deepEqual(spans('is sarah open to it'), ['sarah']);
    assert.deepEqual(spans('how far is aurora from denver'), []);
    assert.deepEqual(spans('traffic to austin'), []);
  });
});

describe('e-mail addresses said aloud (R-DATA-2)', () => {
  test('a word before spelled letters, letters before a word, and "at the rate" for @', () => {
    assert.deepEqual(spans('add the email zudra b e n s o n at att dot net', 'EMAIL'), ['zudra b e n s o n at att dot net']);
    assert.deepEqual(spans('j a m shepherd at protonmail dot com all one word', 'EMAIL'), ['j a m shepherd at protonmail dot com']);
    assert.deepEqual(spans('email is tuan at the rate gmail dot com', 'EMAIL'), ['tuan at the rate gmail dot com']);
    assert.deepEqual(spans('uh sure w i l l b at symbol comcast dot net', 'EMAIL'), ['w i l l b at symbol comcast dot net']);
    assert.deepEqual(spans('meet me at the rate of five percent', 'EMAIL'), []);
  });
});

describe('titles and tastes in spoken requests (R-DATA-2)', () => {
  test('what a request to resume, continue or read takes is a title; a person\'s thing in the possessive keeps its person', () => {
    assert.deepEqual(spans('resume oliver twist'), []);
    assert.deepEqual(spans('read me jane eyre'), []);
    assert.deepEqual(spans("ok google continue reading charlotte's web"), []);
    assert.deepEqual(spans("read me emma kamau's work number"), ['emma kamau']);
    assert.deepEqual(spans('read me wolfgang ngos email'), ['wolfgang ngos']);
  });

  test('what the speaker likes or loves is an artist or a thing; whom they call stays a person', () => {
    assert.deepEqual(spans('i love bruno mars'), []);
    assert.deepEqual(spans("i don't like kanye west"), []);
    assert.deepEqual(spans('call adele'), ['adele']);
  });
});

describe('names that some town is called (R-DATA-2)', () => {
  test('a word no list holds but a town\'s, in a person\'s slot, is a person; after "in" or "from" a trip it stays the town', () => {
    assert.deepEqual(spans("what is chantelle's number"), ['chantelle']);
    assert.deepEqual(spans('lunch with chantelle tomorrow'), ['chantelle']);
    assert.deepEqual(spans('check the latest tweets from obama'), ['obama']);
    assert.deepEqual(spans('flights from chantelle'), []);
    assert.deepEqual(spans('photos from paris'), []);
  });
});

describe('a whole name before a possessive (R-DATA-2)', () => {
  test('the given name before a family name in the possessive before a person\'s thing is the same person\'s', () => {
    assert.deepEqual(spans("what time is kavitha sandhu's recital"), ['kavitha sandhu']);
    assert.deepEqual(spans("tracy: i'm roberto's daughter"), ['tracy', 'roberto']);
    assert.deepEqual(spans("call mom about lisa's party"), ['lisa']);
  });
});

describe('what the request grammar must leave alone (R-DATA-2)', () => {
  test('a possessive without its apostrophe before "email", a list item, a person\'s thing after "the", a caller after "it\'s"', () => {
    assert.deepEqual(spans('read johns email'), ['johns']);
    assert.deepEqual(spans('read kevin email'), ['kevin']);
    assert.deepEqual(spans('add quinoa to my shopping list'), []);
    assert.deepEqual(spans('save thabo to my contacts'), ['thabo']);
    assert.deepEqual(spans('the kevin email'), ['kevin']);
    assert.deepEqual(spans("it's mark"), ['mark']);
    assert.deepEqual(spans('give me updates from reuters'), []);
  });
});
