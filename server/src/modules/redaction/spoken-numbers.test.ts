import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}

describe('spoken identifiers and times (R-DATA-2)', () => {
  test('reads letters spelled "as in" a word as one identifier', () => {
    const text = 'agent: can i have the member id\ncaller: four c r six u as in uniform w nine r c oh six\nagent: thanks';
    assert.deepEqual(found(text), [['HEALTH_PLAN', 'four c r six u as in uniform w nine r c oh six']]);
  });

  test('starts an identifier at a letter spelled "as in" a given name, and masks no name for it', () => {
    const text = "agent: and your member id\ncaller: it's w as in william four four two nine one eight seven";
    assert.deepEqual(found(text), [['HEALTH_PLAN', 'w as in william four four two nine one eight seven']]);
  });

  test('leaves times of day alone, with their a m and p m', () => {
    assert.deepEqual(found('agent: the window opens at six thirty a m tomorrow'), []);
    assert.deepEqual(found("agent: we're open seven thirty to six and we take medicare"), []);
  });

  test('reads "to" and "for" misheard for digits between digits, not in a range of hours', () => {
    const text = 'agent: the last four of your social\ncaller: two eight for two\nagent: ok';
    assert.deepEqual(found(text), [['SSN', 'two eight for two']]);
    assert.deepEqual(found("agent: we're open seven thirty to six monday through friday"), []);
  });
});

describe('written phone numbers (R-DATA-2)', () => {
  test('masks a phone number with an extension, a trunk prefix or a label after it', () => {
    assert.deepEqual(found('Desk: +1-903-140-4508x769'), [['PHONE', '+1-903-140-4508x769']]);
    assert.deepEqual(found('call +41 (0)69 979 80 58-Mobile'), [['PHONE', '+41 (0)69 979 80 58']]);
    assert.deepEqual(found('call 082 490 1693-Office'), [['PHONE', '082 490 1693']]);
    assert.deepEqual(found('my registered 0961-7596216 number'), [['PHONE', '0961-7596216']]);
  });
});

describe('amounts said in words are no phone numbers (R-DATA-2, issue 30)', () => {
  test('"hundred" before "thousand" makes an amount; digits in groups stay a phone number', () => {
    assert.deepEqual(found('one hundred thousand two hundred and seventeenth'), []);
    assert.deepEqual(found('my number is five five five one thousand'), [['PHONE', 'five five five one thousand']]);
  });
});
