import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function dates(text: string): string[] {
  return detect(text).filter((s) => s.label === 'DATE').map((s) => text.slice(s.start, s.end));
}

describe('dates (R-DATA-2: every element of a date but the year)', () => {
  test('masks a timestamp with its time of day', () => {
    assert.deepEqual(dates('Seen: 2000-04-16 11:34:35 by the night team.'), ['2000-04-16 11:34:35']);
  });

  test('reads a spoken birth date with a cardinal day or a two-digit year', () => {
    assert.deepEqual(dates('caller: uh april seventeenth forty eight'), ['april seventeenth forty eight']);
    assert.deepEqual(dates('caller: october eight nineteen eighty four'), ['october eight nineteen eighty four']);
    assert.deepEqual(dates("caller: yeah it's december twenty eight two thousand eleven"), ['december twenty eight two thousand eleven']);
  });

  test('masks a day given alone in scheduling talk but not an ordinal that counts', () => {
    assert.deepEqual(dates('agent: you are booked for the twenty ninth at one o\'clock'), ['the twenty ninth']);
    assert.deepEqual(dates('agent: the first available is on the second floor'), []);
  });

  test('masks one named weekday but not opening hours or a kind of day', () => {
    assert.deepEqual(dates('Mr. Leiva flew home on Tuesday morning.'), ['Tuesday']);
    assert.deepEqual(dates('agent: we are open monday through friday, or on a wednesday afternoon'), []);
  });

  test('leaves a time of day after a date unmasked as a date', () => {
    assert.deepEqual(dates('agent: your appointment is on march third at one forty five p m'), ['march third']);
  });
});
