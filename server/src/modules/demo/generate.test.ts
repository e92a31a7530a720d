import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PHI_SCOPES, ROLES } from '@ward/contracts';
import { demoGoldDocuments, generateDemo } from './index.ts';
import type { DemoData } from './index.ts';
import { MBI_PATTERN } from './people.ts';

const data: DemoData = generateDemo();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LABELS = new Set(['NAME', 'DATE', 'AGE', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE',
  'VEHICLE', 'DEVICE', 'URL', 'IP', 'ADDRESS', 'LOCATION', 'ID', 'ORGANIZATION', 'PROFESSION']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('generateDemo', () => {
  it('returns deep-equal data for the same seed, with seed 1 by default', () => {
    assert.deepEqual(generateDemo(1), data);
    assert.deepEqual(generateDemo(7), generateDemo(7));
  });

  it('returns different data, ids included, for a different seed', () => {
    const other = generateDemo(2);
    assert.notEqual(other.tenants[0]?.id, data.tenants[0]?.id);
    assert.notDeepEqual(other.patients.map((p) => p.familyName), data.patients.map((p) => p.familyName));
  });

  it('uses UUID v4-shaped ids that are all distinct', () => {
    const ids = [
      ...data.tenants.map((t) => t.id), ...data.members.map((m) => m.id), ...data.devices.map((d) => d.id),
      ...data.patients.map((p) => p.id), ...data.caseNotes.map((n) => n.id),
      ...data.calls.flatMap((c) => [c.id, c.recording.id, c.transcript.id]),
    ];
    for (const id of ids) assert.match(id, UUID_V4);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('creates the riverside and lakeside tenants with every role and a managed device per member', () => {
    assert.deepEqual(data.tenants.map((t) => t.slug), ['riverside', 'lakeside']);
    for (const tenant of data.tenants) {
      assert.equal(tenant.defaultPhiScope, 'SUD-Part2');
      const members = data.members.filter((m) => m.tenantId === tenant.id);
      for (const role of ROLES) assert.ok(members.some((m) => m.roles.includes(role)), `${tenant.slug} has an ${role}`);
      for (const m of members) {
        assert.match(m.email, new RegExp(`^[a-z]+\\.[a-z]+@${tenant.slug}\\.test$`));
        const devices = data.devices.filter((d) => d.memberId === m.id);
        assert.equal(devices.length, 1);
        assert.equal(devices[0]?.posture, tenant.unmanagedMembers.includes(m.id) ? 'unmanaged' : 'managed');
        assert.match(devices[0]?.thumbprint ?? '', /^[A-Za-z0-9_-]{43}$/);
      }
      // R-SESS-4 shows in the demo: one member of lakeside works from unmanaged devices.
      assert.deepEqual(tenant.unmanagedMembers.map((id) => members.find((m) => m.id === id)?.email), tenant.slug === 'lakeside' ? ['amos.agent@lakeside.test'] : []);
      // A role grants nothing without a scope grant: Owners hold none, an Auditor holds all four.
      assert.ok(members.filter((m) => m.roles.includes('Owner')).every((m) => m.phiScopes.length === 0));
      assert.ok(members.some((m) => m.roles.includes('Auditor') && m.phiScopes.length === PHI_SCOPES.length));
      assert.ok(new Set(members.map((m) => m.phiScopes.join(','))).size >= 4, 'scope grants vary');
    }
  });

  it('creates at least 200 patients over both tenants and all four scopes, with fictional identifiers', () => {
    assert.ok(data.patients.length >= 200);
    for (const tenant of data.tenants) {
      const scopes = new Set(data.patients.filter((p) => p.tenantId === tenant.id).map((p) => p.phiScope));
      assert.deepEqual([...scopes].sort(), [...PHI_SCOPES].sort());
    }
    for (const p of data.patients) {
      assert.match(p.phone, /^\+1\d{3}55501\d{2}$/);
      assert.match(p.ssn, /^9\d\d-(0[1-9]|[1-4]\d)-\d{4}$/);
      assert.match(p.dateOfBirth, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(p.email, /@(mail\.)?example\.(com|net|org)$/);
      assert.match(p.zip, /^\d{5}$/);
    }
    const mbis = data.patients.filter((p) => MBI_PATTERN.test(p.memberNumber));
    assert.ok(mbis.length > 10, 'some member numbers are Medicare MBIs');
    assert.ok(data.patients.some((p) => p.mrn.startsWith('MRN')) && data.patients.some((p) => /^\d+$/.test(p.mrn)));
  });

  it('creates at least 300 calls over both tenants, some from unidentified callers in the most restrictive scope', () => {
    assert.ok(data.calls.length >= 300);
    const patients = new Map(data.patients.map((p) => [p.id, p]));
    const unidentified = data.calls.filter((c) => c.patientId === null);
    assert.ok(unidentified.length >= data.calls.length * 0.1 && unidentified.length <= data.calls.length * 0.15);
    for (const c of unidentified) assert.equal(c.phiScope, 'SUD-Part2');
    for (const c of data.calls) {
      if (c.patientId !== null) {
        const p = patients.get(c.patientId);
        assert.equal(p?.phiScope, c.phiScope);
        assert.equal(p?.tenantId, c.tenantId);
      }
      const n = c.transcript.utterances.length;
      assert.ok(n >= 6 && n <= 20, `a transcript has ${n} utterances`);
      assert.ok(Date.parse(c.endedAt) - Date.parse(c.startedAt) === c.recording.durationMs);
    }
    for (const tenant of data.tenants) assert.ok(data.calls.some((c) => c.tenantId === tenant.id && c.patientId === null));
    assert.ok(data.calls.some((c) => c.transcript.utterances.some((u) => u.speaker === 'ai_agent')));
  });

  it('writes transcripts the way speech recognition does: lower case, numbers as words', () => {
    for (const c of data.calls) {
      for (const u of c.transcript.utterances) {
        assert.doesNotMatch(u.text, /[A-Z0-9]/, u.text);
        assert.doesNotMatch(u.text, /^\s|\s$|\s\s/, u.text);
      }
    }
  });

  it('keeps every gold span non-empty, trimmed, inside its utterance and apart from the others', () => {
    let count = 0;
    for (const c of data.calls) {
      for (const u of c.transcript.utterances) {
        let lastEnd = -1;
        for (const s of u.spans) {
          count++;
          assert.ok(LABELS.has(s.label), s.label);
          assert.ok(s.start >= 0 && s.end <= u.text.length && s.start < s.end);
          const value = u.text.slice(s.start, s.end);
          assert.equal(value, value.trim());
          assert.ok(s.start >= lastEnd, 'spans are in order and do not overlap');
          lastEnd = s.end;
        }
      }
    }
    assert.ok(count > 2000);
  });

  it('covers the spoken PHI kinds the redaction engine must find', () => {
    const labels = new Set(data.calls.flatMap((c) => c.transcript.utterances.flatMap((u) => u.spans.map((s) => s.label))));
    for (const l of ['NAME', 'DATE', 'AGE', 'PHONE', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ADDRESS', 'LOCATION']) {
      assert.ok(labels.has(l), l);
    }
  });

  it('gives gold documents whose offsets point at the same text as the utterance spans', () => {
    const docs = demoGoldDocuments(data);
    assert.deepEqual(docs, demoGoldDocuments(1));
    assert.equal(docs.length, data.calls.length);
    docs.forEach((doc, i) => {
      const call = data.calls[i];
      assert.equal(doc.id, call?.id);
      const expected = call?.transcript.utterances.flatMap((u) => u.spans.map((s) => u.text.slice(s.start, s.end))) ?? [];
      assert.deepEqual(doc.spans.map((s) => doc.text.slice(s.start, s.end)), expected);
      assert.equal(doc.text.split('\n').length, call?.transcript.utterances.length);
    });
  });

  it('lets a patient\'s family name appear in their transcripts only inside a NAME span (or the e-mail made from it)', () => {
    const patients = new Map(data.patients.map((p) => [p.id, p]));
    for (const c of data.calls) {
      const p = c.patientId ? patients.get(c.patientId) : undefined;
      if (!p) continue;
      const re = new RegExp(`\\b${escapeRegExp(p.familyName.toLowerCase())}\\b`, 'g');
      for (const u of c.transcript.utterances) {
        for (const m of u.text.matchAll(re)) {
          const start = m.index;
          const end = start + m[0].length;
          const inside = u.spans.find((s) => s.start <= start && end <= s.end);
          assert.ok(inside && (inside.label === 'NAME' || inside.label === 'EMAIL'), `"${u.text}" leaks ${p.familyName}`);
        }
      }
    }
  });

  it('writes case notes in the patient\'s scope and tenant, by a member of that tenant', () => {
    assert.ok(data.caseNotes.length > 20);
    const patients = new Map(data.patients.map((p) => [p.id, p]));
    const members = new Map(data.members.map((m) => [m.id, m]));
    for (const n of data.caseNotes) {
      const p = patients.get(n.patientId);
      assert.equal(n.phiScope, p?.phiScope);
      assert.equal(n.tenantId, p?.tenantId);
      assert.equal(members.get(n.authorId)?.tenantId, n.tenantId);
      assert.ok(n.body.includes(p?.familyName ?? '\u0000'));
    }
  });
});
