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

  test('leaves times of day alone, with their a m and p m', () => {
    assert.deepEqual(found('agent: the window opens at six thirty a m tomorrow'), []);
    assert.deepEqual(found("agent: we're open seven thirty to six and we take medicare"), []);
  });
});
