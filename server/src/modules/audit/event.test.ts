// R-AUDIT-1, R-AUDIT-3: the leaf bytes of an event are RFC 8785 JCS of all its fields.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { LEAF_FIELDS, eventLeafHash, leafBytes, leafText, sealableFromRow, type AuditEventRow, type SealableEvent } from './event.ts';
import { hashLeaf } from './hashes.ts';
import { syntheticEvent } from './test-events.ts';

function pick(event: SealableEvent): Record<string, unknown> {
  return Object.fromEntries(LEAF_FIELDS.map((name) => [name, event[name]]));
}

describe('leaf bytes', () => {
  test('equal the canonicalize package applied to the event fields, for varied events', () => {
    for (let seq = 1; seq <= 200; seq += 1) {
      const event = syntheticEvent('tenant-a', seq);
      assert.equal(leafText(event), canonicalize(pick(event)));
    }
  });

  test('equal JCS for non-ASCII text, escapes and nested metadata with numbers', () => {
    const event: SealableEvent = {
      ...syntheticEvent('tenant-a', 3),
      purpose: 'é\u20ac\ud83d\ude00 "quoted" \\ \n\u0001',
      metadata: { z: [1e21, 0.000001, -0, 1.5], a: { ß: true, '\u00e9': null, b: 'x' }, '10': 3, '2': 4 },
    };
    const text = leafText(event);
    assert.equal(text, canonicalize(pick(event)));
    // RFC 8785 §3.2.2.3: ES number serialisation; §3.2.3: keys sorted by UTF-16 code units.
    assert.match(text, /"metadata":\{"10":3,"2":4,"a":\{"b":"x","ß":true,"é":null\},"z":\[1e\+21,0\.000001,0,1\.5\]\}/);
  });

  test('equal JCS for any flat or nested metadata (the flat fast path and the package agree)', () => {
    const scalar = fc.oneof(fc.string(), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.constant(-0));
    const metadata = fc.oneof(fc.dictionary(fc.string(), scalar), fc.dictionary(fc.string(), fc.oneof(scalar, fc.array(scalar), fc.dictionary(fc.string(), scalar))));
    fc.assert(
      fc.property(metadata, (m) => {
        const event: SealableEvent = { ...syntheticEvent('tenant-a', 9), metadata: m };
        let expected: string | Error;
        try {
          expected = canonicalize(pick(event))!;
        } catch (e) {
          expected = e as Error;
        }
        if (expected instanceof Error) assert.throws(() => leafText(event));
        else assert.equal(leafText(event), expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('cover the tenant and the position, so an event cannot move', () => {
    const event = syntheticEvent('tenant-a', 5);
    const hash = eventLeafHash(event);
    assert.notDeepEqual(eventLeafHash({ ...event, tenantId: 'tenant-b' }), hash);
    assert.notDeepEqual(eventLeafHash({ ...event, seq: 6 }), hash);
    assert.deepEqual(hash, hashLeaf(leafBytes(event)));
  });

  test('ignore properties that are not event fields and refuse missing ones', () => {
    const event = syntheticEvent('tenant-a', 5);
    assert.equal(leafText({ ...event, leafHash: 'x' } as SealableEvent), leafText(event));
    const { purpose: _dropped, ...missing } = event;
    assert.throws(() => leafText(missing as SealableEvent), TypeError);
  });

  test('refuse lone surrogates, fractional seqs and wrong shapes', () => {
    const event = syntheticEvent('tenant-a', 5);
    assert.throws(() => leafText({ ...event, actorId: 'a\ud800' }), TypeError);
    assert.throws(() => leafText({ ...event, seq: 1.5 }), TypeError);
    assert.throws(() => leafText({ ...event, seq: 0 }), TypeError);
    assert.throws(() => leafText({ ...event, policyIds: 'p' as unknown as string[] }), TypeError);
    assert.throws(() => leafText({ ...event, metadata: [] as unknown as SealableEvent['metadata'] }), TypeError);
  });
});

describe('sealableFromRow', () => {
  const row: AuditEventRow = {
    id: '8e7c2d40-0000-4000-8000-000000000001',
    tenant_id: 'tenant-a',
    seq: '42',
    occurred_at: '2025-03-01 10:00:00.123456+00',
    actor_kind: 'human',
    actor_id: 'm1',
    on_behalf_of: null,
    session_id: 's1',
    device_id: null,
    source_ip: '10.0.0.1',
    action: 'patient.view',
    target_type: 'patient',
    target_id: 'p1',
    phi_scope: 'Healthcare-PHI',
    decision: 'allow',
    policy_ids: ['p1'],
    reasons: null,
    purpose: 'treatment',
    justification_enc: Buffer.from([0xfb, 0xff, 0x00]),
    outcome: 'success',
    metadata: null,
  };

  test('keeps the timestamp text, encodes the ciphertext as base64url and reads seq as a number', () => {
    const event = sealableFromRow(row);
    assert.equal(event.occurredAt, '2025-03-01 10:00:00.123456+00');
    assert.equal(event.justificationEnc, '-_8A');
    assert.equal(event.seq, 42);
    assert.deepEqual(event.reasons, []);
    assert.equal(sealableFromRow(row, 43n).seq, 43);
  });

  test('refuses a timestamp parsed into a Date and a row without seq', () => {
    assert.throws(() => sealableFromRow({ ...row, occurred_at: new Date() as unknown as string }), TypeError);
    assert.throws(() => sealableFromRow({ ...row, seq: null }), TypeError);
  });
});
