import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { digitRuns, RUN } from './digit-runs.ts';
import { DIGIT_LED, findPatterns } from './patterns.ts';
import { prng } from '../../../test/support/prng.ts';

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

  test('every match of a digit-led pattern starts at a run of its shape, over 8,000 seeded texts (the shapes follow the patterns)', () => {
    const rand = prng(30);
    const pieces = ['1', '12', '123', '1234', '12345', '45', '6789', '123-45-', '555 12 ', '2019', '03/12/', '2020-03-', '3/', '19', '20', '/', '-', '.', ' ', ' ', ',', '(', ')', '+', ':', 'x', 'ext ', 'yo', ' y/o', ' years old', '-year-old',
      'age ', 'aged ', 'AGE:', 'turned ', 'she is ', "i'm ", 'zip ', 'Box ', 'APO AE ', 'TX ', 'Austin, ', 'a', 'e', 'd', 'bpm', '%'];
    const texts: string[] = [];
    for (let k = 0; k < 8_000; k++) {
      let text = '';
      for (let n = 1 + Math.floor(rand() * 12); n > 0; n--) text += pieces[Math.floor(rand() * pieces.length)];
      texts.push(text);
    }
    for (const [name, pattern, shape] of DIGIT_LED) {
      let checked = 0;
      const whole = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g');
      for (const text of texts) {
        const runs = digitRuns(text);
        for (const m of text.matchAll(whole)) {
          const first = m.index + m[0].search(/\d/);
          // NUMBER's matches of three digits or fewer are dropped by findPatterns (RUN.NUMBER), shape or not.
          if (name === 'NUMBER' && (m[0].match(/\d/g) ?? []).length < 4) continue;
          const at = runs ? runs.starts.indexOf(first) : -1;
          assert.ok(at >= 0 && (runs!.shapes[at]! & shape) !== 0, `${name} matched ${JSON.stringify(m[0])} in ${JSON.stringify(text)} where no run of its shape starts`);
          checked++;
        }
      }
      assert.ok(checked >= 20, `${name}: only ${checked} matches checked`);
    }
  });
});
