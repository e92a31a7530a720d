import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptedJustification, cleanReason } from './justification.ts';

describe('a justification (R-AUTHZ-4)', () => {
  test('counts with a purpose of use and a reason of a few real words', () => {
    assert.equal(acceptedJustification('TREAT', 'caller asked to confirm the address'), 'caller asked to confirm the address');
  });

  for (const [name, text] of [
    ['a full stop', '.'],
    ['a zero-width space', '\u200B'],
    ['zero-width characters between dots', '.\u200B.\u200C.\u2060'],
    ['a Hangul filler and a braille blank', '\u3164 \u2800'],
    ['single letters', 'a b c d e'],
    ['one word repeated', 'ok ok ok ok'],
    ['two words', 'callback requested'],
    ['digits and punctuation', '123 456 !!! ???'],
  ] as const) {
    test(`does not count: ${name}`, () => assert.equal(acceptedJustification('TREAT', text), null));
  }

  test('does not count without a purpose of use, however good the reason', () => {
    assert.equal(acceptedJustification(null, 'caller asked to confirm the address'), null);
  });

  test('is recorded without invisible characters, with whitespace collapsed', () => {
    assert.equal(cleanReason('cal\u200Bler  asked\u00AD to\tconfirm\n'), 'caller asked to confirm');
    assert.equal(acceptedJustification('TREAT', 'cal\u200Bler asked to\u2060 confirm'), 'caller asked to confirm');
  });
});
