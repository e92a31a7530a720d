import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedId, suppress } from './analytics.ts';

// R-UX-1, R-DATA-3: small cells never leave; one withheld cell alone would follow from the total.
test('cells under 11 are suppressed, and a lone suppressed cell takes the next smallest with it', () => {
  assert.deepEqual(suppress([40, 3, 12, 25]).map((c) => c.count), [40, null, null, 25]);
  assert.deepEqual(suppress([40, 3, 2, 25]).map((c) => c.count), [40, null, null, 25]);
  assert.deepEqual(suppress([11, 10]).map((c) => c.count), [null, null]);
  assert.deepEqual(suppress([11, 12]).map((c) => c.count), [11, 12]);
  assert.deepEqual(suppress([]), []);
});

test('a masked id keeps four hex digits of the UUID', () => {
  assert.equal(maskedId('0b6f2c1e-1111-4222-8333-94445555abcd'), '…abcd');
});
