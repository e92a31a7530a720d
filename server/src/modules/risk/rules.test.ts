import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICIES_DIR } from '../policy/index.ts';
import { assessRisk, loadRiskRules, parseRiskRules, type RiskFacts } from './rules.ts';
import { isOffHours, networkPrefix, workingHours } from './facts.ts';

const rules = loadRiskRules(DEFAULT_POLICIES_DIR);

const calm: RiskFacts = {
  sessionAgeSeconds: 600, verifiedAgeSeconds: 600, devicePosture: 'managed', postureAgeSeconds: 3600,
  newPrefix: false, newCountry: false, offHours: false, recentDenials: 0, recentFailedAuth: 0, openDetections: 0,
};

// R-SESS-2: one table per signal: the facts that raise it, the level, the rules named, and whether an
// outsider could have raised it (then it must never be `high`).
const TABLE: Array<{ name: string; facts: Partial<RiskFacts>; risk: 'low' | 'medium' | 'high'; rules: string[] }> = [
  { name: 'a managed device, a known network, working hours and no bursts is low', facts: {}, risk: 'low', rules: [] },
  { name: 'a workload (no device) with nothing else is low', facts: { devicePosture: 'none', postureAgeSeconds: -1 }, risk: 'low', rules: [] },
  // Session age and time since verification
  { name: 'a session of 11 hours verified 3 hours ago is low', facts: { sessionAgeSeconds: 11 * 3600, verifiedAgeSeconds: 3 * 3600 }, risk: 'low', rules: [] },
  { name: 'no user verification for four hours is medium', facts: { verifiedAgeSeconds: 4 * 3600 }, risk: 'medium', rules: ['long-unverified'] },
  // Device posture and its freshness
  { name: 'an unmanaged device is high', facts: { devicePosture: 'unmanaged' }, risk: 'high', rules: ['unmanaged-device'] },
  { name: 'a device of unknown posture is left to member-managed-device (no risk rule)', facts: { devicePosture: 'unknown' }, risk: 'low', rules: [] },
  { name: 'a posture report a day old is medium', facts: { postureAgeSeconds: 86_400 }, risk: 'medium', rules: ['stale-posture'] },
  { name: 'a posture report 23 hours old is low', facts: { postureAgeSeconds: 23 * 3600 }, risk: 'low', rules: [] },
  { name: 'a device never reported on is not stale (its posture is unknown)', facts: { postureAgeSeconds: -1 }, risk: 'low', rules: [] },
  // Network
  { name: 'a new country is medium', facts: { newCountry: true }, risk: 'medium', rules: ['new-country'] },
  { name: 'a new prefix in working hours is low', facts: { newPrefix: true }, risk: 'low', rules: [] },
  { name: 'a new prefix off hours is medium', facts: { newPrefix: true, offHours: true }, risk: 'medium', rules: ['new-prefix-off-hours'] },
  { name: 'off hours alone is low', facts: { offHours: true }, risk: 'low', rules: [] },
  // Detections
  { name: 'an open detection is medium', facts: { openDetections: 1 }, risk: 'medium', rules: ['open-detection'] },
  { name: 'a new country with an open detection is high', facts: { newCountry: true, openDetections: 2 }, risk: 'high', rules: ['new-country-with-detection', 'new-country', 'open-detection'] },
  // Outsider-raisable signals: medium at most
  { name: 'four failed sign-ins are low', facts: { recentFailedAuth: 4 }, risk: 'low', rules: [] },
  { name: 'five failed sign-ins are medium', facts: { recentFailedAuth: 5 }, risk: 'medium', rules: ['failed-auth-burst'] },
  { name: 'a thousand failed sign-ins are still only medium', facts: { recentFailedAuth: 1000 }, risk: 'medium', rules: ['failed-auth-burst'] },
  { name: 'a denial burst is medium', facts: { recentDenials: 20 }, risk: 'medium', rules: ['denial-burst'] },
  { name: 'every outsider signal at once is still only medium', facts: { recentDenials: 500, recentFailedAuth: 500 }, risk: 'medium', rules: ['failed-auth-burst', 'denial-burst'] },
  { name: 'a failed sign-in burst does not lift an own high', facts: { recentFailedAuth: 50, devicePosture: 'unmanaged' }, risk: 'high', rules: ['unmanaged-device', 'failed-auth-burst'] },
];

