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

  test('a country or a continent said with no cue is the place; a request, a list of names or a possessive keeps the person', () => {
    assert.deepEqual(detect('tell me something about america'), []);
    assert.deepEqual(names('what is the capital of jordan'), []);
    assert.deepEqual(names('find me a ride to the mall of america please'), []);
    assert.deepEqual(names('call jordan'), ['jordan']);
    assert.deepEqual(names('what is jordan\'s birthday'), ['jordan']);
    assert.deepEqual(names('they had 6: silvana, adam, chad and caleb.'), ['silvana', 'adam', 'chad', 'caleb']);
  });

  test('a name after an article is a hotel\'s, a drink\'s or a landmark\'s; a person\'s work or show after it keeps the person', () => {
    assert.deepEqual(names('book a room at the hilton'), []);
    assert.deepEqual(names('how do you make a tom collins'), []);
    assert.deepEqual(names('i need a reservation at the ritz carlton'), []);
    assert.deepEqual(names('visit the lincoln memorial'), []);
    assert.deepEqual(names('book a room with sarah'), ['sarah']);
    assert.deepEqual(names('the frank freud version recorded for datamade'), ['frank freud']);
  });

  test('what "watch" takes and what follows "the trailer for" or "a new season of" is a title; whom one watches with is a person', () => {
    assert.deepEqual(names('watch forrest gump'), []);
    assert.deepEqual(names('show me the trailer for annie'), []);
    assert.deepEqual(names('is there a new season of sherlock'), []);
    assert.deepEqual(names('watch a movie with annie tonight'), ['annie']);
  });

  test('a town before its state is the town; "washington" after a given name stays a family name\'s place', () => {
    assert.deepEqual(spans('how much traffic does atlanta georgia usually have', 'LOCATION'), ['atlanta']);
    assert.deepEqual(names('how much traffic does atlanta georgia usually have'), []);
    assert.deepEqual(spans('when was george washington born', 'LOCATION'), []);
    assert.deepEqual(names('did charlotte call me'), ['charlotte']);
  });

  test('a storm\'s name, a place after "the capital of", a product after "a bottle of" are no person', () => {
    assert.deepEqual(names('show me the news about hurricane florence'), []);
    assert.deepEqual(names('email florence about the hurricane'), ['florence']);
    assert.deepEqual(names('what\'s the capital of victoria'), []);
    assert.deepEqual(names('what\'s the email of victoria'), ['victoria']);
    assert.deepEqual(names('buy a bottle of jack daniels'), []);
    assert.deepEqual(names('send a bottle of wine to jack daniels'), ['jack daniels']);
  });

  test('what a request for news is about is a story looked up; whom the news is from or for is a person', () => {
    assert.deepEqual(names('follow news about hilary email issue in future'), []);
    assert.deepEqual(names('what are the headlines about bernie sanders'), []);
    assert.deepEqual(names('any news from sarah'), ['sarah']);
    assert.deepEqual(names('tell kenji the good news'), ['kenji']);
    assert.deepEqual(names('is there any news about priya'), ['priya']);
  });

  test('a country or a territory said alone is no place to mask; a town said alone stays one', () => {
    assert.deepEqual(spans('guam prescription drug abuse on the rise', 'LOCATION'), []);
    assert.deepEqual(spans('sacramento prescription drug abuse on the rise', 'LOCATION'), ['sacramento']);
  });

  test('the colour a light is set to is a colour; after a second clause "to" goes to a person', () => {
    assert.deepEqual(names('change the lights to violet'), []);
    assert.deepEqual(names('set the color to ruby'), []);
    assert.deepEqual(names('turn off the lights and send a text to ruby'), ['ruby']);
  });

  test('what a list or a playlist is named is its name; a contact keeps its person', () => {
    assert.deepEqual(names('create a list named christmas'), []);
    assert.deepEqual(names('create a shopping list called victoria'), []);
    assert.deepEqual(names('open the contact named john'), ['john']);
  });

  test('a name before "joke" is a kind of joke; whom a joke is texted to is a person', () => {
    assert.deepEqual(names('tell me a chuck norris joke'), []);
    assert.deepEqual(names('text chuck norris a joke'), ['chuck norris']);
  });

  test('a possessive before what only a business owns is the business\'s; a person\'s calendar keeps the person', () => {
    assert.deepEqual(names('what\'s on wendy\'s menu'), []);
    assert.deepEqual(names('any macy\'s coupons'), []);
    assert.deepEqual(names('what\'s on sarah\'s calendar'), ['sarah']);
  });

  test('a title a recommendation is likened to is a title; a person who said something stays one', () => {
    assert.deepEqual(names('recommend a movie like annie'), []);
    assert.deepEqual(names('any movies similar to amelie'), []);
    assert.deepEqual(names('i want a movie night like annie said'), ['annie']);
  });

  test('a name asked about as a word is no one; a booking under a name keeps its person', () => {
    assert.deepEqual(names('what is the meaning of the name sophia'), []);
    assert.deepEqual(names('how popular is the name olivia'), []);
    assert.deepEqual(names('book a table under the name olivia'), ['olivia']);
  });

  test('a saint\'s possessive before "day" is a holiday; before anything else it stays a hospital', () => {
    assert.deepEqual(detect('when is st patrick\'s day'), []);
    assert.deepEqual(spans('we went to st mary\'s for the checkup', 'LOCATION'), ['st mary\'s']);
  });
});
