// 42 CFR Part 2 consent on the AI path (R-AUTHZ-4, R-AI-1; docs/ai.md): a SUD-Part2 patient's
// substance-use sentences are withheld from a model's input unless the patient's consent covers this
// disclosure (recipient = the vendor the task goes to, purpose = the request's Ward-Purpose), neither
// expired nor revoked. Through the real pipeline: session, Cedar (sud-part2-purpose), the consents'
// row-level security in the decision's transaction, and what the vendor receives.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TenantId } from '@ward/contracts';
import { buildApp } from '../../src/app.ts';
import { classifyRestricted, type Provider, type Vendor } from '../../src/modules/ai/index.ts';
import { generateDemo } from '../../src/modules/demo/index.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { insertPart2Consent, recipientRef, revokePart2Consent } from '../../src/modules/disclosures/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';
import { problemCode } from '../support/problem.ts';
import { signIn, type TestSession } from '../support/session-client.ts';

const demo = generateDemo(1);
const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
// A SUD-Part2 call of a known patient whose transcript speaks of substance use.
const sudCall = demo.calls.find((c) => c.tenantId === riverside.id && c.phiScope === 'SUD-Part2' && c.patientId
  && c.transcript.utterances.some((u) => classifyRestricted(u.text).categories.includes('substance-use')))!;
const patientId = sudCall.patientId!;
const tenantId = riverside.id as TenantId;

for (const { engine, skip } of ENGINES) {
  describe(`Part 2 consent unlocks substance-use input on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let agent: TestSession;
    const sent: string[] = [];
    const provider: Provider = { kind: 'openai', model: 'spy-1', complete: async (r) => { sent.push(r.user); return { text: '[PATIENT_1] called.' }; } };
    const vendor: Vendor = { name: 'acme-ai', provider, baaActive: true, timeoutMs: 5000 };

    before(async () => {
      t = await createTestDeps(engine);
      await seedDemo(t.deps.db.systemDb, demo, { cipher: t.deps.cipher });
      app = await buildApp({ ...t.deps, ai: { vendorFor: async () => vendor } } as typeof t.deps);
      agent = await signIn(t.deps, 'amara.agent@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const run = async (purpose: string | null) => {
      sent.length = 0;
      const headers = { ...(await agent.headers('POST', '/v1/ai/tasks')), ...(purpose ? { 'ward-purpose': purpose } : {}) };
      const res = await app.inject({ method: 'POST', url: '/v1/ai/tasks', headers, payload: { template: 'call-summary', target: { type: 'call', id: sudCall.id } } });
      if (res.statusCode !== 201) return { status: res.statusCode, code: problemCode(res) };
      const [row] = (await t.deps.db.systemDb.query<{ facts: { withheld: Record<string, number>; part2Consent?: string; part2ConsentId?: string } }>(
        'SELECT facts FROM ai_drafts WHERE id = $1', [res.json().id])).rows;
      const input = sent.join('\n');
      return { status: 201, withheld: row!.facts.withheld['substance-use'] ?? 0, why: row!.facts.part2Consent, consentId: row!.facts.part2ConsentId, sudSent: classifyRestricted(input).categories.includes('substance-use') };
    };
    const consent = async (recipient: string, purpose: string, expiresAt: Date) => {
      const id = randomUUID();
      const recipientEnc = await t.deps.cipher.encryptField(tenantId, recipientRef('part2_consents', id), recipient);
      await t.deps.db.scoped({ tenantId, phiScopes: ['SUD-Part2'], actorKind: 'system', actorId: 'system:cli' }, (tx) =>
        insertPart2Consent(tx, { id, tenantId, patientId, recipientEnc, purpose, expiresAt, recordedAt: new Date(), recordedBy: 'marcus.manager@riverside.test' }));
      return id;
    };
    const inAYear = new Date(Date.now() + 365 * 86_400_000);

    test('without a consent, with an expired one, for another purpose or another recipient: substance use is withheld', async () => {
      const noPurpose = await run(null);
      assert.ok([403, 404].includes(noPurpose.status), 'a Part 2 call needs a purpose of use (sud-part2-purpose)');
      const none = await run('TREAT');
      assert.deepEqual(none, { status: 201, withheld: none.withheld, why: 'part2-consent-missing', consentId: undefined, sudSent: false });
      assert.ok((none.withheld ?? 0) > 0, 'the sentence is withheld and counted');

      await consent('acme-ai', 'TREAT', new Date(Date.now() - 86_400_000));
      const expired = await run('TREAT');
      assert.equal(expired.why, 'part2-consent-expired');
      assert.equal(expired.sudSent, false);
      assert.equal(expired.withheld, none.withheld);

      await consent('acme-ai', 'HPAYMT', inAYear);
      await consent('another vendor', 'TREAT', inAYear);
      const other = await run('TREAT');
      assert.equal(other.consentId, undefined, 'another purpose or another recipient covers nothing');
      assert.equal(other.sudSent, false);
      assert.equal(other.withheld, none.withheld);
    });

    test('a consent to this vendor for this purpose unlocks it, for that purpose only, until revoked', async () => {
      const id = await consent('ACME-AI', 'TREAT', inAYear);
      const covered = await run('TREAT');
      assert.deepEqual(covered, { status: 201, withheld: 0, why: 'part2-consent-covered', consentId: id, sudSent: true });
      const payment = await run('HPAYMT');
      assert.equal(payment.consentId !== undefined, true, `the HPAYMT consent to this vendor covers a payment task: ${JSON.stringify(payment)}`);
      const operations = await run('HOPERAT');
      assert.deepEqual({ ...operations, withheld: (operations.withheld ?? 0) > 0 }, { status: 201, withheld: true, why: 'part2-consent-missing', consentId: undefined, sudSent: false });

      await t.deps.db.scoped({ tenantId, phiScopes: ['SUD-Part2'], actorKind: 'system', actorId: 'system:cli' }, (tx) =>
        revokePart2Consent(tx, tenantId, id, 'marcus.manager@riverside.test', new Date()));
      const revoked = await run('TREAT');
      assert.equal(revoked.why, 'part2-consent-revoked');
      assert.equal(revoked.sudSent, false);
      assert.ok((revoked.withheld ?? 0) > 0);
    });
  });
}
