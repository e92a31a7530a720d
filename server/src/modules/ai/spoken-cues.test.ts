// Spoken identifiers the AI gateway pseudonymises beyond the redaction engine (R-AI-1, R-AI-3):
// greetings' names, names given alone or spelled out, ages in words, days of the month as ordinals;
// and the look-alikes left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spokenCueSpans } from './spoken-cues.ts';

const found = (text: string) => spokenCueSpans(text).map((s) => `${s.cls}:${text.slice(s.start, s.end)}`);

test('the cues find greetings, listed and spelled names, ages in words and ordinal days', () => {
  assert.deepEqual(found('agent: riverside health haruka how can i help'), ['PERSON:haruka']);
  assert.deepEqual(found('agent: hello thanks for calling lakeside tuan speaking how can i help you today'), ['PERSON:tuan']);
  // Found twice: a given name of the gazetteer (the Moby lists, redaction's given-names.txt) and the answer to "what name".
  assert.deepEqual(found('agent: what name is it under\ncaller: padraig uh i should be listed'), ['PERSON:padraig', 'PERSON:padraig']);
  assert.deepEqual(found("caller: it's penelope davis d a v i s"), ['PERSON:penelope', 'PERSON:davis', 'PERSON:d a v i s', 'PERSON:davis']);
  assert.deepEqual(found("caller: i'm sixty two so i can't drive"), ['AGE:sixty two']);
  assert.deepEqual(found('caller: my partner they is eighty five'), ['AGE:eighty five']);
  assert.deepEqual(found('agent: the twenty eighth at noon or the fifth at two'), ['DATE:twenty eighth', 'DATE:fifth']);
});

test('the general rules: names that are no English word, US states, more age and day phrasings', () => {
  assert.deepEqual(found('caller: yes kowalski with a k'), ['PERSON:kowalski']);
  assert.deepEqual(found('caller: we moved here from new hampshire last year'), ['LOCATION:new hampshire']);
  assert.deepEqual(found("caller: she'll be seventy next week, he is 45 years old"), ['AGE:45', 'AGE:seventy']);
  assert.deepEqual(found('agent: i can do on the sixth or the 3rd of the month'), ['DATE:sixth', 'DATE:3rd']);
  assert.deepEqual(found('agent: it is on the second floor, the first time'), []);
  assert.deepEqual(found('caller: i will bill grace for the mark'), [], 'names that are English words need context');
});

test('look-alikes are left alone', () => {
  assert.deepEqual(found('agent: riverside health how can i help'), []);
  assert.deepEqual(found('agent: thanks for calling how may i help you'), []);
  assert.deepEqual(found('caller: the balance is eighty five dollars'), []);
  assert.deepEqual(found('caller: the first thing is the second floor'), []);
  assert.deepEqual(found('agent: a p m slot'), ['PERSON:a p m'], 'three single letters are taken for a spelled name: over-masking, not a leak');
});

test('names after a cue, in the answer to a name question, more ages and spoken digit runs (tuning seeds 3–6)', () => {
  assert.deepEqual(found('caller: oh it\'s with my maiden name yamamoto'), ['PERSON:yamamoto']);
  assert.deepEqual(found('caller: maybe it\'s under my old name okafor'), ['PERSON:okafor']);
  assert.deepEqual(found('caller: hi i\'m calling for my sibling seoyeon they was born in the spring'), ['PERSON:seoyeon']);
  assert.deepEqual(found("caller: okay and i'm haruka by the way can i just come in"), ['PERSON:haruka']);
  assert.deepEqual(found("caller: okay and i'm wren by the way"), ['PERSON:wren'], 'one word before "by the way" is a name, even an English word');
  assert.deepEqual(found("agent: what's your name and are you on their release form\ncaller: jack yes i'm on it"), ['PERSON:jack']);
  assert.deepEqual(found('agent: can i get your name please\ncaller: yeah duc deluca i signed it'), ['PERSON:duc deluca']);
  assert.deepEqual(found("caller: my kid they's forty five so i help"), ['AGE:forty five']);
  assert.deepEqual(found('caller: he is sixty one years old'), ['AGE:sixty one', 'AGE:sixty one']);
  assert.deepEqual(found('caller: spokane washington double nine two one seven'), ['PERSON:washington', 'LOCATION:washington', 'ID:double nine two one seven']);
  assert.deepEqual(found('caller: five five five oh one nine'), ['ID:five five five oh one nine']);
});

test('the new cues leave look-alikes alone', () => {
  assert.deepEqual(found("agent: what's your name\ncaller: yes i'm on the form"), []);
  assert.deepEqual(found('caller: my son\'s appointment is on friday'), []);
  assert.deepEqual(found('caller: my name is on the account'), []);
  assert.deepEqual(found("caller: i'm fine by the way"), []);
  assert.deepEqual(found('agent: we are open nine to one, press one two or three'), []);
});

