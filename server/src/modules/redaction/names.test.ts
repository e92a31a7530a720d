import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function names(text: string): string[] {
  return detect(text).filter((s) => s.label === 'NAME').map((s) => text.slice(s.start, s.end));
}

describe('names in call transcripts (R-DATA-2)', () => {
  test('masks a name spelled out letter by letter after the name', () => {
    const text = 'agent: who am i speaking with\ncaller: madelyn underwood that\'s u n d e r w o o d\nagent: thanks';
    assert.deepEqual(names(text), ['madelyn underwood', 'u n d e r w o o d']);
  });

  test('masks a spelled family name answering a request to spell it', () => {
    const text = 'agent: can you spell the last name\ncaller: j i m e n e z\nagent: okay';
    assert.deepEqual(names(text), ['j i m e n e z']);
  });

  test('leaves spelled acronyms such as "m r n" alone', () => {
    assert.deepEqual(names('agent: what is the m r n\ncaller: i do not have it\nagent: okay'), []);
  });

  test('ends a name at a verb or a contraction even when a family is called so', () => {
    assert.deepEqual(names('agent: doctor reddy has to approve the referral'), ['reddy']);
    assert.deepEqual(names("caller: hi this is william ruiz i'm calling about my father"), ['william ruiz']);
  });

  test('masks the name but not the possessive', () => {
    assert.deepEqual(names('agent: got it i have steven\'s record now'), ['steven']);
  });

  test('masks an unknown word after an introduction or a greeting', () => {
    assert.deepEqual(names('agent: good morning this is ngozi from the clinic'), ['ngozi']);
    assert.deepEqual(names('agent: thanks ezra one moment'), ['ezra']);
  });

  test('masks the name after a title but not the title', () => {
    assert.deepEqual(names('agent: thank you missus robinson i found you'), ['robinson']);
  });

  test('masks a name after a relationship word', () => {
    assert.deepEqual(names("caller: i'm calling for my partner maricel wilson about the bill"), ['maricel wilson']);
  });

  test('masks the name in a greeting and after a request, known or not, word or not', () => {
    assert.deepEqual(names('hello is this don shapiro i am returning your call'), ['don shapiro']);
    assert.deepEqual(names('hi grant it\'s the front desk calling'), ['grant']);
    assert.deepEqual(names('text lisquel i will be there at six'), ['lisquel']);
    assert.deepEqual(names('remind me to email hiroshi at five'), ['hiroshi']);
    assert.deepEqual(names("what's walt's email"), ['walt']);
    assert.deepEqual(names('hey is this paul moody'), ['paul moody']);
    assert.deepEqual(names('call paul now please'), ['paul']);
  });

  test('masks a person named by a request anywhere in it, by whose things are asked for, and in a list', () => {
    assert.deepEqual(names('set meeting with jack on ten march'), ['jack']);
    assert.deepEqual(names('i want to find emails from bob with the subject meeting'), ['bob']);
    assert.deepEqual(names('remember me to meet reveca today'), ['reveca']);
    assert.deepEqual(names('reply to mark\'s email'), ['mark']);
    assert.deepEqual(names('set bob\'s birthday for every june third'), ['bob']);
    assert.deepEqual(names('a lunch date with mike and bob'), ['mike', 'bob']);
    assert.deepEqual(names('did ben and jen get back together'), ['ben', 'jen']);
    // The family name is a dictionary word, the given name none: both are the name.
    assert.deepEqual(names('who is donald trump'), ['donald trump']);
    // A possessive or a verb in the past ends the name.
    assert.deepEqual(names("get me updates from kenny's facebook"), ['kenny']);
    assert.deepEqual(names('can you see what andrew emailed me about'), ['andrew']);
    // Relatives and roles by their possessive are no names.
    assert.deepEqual(names("what's my mom's number"), []);
  });

  test('a newspaper named after a town or a person is neither', () => {
    const spans = (t: string) => detect(t).map((x) => `${t.slice(x.start, x.end)}/${x.label}`);
    assert.deepEqual(spans('read the headlines from the new york times'), []);
    assert.deepEqual(spans('read me the last tweet from the washington post'), []);
    assert.deepEqual(spans('i moved to chicago last year'), ['chicago/LOCATION']);
  });

  test('an artist in a request to play music or a book is no PHI', () => {
    for (const t of ['play some david bowie', 'please play my favorite song by bruno mars', 'time to hear me some blake shelton', 'start chapter seven of alma']) assert.deepEqual(names(t), [], t);
    assert.deepEqual(names('call david now'), ['david']);
  });

  test('leaves roles, businesses, numbers and towns after a request', () => {
    for (const t of ['call mom', 'text the dentist', 'call 555-867-5309 tomorrow', 'what is the time']) assert.deepEqual(names(t), [], t);
    assert.deepEqual(detect("i'm calling from london today").map((x) => x.label), ['LOCATION']);
    // The town a weather request asks about is no one's (evidence.ts placeRequest).
    assert.deepEqual(detect("what's the weather in london today").map((x) => x.label), []);
  });

  test('a word no dictionary holds after "live in" or after a street is the town', () => {
    const places = (t: string) => detect(t).filter((x) => x.label === 'LOCATION').map((x) => t.slice(x.start, x.end));
    assert.deepEqual(places('i live in werorotafield now'), ['werorotafield']);
    assert.deepEqual(detect('i live at nine four three oak road in uladokdal falls').map((x) => x.label), ['ADDRESS', 'LOCATION']);
    assert.deepEqual(places('the meeting is in quelbix'), []);
  });

  test('a given name that is also a word, or a word no dictionary holds, is a name before a family name (R-DATA-2)', () => {
    assert.deepEqual(names('what year was bill pullman born'), ['bill pullman']);
    assert.deepEqual(names('give me information on the next movie of aamir khan'), ['aamir khan']);
    // Not a given name that is a word before a common word.
    assert.deepEqual(names('please mark post as read'), []);
  });

  test('holidays, counties and states after a town are no names (R-DATA-2)', () => {
    assert.deepEqual(names("add valentine's day with her tomorrow"), []);
    assert.deepEqual(names('local news on wayne county sheriffs'), []);
    assert.deepEqual(names("what's the current time in orlando florida"), []);
    // A state is still a name after a cue.
    assert.deepEqual(names('hi this is georgia calling back'), ['georgia']);
  });
});
