import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gazetteer, WordTable, WORD } from './gazetteer.ts';
import { foldTokens, tokenize } from './tokens.ts';

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
});

describe('folded tokens (R-DATA-2, texts in capitals)', () => {
  test('are the tokens of the folded text', () => {
    for (const text of ["PT'S WIFE MARTHA AT BEDSIDE, HR 70-80S, K 3.1. DR O'BRIEN'S PAGER #3015", 'NEURO: A&O X3, MAE; CABG \'97', 'ÅSA STRÖM VISITED ÖREBRO']) {
      const folded = text.toLowerCase();
      assert.deepEqual(foldTokens(text, folded, tokenize(text)), tokenize(folded));
    }
  });
});
