import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/**
 * Who stands in a spoken request's person slot, and what stands there that is no one (R-DATA-2, issue 30):
 * each rule with a case where it fires and one where it must not.
 */
function names(text: string): string[] {
  return detect(text).filter((s) => s.label === 'NAME').map((s) => text.slice(s.start, s.end));
}

describe('evidence for a person in a spoken request (R-DATA-2)', () => {
  test('whom a booking or an order is under is a person; what it is under otherwise is none', () => {
    assert.deepEqual(names('book a table for six under ravindra'), ['ravindra']);
    assert.deepEqual(names('everything is under the name okafor'), ['okafor']);
    assert.deepEqual(names('the order is under review'), []);
  });

  test('whom a thing is sent, forwarded or passed to is a person; a device or a place is none', () => {
    assert.deepEqual(names('send the slides to oyelowo tonight'), ['oyelowo']);
    assert.deepEqual(names('send this file to bill'), ['bill']);
    assert.deepEqual(names('send this to the printer'), []);
  });

  test('pinging, informing, making a call to, shooting a text to and letting know name a person; what a text is sent as is none', () => {
    assert.deepEqual(names('ping sunil'), ['sunil']);
    assert.deepEqual(names('inform jeet that the meeting is off'), ['jeet']);
    assert.deepEqual(names('make a call to sowmya'), ['sowmya']);
    assert.deepEqual(names('shoot a text to boomer'), ['boomer']);
    assert.deepEqual(names('let jimbo know we are leaving'), ['jimbo']);
    assert.deepEqual(names('send sms to kiran'), ['kiran']);
    assert.deepEqual(names('ping the server'), []);
    assert.deepEqual(names('let me know'), []);
  });

  test('a tweet, a complaint or a review is sent to a business\'s account, not a person', () => {
    assert.deepEqual(names('send a tweet to quibi saying the app crashed'), []);
  });

  test('whom a song or a playlist is shared with or sent to is a person, not an artist; who sings it is none', () => {
    assert.deepEqual(names('share this playlist with sam and jason'), ['sam', 'jason']);
    assert.deepEqual(names('send this song to bill'), ['bill']);
    assert.deepEqual(names('play a song by sam smith'), []);
  });

  test('"will" in a person slot is a name; "will" before what it will do is a verb', () => {
    assert.deepEqual(names('may i speak with will'), ['will']);
    assert.deepEqual(names('hey is this will novakova speaking'), ['will novakova']);
    assert.deepEqual(names('ask will to bring chips'), ['will']);
    assert.deepEqual(names('hello will you be there'), []);
    assert.deepEqual(names('text me if it will rain'), []);
  });

  test('a list of names goes on after "and also"', () => {
    assert.deepEqual(names('schedule lunch with rosa and also tadhg'), ['rosa', 'tadhg']);
  });

  test('whom a caller is calling for or about is a person; a refill is none', () => {
    assert.deepEqual(names("hi it's dervla calling about ngozika"), ['dervla', 'ngozika']);
    assert.deepEqual(names('calling about the refill'), []);
  });

  test('an introduction written without its apostrophe ("its", "im") names the speaker; "its" before a word is none', () => {
    assert.deepEqual(names('hey bronagh its oyinda from the gym'), ['bronagh', 'oyinda']);
    assert.deepEqual(names('hello jessica im wiremu'), ['jessica', 'wiremu']);
    assert.deepEqual(names('its raining again'), []);
  });

  test('judges, officers and detectives are titles: the word after them is a name, the title alone is none', () => {
    assert.deepEqual(names('is judge adeyemi in court today'), ['adeyemi']);
    assert.deepEqual(names('ask officer kamau about the report'), ['kamau']);
    assert.deepEqual(names('ask the judge about the report'), []);
  });

  test('a name after a step-relative or a sponsor is a person; the relation alone is none', () => {
    assert.deepEqual(names('my stepmom oyinda wants to know when dinner is'), ['oyinda']);
    assert.deepEqual(names('call my stepdad'), []);
  });

  test('a possessive written without its apostrophe before a person\'s thing is a person\'s name; a thing\'s is none', () => {
    assert.deepEqual(names("what's chases email address"), ['chases']);
    assert.deepEqual(names('when is olamides graduation'), ['olamides']);
    assert.deepEqual(names("what's the business address"), []);
    assert.deepEqual(names('send my parents address'), []);
  });
});

describe('evidence against a person in a spoken request (R-DATA-2)', () => {
  test('a word of the family said in place of a name is no name; a name after a request is', () => {
    assert.deepEqual(names('call nana on speaker'), []);
    assert.deepEqual(names('text auntie that we landed'), []);
    assert.deepEqual(names('email hubby'), []);
    assert.deepEqual(names('text anneliese that we landed'), ['anneliese']);
  });

  test('a word asked about in a question about words is no name; the same word in a request is', () => {
    assert.deepEqual(names('define kimberly'), []);
    assert.deepEqual(names('what does frank mean'), []);
    assert.deepEqual(names('what rhymes with jessica'), []);
    assert.deepEqual(names('how do you say melissa in spanish'), []);
    assert.deepEqual(names('text grace that we landed'), ['grace']);
  });

  test('a song or an artist put on or skipped at the start of a request is none; whom a message is for is', () => {
    assert.deepEqual(names('put on valerie'), []);
    assert.deepEqual(names('skip jolene'), []);
    assert.deepEqual(names('tell valerie we are late'), ['valerie']);
  });

  test('a holiday named after someone is no one\'s name', () => {
    assert.deepEqual(names('is the library open on martin luther king day'), []);
    assert.deepEqual(names('call martin about the party'), ['martin']);
  });

  test('a dish or a product named after someone is no one\'s name; the same name in a request is', () => {
    assert.deepEqual(names('find a recipe for peach melba'), []);
    assert.deepEqual(names('buy jimmy dean sausage'), []);
    assert.deepEqual(names('put basil pesto on the list'), []);
    assert.deepEqual(names('add mac and cheese to the list'), []);
    assert.deepEqual(names('call basil at noon'), ['basil']);
  });

  test('a title after an article is a role, not before a name', () => {
    assert.deepEqual(names('ask the officer on duty'), []);
    assert.deepEqual(names('ask officer quispe'), ['quispe']);
  });
});
