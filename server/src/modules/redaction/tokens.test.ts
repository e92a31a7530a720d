import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WORD } from './gazetteer.ts';
import { tokenize } from './tokens.ts';

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
