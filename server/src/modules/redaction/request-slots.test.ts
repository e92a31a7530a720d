import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

/**
 * Slots of a spoken request that hold no person (R-DATA-2, issue 30; request-slots.ts): each rule with a
 * case where it fires and one where it must not.
 */
function spans(text: string, label: string): string[] {
  return detect(text).filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
}
const names = (text: string) => spans(text, 'NAME');

describe('slots of a spoken request that hold no person (R-DATA-2)', () => {
  test('a town that is also a given name, where a trip goes or starts, is a place', () => {
    assert.deepEqual(names('alexa get me a bus from troy to victoria at noon'), []);
    assert.deepEqual(spans('how do i get to victoria', 'LOCATION'), ['victoria']);
    assert.deepEqual(names('how far is it from alexandria to augusta this afternoon'), []);
    // A request to send or call keeps its person; so does a possessive.
    assert.deepEqual(names('send the tickets to victoria'), ['victoria']);
    assert.deepEqual(names('drive to victoria\'s house'), ['victoria']);
  });

  test('where a route goes is a place or a business; a possessive there stays a person\'s', () => {
    assert.deepEqual(names('navigate to ruby tuesday'), []);
    assert.deepEqual(names('navigate to oksana\'s house'), ['oksana']);
  });

  test('a business named in the possessive is no town', () => {
    assert.deepEqual(detect('add the car wash at chili\'s tonight'), []);
  });

  test('a name before a venue\'s word is the venue\'s; a family name that is also such a word stays a name', () => {
    assert.deepEqual(names('ok google tickets for victoria station'), []);
    assert.deepEqual(names('is there parking at madison square garden'), []);
    assert.deepEqual(names('call monty hall'), ['monty hall']);
  });

  test('what "skip", "put on" or "queue" takes and a title said with its artist are a song and an artist', () => {
    assert.deepEqual(names('put on billie jean again'), []);
    assert.deepEqual(names('skip jack and diane by billie eilish'), []);
    assert.deepEqual(names('add roxanne by the eagles'), []);
    // Whom the request sends to stays a person; "add" without an artist is left to the name rules.
    assert.deepEqual(names('skip this and send it to sam'), ['sam']);
    assert.deepEqual(names('add rosalind to my contacts'), ['rosalind']);
  });

  test('a setting after "turn … to" is a setting; whom a thing is turned over to is a person', () => {
    assert.deepEqual(names('turn the fan to max'), []);
    assert.deepEqual(names('text max that the fan is on'), ['max']);
  });

  test('two names joined by "and" before a possessive that owns nothing are a business', () => {
    assert.deepEqual(names('how late is ben and jerry\'s open on sunday'), []);
    assert.deepEqual(names('add ben and jerry\'s to the shopping list'), []);
    assert.deepEqual(names('what time is ben and jerry\'s party'), ['ben', 'jerry']);
  });

  test('a business\'s or an app\'s name that is also a given name needs a cue', () => {
    assert.deepEqual(names('launch pandora on the tv'), []);
    assert.deepEqual(names('call pandora at five'), ['pandora']);
    assert.deepEqual(names('schedule service for my mercedes on friday'), []);
    assert.deepEqual(names('call mercedes at noon'), ['mercedes']);
  });

  test('a name said with no cue before a word of a title or an app is the title\'s; after a request the person stays', () => {
    assert.deepEqual(names('what is the nearest theatre that plays the new vin diesel movie'), []);
    assert.deepEqual(names('start reading that alan partridge book'), []);
    assert.deepEqual(names('email sarah book club details'), ['sarah']);
  });

  test('a thing put on a list of things or taken off it is no person; a list of people keeps its person', () => {
    assert.deepEqual(names('add nina to my shopping list'), []);
    assert.deepEqual(names('please add tom to my contact list'), ['tom']);
    assert.deepEqual(names('add lunch with sam to my to do list'), ['sam']);
  });

  test('a town asked about in a request about the time, the weather, parking or a distance is no one\'s', () => {
    assert.deepEqual(detect('what time is it in quito'), []);
    assert.deepEqual(detect('is there parking at the fox theatre in lisbon'), []);
    // A town tied to the person stays.
    assert.deepEqual(spans('what time is it here i live in quito', 'LOCATION'), ['quito']);
  });

  test('the dish a question about food names is no person and no town', () => {
    assert.deepEqual(detect('how many calories in margherita pizza'), []);
    assert.deepEqual(names('find me a recipe for ramona'), []);
    assert.deepEqual(names('find me a recipe ramona sent'), ['ramona']);
  });

  test('a podcast ends its host\'s name; a word of the family is no town', () => {
    assert.deepEqual(names('subscribe to the bill simmons podcast'), ['bill simmons']);
    assert.deepEqual(spans('email the message hi come down for dinner tonight to bro', 'LOCATION'), []);
  });
});