describe('risk rules (R-SESS-2)', () => {
  for (const row of TABLE) {
    test(row.name, () => {
      const a = assessRisk(rules, { ...calm, ...row.facts });
      assert.equal(a.risk, row.risk);
      assert.deepEqual(a.rules, row.rules);
    });
  }

  test('refuse a rule that lets an outsider-raisable fact block', () => {
    assert.throws(
      () => parseRiskRules({ version: 1, rules: [{ id: 'lockout', risk: 'high', when: { recentFailedAuth: { gte: 3 } } }] }),
      { code: 'CONFIG_INVALID', message: /lockout: recentFailedAuth can be raised by an outsider, so it may raise medium at most/ },
    );
    assert.throws(
      () => parseRiskRules({ version: 1, rules: [{ id: 'combo', risk: 'high', when: { newCountry: true, recentDenials: { gte: 1 } } }] }),
      { code: 'CONFIG_INVALID', message: /combo: recentDenials/ },
    );
  });

  test('refuse unknown facts, bad conditions, duplicate ids and a level of low', () => {
    const bad = (r: unknown, message: RegExp) => assert.throws(() => parseRiskRules({ version: 1, rules: [r] }), { code: 'CONFIG_INVALID', message });
    bad({ id: 'x', risk: 'medium', when: { moonPhase: true } }, /unknown fact moonPhase/);
    bad({ id: 'x', risk: 'medium', when: { recentDenials: 3 } }, /recentDenials takes \{"gte"/);
    bad({ id: 'x', risk: 'medium', when: { newCountry: 'yes' } }, /newCountry takes true or false/);
    bad({ id: 'x', risk: 'low', when: { newCountry: true } }, /risk must be medium or high/);
    bad({ id: 'x', risk: 'medium', when: {} }, /at least one fact/);
    assert.throws(() => parseRiskRules({ version: 1, rules: [{ id: 'a', risk: 'medium', when: { offHours: true } }, { id: 'a', risk: 'medium', when: { offHours: true } }] }), { message: /duplicate id/ });
  });

  test('take a network prefix of /24 or /48, never the whole address', () => {
    assert.equal(networkPrefix('203.0.113.77'), '203.0.113.0/24');
    assert.equal(networkPrefix('::ffff:198.51.100.9'), '198.51.100.0/24');
    assert.equal(networkPrefix('2001:db8:abcd:12::1'), '2001:db8:abcd::/48');
    assert.equal(networkPrefix('2001:0db8::1'), '2001:db8:0::/48');
    assert.equal(networkPrefix('not an address'), null);
    assert.equal(networkPrefix(null), null);
    assert.equal(networkPrefix('127.0.0.1'), null);
    assert.equal(networkPrefix('::1'), null);
    assert.equal(networkPrefix('::ffff:127.0.0.1'), null);
  });

  test("tell off-hours in the tenant's time zone", () => {
    const ny = workingHours({ timeZone: 'America/New_York' });
    // Tuesday 2026-12-01 14:00 UTC is 09:00 in New York: working hours there, and in UTC.
    assert.equal(isOffHours(ny, new Date('2026-12-01T14:00:00Z')), false);
    // Tuesday 03:00 UTC is Monday 22:00 in New York: off hours there.
    assert.equal(isOffHours(ny, new Date('2026-12-01T03:00:00Z')), true);
    // Saturday noon in New York.
    assert.equal(isOffHours(ny, new Date('2026-12-05T17:00:00Z')), true);
    // Within one UTC minute the answer is remembered; the next minute is asked afresh, for each zone,
    // and a zone a quarter of an hour off the hour (Kathmandu, UTC+5:45) turns at its own minute.
    assert.equal(isOffHours(ny, new Date('2026-12-01T23:59:59Z')), false);
    assert.equal(isOffHours(ny, new Date('2026-12-02T00:00:00Z')), true);
    const kathmandu = workingHours({ timeZone: 'Asia/Kathmandu' });
    assert.equal(isOffHours(kathmandu, new Date('2026-12-01T13:14:59Z')), false);
    assert.equal(isOffHours(kathmandu, new Date('2026-12-01T13:15:00Z')), true);
    assert.equal(isOffHours(ny, new Date('2026-12-02T00:00:30Z')), true);
    // An unknown zone keeps UTC; hours out of range keep the defaults.
    assert.deepEqual(workingHours({ timeZone: 'Mars/Olympus', startHour: 30 }), { timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] });
    // Zone names are remembered as they were answered the first time: asked again, a known name is
    // still its canonical name and an unknown one still unknown.
    assert.equal(workingHours({ timeZone: 'Mars/Olympus' }).timeZone, 'UTC');
    assert.equal(workingHours({ timeZone: 'America/New_York' }).timeZone, 'America/New_York');
  });
});