test('a surname after a title, a short name spelled alone (tuning seeds 7–10), and their look-alikes', () => {
  assert.deepEqual(found("agent: let me check doctor shin's calendar"), ['PERSON:shin']);
  assert.deepEqual(found('agent: doctor shin wants you to come back'), ['PERSON:shin']);
  assert.deepEqual(found('caller: uh x u'), ['PERSON:x u']);
  assert.deepEqual(found('caller: sure x u'), ['PERSON:x u']);
  assert.deepEqual(found('agent: the doctor said the nurse practitioner has an opening'), []);
  assert.deepEqual(found('agent: doctor wants to see you, ask the doctor who is on call'), []);
  assert.deepEqual(found('caller: uh ok'), []);
});

test('one word before "by the way", the one greeted, a courtesy title before an English word (seeds 3–10), and their look-alikes', () => {
  assert.deepEqual(found('agent: hi wren i have your details here go ahead'), ['PERSON:wren']);
  assert.deepEqual(found('agent: thanks missus king one moment'), ['PERSON:king']);
  assert.deepEqual(found('agent: good morning grace how are you'), ['PERSON:grace']);
  assert.deepEqual(found("caller: i'm sorry by the way, i'm new by the way"), []);
  assert.deepEqual(found('agent: hi there i can help with that'), []);
  assert.deepEqual(found('agent: thanks again i will send it'), []);
  assert.deepEqual(found("caller: i don't want to miss work"), []);
});

test('the answer to a name or listing question, spellings of the word before, spoken ids and digit homophones (tuning seeds 11–28), and their look-alikes', () => {
  // An English word opens the answer to a name question: a name when "yes", a filler, the end or a name follows.
  assert.deepEqual(found("agent: what's your name and is it on her release form\ncaller: wren yes i'm on it"), ['PERSON:wren']);
  assert.ok(found("agent: what's your full name and date of birth\ncaller: wren rossi r o s s i").includes('PERSON:wren rossi'));
  // "are you listed / on file / on her authorization" invites the caller's name too.
  assert.deepEqual(found('agent: and are you on file on her an authorized contact\ncaller: lark yes i am'), ['PERSON:lark']);
  // After any question, a word that is no English word before "yes".
  assert.ok(found("agent: are we all set\ncaller: hiroshi yes i'm on it").includes('PERSON:hiroshi'));
  // A word followed by its spelling, two letters after a name cue, and the spelled word elsewhere.
  assert.deepEqual(found("caller: it's shin s h i n"), ['PERSON:s h i n', 'PERSON:shin']);
  assert.deepEqual(found('caller: eleanor xu x u'), ['PERSON:eleanor', 'PERSON:x u', 'PERSON:xu']);
  assert.ok(found('caller: my name is niamh xu last name x u').includes('PERSON:x u'));
  // Spoken letters and digits mixed: an id; digits with homophones: a whole answer, or four real digits.
  assert.deepEqual(found('agent: so i have five q c seven k v for n p nine three thanks'), ['ID:five q c seven k v for n p nine three']);
  assert.deepEqual(found('caller: three for three to'), ['ID:three for three to']);
  assert.deepEqual(found('caller: okay so oh oh seven for'), ['ID:oh oh seven for']);
  // Look-alikes.
  assert.deepEqual(found('agent: are you on file\ncaller: okay yes'), []);
  assert.deepEqual(found("agent: what's your name\ncaller: sure yes it's on there"), []);
  assert.deepEqual(found("agent: what's your name\ncaller: same as the patient"), []);
  assert.deepEqual(found('caller: perfect yes thank you'), []);
  assert.deepEqual(found('caller: mhm yeah that works'), []);
  assert.deepEqual(found('agent: we are open eight to five for two days a week'), []);
  assert.deepEqual(found('caller: it takes one to two weeks'), []);
  assert.deepEqual(found('caller: i need two for three days'), []);
  assert.deepEqual(found('agent: the copay is twenty five dollars for a b plan'), []);
});

test('a child\'s age in words, someone asked for by name, a member id spelled "x as in x ray" (tuning seeds 33–48), and their look-alikes', () => {
  assert.deepEqual(found("caller: my kid they's fifteen so i help"), ['AGE:fifteen']);
  assert.deepEqual(found('caller: my sibling they is twelve and i help'), ['AGE:twelve']);
  assert.deepEqual(found("caller: yeah i'm looking for bao is he there"), ['PERSON:bao']);
  assert.deepEqual(found('caller: eight x as in x ray y six j as in john nine six'), ['ID:eight x as in x ray y six j as in john nine six']);
  assert.deepEqual(found("caller: they're two of them, he's five minutes away, she is ten thirty, they are four fifteen"), []);
  assert.deepEqual(found("caller: i'm looking for a refill, can i speak to someone, is this the pharmacy"), []);
});
