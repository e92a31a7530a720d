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
import { insertPart2Consent, listDisclosures, PART2_REDISCLOSURE_NOTICE, recipientRef, revokePart2Consent } from '../../src/modules/disclosures/index.ts';
import { ENGINES } from '../support/databases.ts';
import { boundedEngineSkip } from '../support/long.ts';
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

// The bounded run on PostgreSQL alone when it has one (support/long.ts); WARD_TEST_LONG=1 on both engines.
for (const { engine, skip: engineSkip } of ENGINES) {
  const skip = boundedEngineSkip(engine, engineSkip);
  describe(`Part 2 consent unlocks substance-use input on ${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'}`, { skip }, () => {
    let t: TestDeps;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let agent: TestSession;
    const sent: string[] = [];
    const systems: string[] = [];
    const provider: Provider = { kind: 'openai', model: 'spy-1', complete: async (r) => { sent.push(r.user); systems.push(r.system); return { text: '[PATIENT_1] called.' }; } };
    const vendor: Vendor = { name: 'acme-ai', provider, baaActive: true, timeoutMs: 5000 };
    // The vendor the next task goes to (the tenant's active vendor, as the resolver would give it).
    let current: Vendor = vendor;

    before(async () => {
      t = await createTestDeps(engine, { demo: demo.seed });
      app = await buildApp({ ...t.deps, ai: { vendorFor: async () => current } } as typeof t.deps);
      agent = await signIn(t.deps, 'amara.agent@riverside.test');
    });
    after(async () => {
      await app?.close();
      await t?.close();
    });

    const run = async (purpose: string | null) => {
      sent.length = 0;
      systems.length = 0;
      const headers = { ...(await agent.headers('POST', '/v1/ai/tasks')), ...(purpose ? { 'ward-purpose': purpose } : {}) };
      const res = await app.inject({ method: 'POST', url: '/v1/ai/tasks', headers, payload: { template: 'call-summary', target: { type: 'call', id: sudCall.id } } });
      if (res.statusCode !== 201) return { status: res.statusCode, code: problemCode(res) };
      const [row] = (await t.deps.db.systemDb.query<{ facts: { withheld: Record<string, number>; part2Consent?: string; part2ConsentId?: string } }>(
        'SELECT facts FROM ai_drafts WHERE id = $1', [res.json().id])).rows;
      const input = sent.join('\n');
      lastTask = { id: res.json().id as string, disclosureId: (row!.facts as { part2DisclosureId?: string }).part2DisclosureId };
      return { status: 201, withheld: row!.facts.withheld['substance-use'] ?? 0, why: row!.facts.part2Consent, consentId: row!.facts.part2ConsentId, sudSent: classifyRestricted(input).categories.includes('substance-use') };
    };
    let lastTask: { id: string; disclosureId?: string } = { id: '' };
    // The patient's accounting of disclosures (45 CFR 164.528), AI tasks only, as the privacy office reads it.
    const aiDisclosures = async () => (await t.deps.db.scoped({ tenantId, phiScopes: ['SUD-Part2'], actorKind: 'system', actorId: 'system:cli' }, (tx) =>
      listDisclosures(tx, t.deps.cipher, tenantId, patientId, new Date()))).disclosures.filter((d) => d.aiTaskId !== null);
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

    test('a task sent to a vendor under the consent is a disclosure in the patient\'s accounting; one withheld, refused or kept in Ward is none (R-AUDIT-1, 42 CFR 2.31)', async () => {
      const before = (await aiDisclosures()).length;
      // Not covered (another purpose): substance use withheld, no Part 2 disclosure.
      await run('HOPERAT');
      assert.equal(lastTask.disclosureId, undefined);
      assert.equal((await aiDisclosures()).length, before);

      const id = await consent('acme-ai', 'TREAT', inAYear);
      const covered = await run('TREAT');
      assert.equal(covered.sudSent, true);
      assert.ok(lastTask.disclosureId, 'the draft names its disclosure');
      assert.ok(systems[0]!.includes(PART2_REDISCLOSURE_NOTICE), 'the 42 CFR 2.32 notice accompanies the data');
      const listed = await aiDisclosures();
      assert.equal(listed.length, before + 1);
      const d = listed.at(-1)!;
      assert.deepEqual(
        { id: d.id, aiTaskId: d.aiTaskId, recipient: d.recipient, purpose: d.purpose, consent: d.part2ConsentId, exportId: d.exportId },
        { id: lastTask.disclosureId, aiTaskId: lastTask.id, recipient: 'acme-ai', purpose: 'TREAT', consent: id, exportId: null },
      );
      assert.match(d.description, /^AI task call-summary@1: pseudonymised transcript\.redacted, call\.direction, substance-use content included, sent to model spy-1$/);
      // The accounting over HTTP carries the task too.
      const manager = await signIn(t.deps, 'marcus.manager@riverside.test');
      const url = `/v1/patients/${patientId}/disclosures`;
      const accounting = await app.inject({ method: 'GET', url, headers: { ...(await manager.headers('GET', url)), 'ward-purpose': 'TREAT' } });
      assert.equal(accounting.statusCode, 200, accounting.body);
      assert.equal((accounting.json().disclosures as Array<{ aiTaskId: string | null }>).filter((x) => x.aiTaskId === lastTask.id).length, 1);

      // The built-in provider never leaves the process: no disclosure even under a consent naming it.
      await consent('local', 'TREAT', inAYear);
      current = { name: 'local', provider: { ...provider, kind: 'local' }, baaActive: false, timeoutMs: 5000 };
      const inWard = await run('TREAT');
      assert.equal(inWard.sudSent, true);
      assert.equal(lastTask.disclosureId, undefined);
      // A vendor without an active BAA receives nothing (VENDOR_NOT_BAA): no disclosure either.
      current = { ...vendor, baaActive: false };
      const refused = await run('TREAT');
      assert.equal(refused.code, 'VENDOR_NOT_BAA');
      assert.equal(sent.length, 0);
      assert.equal((await aiDisclosures()).length, before + 1);
      current = vendor;
    });
  });
}
