import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}

describe('places and addresses in written text (R-DATA-2)', () => {
  test('masks a continental street with its number, unit, town and country block', () => {
    const text = 'William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n Estonia 62488';
    assert.ok(found(text).some(([l, s]) => l === 'ADDRESS' && s === '20789 Allika 46\n Suite 501\n Riisa\n Estonia 62488'));
  });

  test('does not take a count followed by ordinary words and a number for a street', () => {
    assert.deepEqual(found('We ordered 12 Boxes of 40 gloves.').filter(([l]) => l === 'ADDRESS'), []);
  });

  test('masks a town the gazetteer lacks after a place preposition', () => {
    assert.deepEqual(found('He is a 21 year old man who grew up in Remniku.'), [['AGE', '21'], ['LOCATION', 'Remniku']]);
    assert.deepEqual(found('Mr. Leiva flew to LEPPEN on Tuesday morning.').filter(([l]) => l === 'LOCATION'), [['LOCATION', 'LEPPEN']]);
  });

  test('leaves months, days and known given names after a preposition to their own rules', () => {
    assert.deepEqual(found('She will come in January to see Maria.').filter(([l]) => l === 'LOCATION'), []);
  });

  test('masks a place of several words whose first word is a common one', () => {
    assert.deepEqual(found('She moved here from New Zealand last year.').filter(([l]) => l === 'LOCATION'), [['LOCATION', 'New Zealand']]);
  });

  test('masks a town said after a place word in a call, but not a common word that is also a town', () => {
    assert.deepEqual(found('caller: we just moved to green bay last week').filter(([l]) => l === 'LOCATION'), [['LOCATION', 'green bay']]);
    assert.deepEqual(found('caller: i am interested in reading about it').filter(([l]) => l === 'LOCATION'), []);
  });

  test('masks the town, state and ZIP code said after a street', () => {
    const text = 'caller: forty eight hawthorne drive kalamazoo michigan four nine zero nine zero';
    assert.deepEqual(found(text).filter(([l]) => l === 'ADDRESS'), [['ADDRESS', 'forty eight hawthorne drive kalamazoo michigan four nine zero nine zero']]);
  });

  test('masks countries by their everyday names, even after a capitalised preposition', () => {
    assert.deepEqual(found('In United States they have company songs.').filter(([l]) => l === 'LOCATION'), [['LOCATION', 'United States']]);
  });

  test('reads a "Where:" line as a place, up to the first common word', () => {
    assert.deepEqual(found('When: 1971-09-07 22:49:16\nWhere: Erwetegem Country Club.').filter(([l]) => l === 'LOCATION'), [['LOCATION', 'Erwetegem']]);
  });
});
