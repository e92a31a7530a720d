import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}

describe('identifiers of letters and digits (R-DATA-2)', () => {
  test('masks a letter-and-digit identifier with inner hyphens', () => {
    assert.deepEqual(found('The claim reference is ZX-99312B, filed today.'), [['ID', 'ZX-99312B']]);
  });

  test('leaves doses, ordinals and words with a digit or two alone', () => {
    assert.deepEqual(found('Take 500mg with water and B12 tablets; she came 21st.'), []);
  });

  test('does not take part of a longer word joined by an underscore', () => {
    assert.deepEqual(found('see file_ABC12345 for details'), []);
  });
});
