import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainDocument } from './detect.ts';
import { RESOLUTION, resolveCandidates, candidate, stableOrder, type Candidate, type CandidateKind } from './resolution.ts';

describe('resolution table (R-DATA-2)', () => {
  for (const [kind, rule] of Object.entries(RESOLUTION) as Array<[CandidateKind, (typeof RESOLUTION)[CandidateKind]]>) {
    test(`${kind}: ${rule.reason}`, () => {
      const [text, span] = rule.example;
      const kept = explainDocument(text).map((s) => [s.kind, text.slice(s.start, s.end)]);
      assert.ok(kept.some(([k, t]) => k === kind && t === span), `${JSON.stringify(kept)} holds no ${kind} span ${JSON.stringify(span)}`);
    });
  }

  test('the higher rank wins an overlap whole; on a tie the longer, then the earlier', () => {
    const spans = resolveCandidates([
      candidate('number', 4, 16, 'PHONE', 0.7),
      candidate('ssn', 4, 15, 'SSN', 0.9),
      candidate('lexicalName', 20, 24, 'NAME', 0.7),
      candidate('lexicalName', 20, 30, 'NAME', 0.7),
      candidate('bareYear', 40, 44, 'DATE', 0.6),
      candidate('lexicalPlace', 42, 50, 'LOCATION', 0.6),
    ], 0.5);
    assert.deepEqual(spans.map((s) => [s.kind, s.start, s.end]), [['ssn', 4, 15], ['lexicalName', 20, 30], ['lexicalPlace', 42, 50]]);
  });

  test('a candidate below the minimum confidence never takes part', () => {
    const spans = resolveCandidates([candidate('email', 0, 5, 'EMAIL', 0.4), candidate('lexicalName', 0, 5, 'NAME', 0.7)], 0.5);
    assert.deepEqual(spans.map((s) => s.kind), ['lexicalName']);
  });

  test('ranks are ordered as the reasons say: checksums over shapes, identifiers over names, names over places', () => {
    const r = (k: CandidateKind) => RESOLUTION[k].rank;
    assert.ok(r('mbi') > r('alnumId') && r('ssn') > r('number') && r('numericDate') > r('number'));
    assert.ok(r('alnumId') > r('lexicalName') && r('street') > r('lexicalName') && r('lexicalName') > r('lexicalPlace'));
    assert.ok(r('bareYear') < r('lexicalPlace') && r('nameMention') < r('bareYear'));
  });

  test('the packed sort keeps what the comparator sort kept, ties in the candidates\' order, on 2,000 seeded lists', () => {
    const kinds = Object.keys(RESOLUTION) as CandidateKind[];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const cs: Candidate[] = [];
      // Few kinds and offsets, so that ties of rank, length and start are common; a long text in one round of ten.
      const far = round % 10 === 0 ? 2 ** 23 : 0;
      for (let k = rnd(40); k > 0; k--) {
        const start = far + rnd(30);
        cs.push(candidate(kinds[rnd(6)]!, start, start + 1 + rnd(6), rnd(2) ? 'NAME' : 'DATE', 0.4 + rnd(6) / 10));
      }
      const expected: Candidate[] = [];
      const ranked = cs.filter((c) => c.confidence >= 0.5).sort((x, y) => RESOLUTION[y.kind].rank - RESOLUTION[x.kind].rank || y.end - y.start - (x.end - x.start) || x.start - y.start);
      for (const c of ranked) if (!expected.some((s) => c.start < s.end && s.start < c.end)) expected.push(c);
      expected.sort((a, b) => a.start - b.start);
      assert.deepEqual(resolveCandidates(cs, 0.5), expected.map(({ start, end, label, confidence, kind }) => ({ start, end, label, confidence, kind })));
    }
    assert.deepEqual([...stableOrder(Float64Array.from([3, 1, 3, 0, 1, 3]))], [3, 1, 4, 0, 2, 5]);
  });
});
