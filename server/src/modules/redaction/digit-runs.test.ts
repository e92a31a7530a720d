import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { digitRuns, RUN } from './digit-runs.ts';
import { findPatterns } from './patterns.ts';

/** The `RUN` bits of the run that starts at `at`. */
function shapeAt(text: string, at: number): number {
  const runs = digitRuns(text)!;
  return runs.shapes[runs.starts.indexOf(at)]!;
}

const found = (text: string) => findPatterns(text).map((c) => [c.kind, text.slice(c.start, c.end)]);

describe('digit runs: where each digit-led pattern is tried (R-DATA-2, issue 30)', () => {
  test('a short number that goes nowhere is not read as NUMBER; one that goes on, or has a sign, a zip or four digits, is', () => {
    assert.equal(shapeAt('HR 80 bpm', 3) & RUN.NUMBER, 0);
    assert.equal(shapeAt('given 5mg', 6) & RUN.NUMBER, 0);
    for (const [text, at] of [['call 555 1212', 5], ['555-1212', 0], ['12.5', 0], ['ext 12x4', 4], ['5 ext 2', 0], ['+1 617', 1], ['(617) 555', 1], ['zip 880', 4], ['1234 units', 0]] as const) {
      assert.notEqual(shapeAt(text, at) & RUN.NUMBER, 0, text);
    }
  });

  test('a numeric date is tried only where a second run and a separator or a year follow', () => {
    assert.equal(shapeAt('BP 120/70', 3) & RUN.DATE, 0);
    assert.equal(shapeAt('temp 98.6 F', 5) & RUN.DATE, 0);
    for (const [text, at] of [['12/03/2020', 0], ['2020-03-12', 0], ['3/2019', 0], ['1.5.99', 0]] as const) assert.notEqual(shapeAt(text, at) & RUN.DATE, 0, text);
  });

  test('finds what the whole-text regexes found: ages after "age", e-mails at their "@", three digits after "zip"', () => {
    assert.deepEqual(found('aged 92, AGE:101 and age 7'), [['age', '92'], ['age', '101'], ['age', '7']]);
    assert.deepEqual(found('mail a.b@x.org, c@d.com;e_f@g-h.co.uk @ 1400').filter(([k]) => k === 'email'), [['email', 'a.b@x.org'], ['email', 'c@d.com'], ['email', 'e_f@g-h.co.uk']]);
    assert.deepEqual(found('write é@x.com').filter(([k]) => k === 'email'), [['email', 'é@x.com']]);
    assert.deepEqual(found('my ZIP code is 880'), [['number', '880']]);
    assert.deepEqual(found('see WwW.site.example today').map(([k]) => k), ['url']);
  });
});
