// R-AUDIT-4: OCSF records for SIEMs; R-DATA-4: the justification text never leaves.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { epochMillis, toOcsf } from './ocsf.ts';
import { syntheticEvent } from './test-events.ts';

describe('OCSF mapping', () => {
  test('maps a PHI read to API Activity (6003) Read with its resource and decision', () => {
    const event = { ...syntheticEvent('tenant-a', 1), action: 'patient.view', outcome: 'success' as const, decision: 'allow' as const };
    const record = toOcsf(event);
    assert.equal(record.class_uid, 6003);
    assert.equal(record.activity_id, 2);
    assert.equal(record.type_uid, 600302);
    assert.equal(record.status_id, 1);
    assert.deepEqual(record.resources, [{ type: 'patient', uid: event.targetId }]);
    assert.equal(record.api?.operation, 'patient.view');
    assert.equal(record.metadata.sequence, 1);
    assert.equal(record.metadata.tenant_uid, 'tenant-a');
    assert.equal(record.unmapped.ward.decision, 'allow');
    assert.equal(record.time, Date.parse(event.occurredAt));
  });

  test('maps a login to Authentication (3002) Logon, and a denial to a failure', () => {
    const event = { ...syntheticEvent('tenant-a', 2), action: 'auth.passkey.login', outcome: 'denied' as const, decision: 'deny' as const };
    const record = toOcsf(event);
    assert.equal(record.class_uid, 3002);
    assert.equal(record.activity_id, 1);
    assert.equal(record.type_uid, 300201);
    assert.equal(record.status_id, 2);
    assert.equal(record.severity_id, 3);
    assert.equal(record.user?.uid, event.actorId);
    assert.equal(toOcsf({ ...event, action: 'session.logout' }).activity_id, 2);
  });

  test('tells an agent acting for a human from the human (R-WORK-3)', () => {
    const event = { ...syntheticEvent('tenant-a', 3), actorKind: 'ai_agent_for_human' as const, actorId: 'agent-1', onBehalfOf: 'member-9' };
    const record = toOcsf(event);
    assert.equal(record.actor.user.type, 'ai_agent_for_human');
    assert.equal(record.actor.user.type_id, 99);
    assert.equal(record.unmapped.ward.on_behalf_of, 'member-9');
  });

  test('says whether a justification was given and never carries it', () => {
    const ciphertext = Buffer.from('encrypted justification bytes').toString('base64url');
    const withJustification = toOcsf({ ...syntheticEvent('tenant-a', 4), justificationEnc: ciphertext });
    assert.equal(withJustification.unmapped.ward.has_justification, true);
    assert.doesNotMatch(JSON.stringify(withJustification), new RegExp(ciphertext));
    assert.doesNotMatch(JSON.stringify(withJustification), /justification"?:\s*"/);
    assert.equal(toOcsf({ ...syntheticEvent('tenant-a', 5), justificationEnc: null }).unmapped.ward.has_justification, false);
  });

  test('reads PostgreSQL timestamp text as well as ISO 8601', () => {
    assert.equal(epochMillis('2025-03-01 10:00:00.123456+00'), Date.UTC(2025, 2, 1, 10, 0, 0, 123));
    assert.equal(epochMillis('2025-03-01T10:00:00.123Z'), Date.UTC(2025, 2, 1, 10, 0, 0, 123));
    assert.equal(epochMillis('2025-03-01 12:00:00+02'), Date.UTC(2025, 2, 1, 10, 0, 0));
  });
});
