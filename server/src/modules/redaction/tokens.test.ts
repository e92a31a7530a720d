import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gazetteer, WordTable, WORD } from './gazetteer.ts';
import { foldTokens, tokenize } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

describe('tokenizer (R-DATA-2: every detector reads its tokens)', () => {
  test('keeps apostrophes and hyphens inside words and drops the possessive from the lower case', () => {
    const t = tokenize("Mary-Jane O'Brien's chart, 12-B");
    assert.deepEqual(t.map((x) => x.text), ['Mary-Jane', "O'Brien's", 'chart', '12-B']);
    assert.equal(t[1]!.lower, "o'brien");
  });

  test('notes capitals, all-caps words and digits, in any script', () => {
    const [a, b, c, d] = tokenize('Ärzte LEPPEN 2024 élan');
    assert.deepEqual([a!.isCap, a!.isUpper, b!.isUpper, c!.isDigits, c!.isCap, d!.isCap], [true, false, true, true, false, false]);
  });

  test('looks each word up once in the gazetteer flags', () => {
    const [name, word, month, number] = tokenize('maria table march seven');
    assert.ok(name!.flags & WORD.FIRST);
    assert.ok(word!.flags & WORD.COMMON);
    assert.equal(word!.flags & WORD.FIRST, 0);
    assert.ok(month!.flags & WORD.DATE);
    assert.ok(number!.flags & WORD.NUMBER);
  });
});

describe('word table (R-DATA-2, the per-token lookup)', () => {
  test('gives what the Map it is built from gives, 0 for words without flags or not in it', () => {
    const map = new Map<string, number>([['heparin', 4096], ['anna', 1], ['new york', 16], ['zero', 0]]);
    for (let k = 0; k < 5000; k++) map.set(`w${k}`, (k % 7) + 1);
    const table = new WordTable(map);
    for (const [word, flags] of map) assert.equal(table.get(word), flags);
    for (const word of ['', 'hepari', 'heparins', 'new', 'w5000', 'W1', 'ann']) assert.equal(table.get(word), 0);
  });

  test('the gazetteer table agrees with the gazetteer map on every word', () => {
    const g = gazetteer();
    for (const [word, flags] of g.flags) assert.equal(g.wordFlags.get(word), flags);
  });

  test('gives the tags of a word with tags and no flags, and the flags of a word with both', () => {
    const table = new WordTable(new Map([['anna', 1], ['the', 4]]), new Map([['the', 2], ['pgr', 8]]));
    assert.deepEqual([table.get('pgr'), table.foundTags, table.found], [0, 8, 'pgr']);
    assert.deepEqual([table.get('the'), table.foundTags], [4, 2]);
    assert.deepEqual([table.get('anna'), table.foundTags], [1, 0]);
    assert.deepEqual([table.get('nobody'), table.foundTags, table.found], [0, 0, undefined]);
  });
});

describe('word tags (R-DATA-2: the detectors\' word lists read with the token)', () => {
  test('a tag is the list look-up of the token\'s lower case, and digits are seen while scanning', () => {
    const [mom, ends, plain, digits, mixed] = tokenize("Mom's will zebra 2024 12-B");
    assert.ok(mom!.tags & TAG.NOT_REQUESTED_NAME);
    assert.ok(ends!.tags & TAG.ENDS_NAME);
    assert.equal(plain!.tags, 0);
    assert.deepEqual([digits!.tags, digits!.hasDigit, mixed!.hasDigit, plain!.hasDigit], [0, true, true, false]);
  });

  test('no list is registered once the word table is built, and no list holds digits alone', () => {
    gazetteer();
    assert.throws(() => tagWords(['late'], TAG.AUX), /before the word table is built/);
  });
});

describe('folded tokens (R-DATA-2, texts in capitals)', () => {
  test('are the tokens of the folded text', () => {
    for (const text of ["PT'S WIFE MARTHA AT BEDSIDE, HR 70-80S, K 3.1. DR O'BRIEN'S PAGER #3015", 'NEURO: A&O X3, MAE; CABG \'97', 'ÅSA STRÖM VISITED ÖREBRO']) {
      const folded = text.toLowerCase();
      assert.deepEqual(foldTokens(text, folded, tokenize(text)), tokenize(folded));
    }
  });
});
