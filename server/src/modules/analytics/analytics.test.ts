import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedId, suppress, suppressWithin } from './analytics.ts';

// R-UX-1, R-DATA-3: small cells never leave; one withheld cell alone would follow from the total.
test('cells under 11 are suppressed, and a lone suppressed cell takes the next smallest with it', () => {
  assert.deepEqual(suppress([40, 3, 12, 25]).map((c) => c.count), [40, null, null, 25]);
  assert.deepEqual(suppress([40, 3, 2, 25]).map((c) => c.count), [40, null, null, 25]);
  assert.deepEqual(suppress([11, 10]).map((c) => c.count), [null, null]);
  assert.deepEqual(suppress([11, 12]).map((c) => c.count), [11, 12]);
  assert.deepEqual(suppress([]), []);
});

// A lone withheld cell of one kind follows from that kind's total in another series: the next smallest
// of the same kind goes, not a smaller cell of another kind.
test('secondary suppression happens within the group whose total is known elsewhere', () => {
  const rows = [{ k: 'denial', n: 14 }, { k: 'step-up', n: 12 }, { k: 'denial', n: 4 }];
  assert.deepEqual(suppressWithin(rows, (r) => r.k, (r) => r.n).map((c) => c.count), [null, 12, null]);
  assert.deepEqual(suppress(rows.map((r) => r.n)).map((c) => c.count), [14, null, null], 'the series-wide rule would keep 14 (and 18 - 14 = 4)');
});

test('a masked id keeps four hex digits of the UUID', () => {
  assert.equal(maskedId('0b6f2c1e-1111-4222-8333-94445555abcd'), '…abcd');
});
