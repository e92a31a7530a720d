// The AI gateway's pipeline (R-AI-1, R-AI-2, R-AI-3, R-AI-7): templates as data, only declared inputs,
// pseudonymisation, the BAA rule, fail closed with faults injected, and the leakage test against a
// stand-in OpenAI-compatible server on loopback reached through the egress policy.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { generateDemo } from '../demo/index.ts';
import { createEgressFetch, createEgressPolicy, parseEgressAllow } from '../egress/index.ts';
import {
  AI_PURPOSES, assembleInputs, checkTemplate, createLocalProvider, createOpenAiProvider, executeTask, inputActions, loadTemplates, prepareTask, reidentify,
  TaskPseudonyms, warmUp, type AiTemplate, type InputSources, type Provider, type Vendor,
} from './index.ts';
import { createHash } from 'node:crypto';
import { offsetFromDigest } from './date-shift.ts';
import { demoSources, emptyTally, patientFieldsOf, survivingWords, tallyLeaks } from './leakage.ts';

warmUp();
const templates = loadTemplates();
const tpl = (id: string): AiTemplate => templates.get(id)!;
const demo = generateDemo();
const patientOf = (patientId: string | null) => demo.patients.find((p) => p.id === patientId);
const local = (timeoutMs = 2000): Vendor => ({ name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs });
const vendorOf = (provider: Provider, baaActive = true, timeoutMs = 2000): Vendor => ({ name: 'stand-in', provider, baaActive, timeoutMs });

describe('templates as data (R-AI-2)', () => {
  test('the defaults in ai/templates cover the four purposes, each with a manual workflow', () => {
    assert.deepEqual([...new Set([...templates.values()].map((t) => t.purpose))].sort(), [...AI_PURPOSES].sort());
    for (const t of templates.values()) assert.ok(t.manualWorkflow.length > 0 && t.version >= 1);
  });

  test('each target offers its own inputs: a patient template reads no call transcript, a call template no patient calls', () => {
    const patientT = tpl('patient-calls-summary');
    assert.equal(patientT.target, 'patient');
    assert.deepEqual(inputActions(patientT), ['patient.view', 'transcript.readRedacted']);
    assert.equal(checkTemplate({ ...patientT, inputs: ['transcript.full'] }).ok, false);
    assert.equal(checkTemplate({ ...tpl('call-summary'), inputs: ['patient.calls.redacted'] }).ok, false);
    assert.equal(checkTemplate(tpl('call-summary')).ok, true);
  });

  test('only the declared inputs are assembled: an undeclared loader is never called and nothing of it is sent', async () => {
    const called: string[] = [];
    const sources = Object.fromEntries(
      (['transcript.redacted', 'transcript.full', 'call.direction', 'patient.firstName'] as const).map((n) => [n, async () => {
        called.push(n);
        return n.startsWith('transcript') ? { kind: 'utterances' as const, utterances: [{ speaker: 'caller', text: `text of ${n}` }] } : { kind: 'value' as const, value: `value-of-${n}` };
      }]),
    ) as InputSources;
    const t = tpl('routing-category');
    const task = prepareTask(t, await assembleInputs(t, sources), {});
    assert.deepEqual(called, ['transcript.redacted']);
    assert.ok(!task.user.includes('transcript.full') && !task.user.includes('value-of'));
  });

  test('running a template needs ai.run plus the actions of its inputs (R-AI-1)', () => {
    assert.deepEqual(inputActions(tpl('call-summary')), ['transcript.readRedacted']);
    assert.deepEqual(inputActions(tpl('case-note-draft')), ['transcript.read']);
    assert.deepEqual(inputActions(tpl('suggested-reply')), ['patient.view', 'transcript.readRedacted']);
  });
});

describe('pseudonymisation', () => {
  test('identifiers and the patient fields become stable per-task surrogates; the map re-identifies', () => {
    const p = new TaskPseudonyms({ givenName: 'Ronald', familyName: 'Gomez', phone: '+15035550142', dateOfBirth: '1961-03-14' });
    const a = p.apply('caller: my name is ronald gomez, call me at 503-555-0142 or (503) 555 0142');
    const b = p.apply('agent: thanks Ronald, born 3/14/1961 right?');
    assert.equal(a, 'caller: my name is [PATIENT_1], call me at [PHONE_1] or [PHONE_1]');
    assert.ok(b.includes('[PATIENT_1]') && b.includes('[DATE_1]') && !/ronald|1961/i.test(b), b);
    assert.equal(reidentify('[PATIENT_1] called', p.map), 'ronald gomez called');
    assert.deepEqual(p.counts(), { DATE: 1, PATIENT: 1, PHONE: 1 });
  });
});

describe('fail closed (R-AI-7)', () => {
  const sources = (text: string): InputSources => ({
    'transcript.redacted': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
    'transcript.full': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
    'call.direction': async () => ({ kind: 'value', value: 'inbound' }),
    'patient.firstName': async () => ({ kind: 'value', value: 'Ronald' }),
    'patient.calls.redacted': async () => ({ kind: 'utterances', utterances: [{ speaker: 'caller', text }] }),
  });
  const spy = (answer: () => Promise<unknown>) => {
    const calls: string[] = [];
    const provider: Provider = { kind: 'openai', model: 'spy', complete: async (r) => { calls.push(r.user); return { text: await answer() }; } };
    return { provider, calls };
  };

  test('redaction that throws or runs out of time stops the task before any model call', async () => {
    const t = tpl('call-summary');
    const inputs = await assembleInputs(t, sources('i need a refill of my inhaler'));
    assert.throws(() => prepareTask(t, inputs, {}, { redactor: () => { throw new Error('engine broke on this text'); } }), { code: 'SERVICE_UNAVAILABLE', reason: 'error' });
    let clock = 0;
    assert.throws(() => prepareTask(t, inputs, {}, { now: () => (clock += 5000) }), { code: 'SERVICE_UNAVAILABLE', reason: 'timeout' });
  });

  test('a vendor error, a timeout and an unscannable answer give the manual workflow and `fallback`', async () => {
    const t = tpl('call-summary');
    const task = prepareTask(t, await assembleInputs(t, sources('i need to reschedule my appointment')), {});
    const cases: Array<[string, () => Promise<unknown>, number]> = [
      ['vendor_error', async () => { throw new Error('503 from vendor'); }, 2000],
      ['vendor_timeout', () => new Promise(() => {}), 50],
      ['unscannable', async () => ({ not: 'text' }), 2000],
      ['unscannable', async () => 'x'.repeat(t.output.kind === 'text' ? t.output.maxChars * 3 : 10), 2000],
    ];
    for (const [reason, answer, timeoutMs] of cases) {
      const r = await executeTask(task, vendorOf(spy(answer).provider, true, timeoutMs));
      assert.equal(r.state, 'fallback');
      assert.equal(r.state === 'fallback' && r.reason, reason);
      assert.ok(r.text.includes(t.manualWorkflow[0]!));
    }
    const cat = tpl('routing-category');
    const catTask = prepareTask(cat, await assembleInputs(cat, sources('billing question')), {});
    const r = await executeTask(catTask, vendorOf(spy(async () => 'the patient owes money').provider));
    assert.equal(r.state, 'fallback');
  });

  test('a scan failure of the answer falls back too', async () => {
    const t = tpl('call-summary');
    const task = prepareTask(t, await assembleInputs(t, sources('i need to reschedule')), {});
    let n = 0;
    const r = await executeTask(task, vendorOf(spy(async () => 'a fine summary').provider), { redactor: () => { if (n++ >= 0) throw new Error('x'); return { text: '', spans: [] }; } });
    assert.equal(r.state === 'fallback' && r.reason, 'unscannable');
  });

  test('the built-in provider is deterministic and calls nothing', async () => {
    const t = tpl('call-summary');
    const call = demo.calls[0]!;
    const task = prepareTask(t, await assembleInputs(t, demoSources(call, patientOf(call.patientId))), patientFieldsOf(patientOf(call.patientId)));
    const a = await executeTask(task, local());
    const b = await executeTask(task, local());
    assert.equal(a.state, 'ready');
    assert.equal(a.text, b.text);
  });
});

describe('a stand-in OpenAI-compatible vendor on loopback, through the egress policy', () => {
  let server: Server;
  let baseUrl = '';
  const bodies: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        const { model } = JSON.parse(body) as { model: string };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          id: 'cmpl-1', object: 'chat.completion', created: 0, model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: model === 'router' ? 'scheduling' : '[PATIENT_1] called about an appointment.' } }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const egress = () => createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('127.0.0.1') }), { timeoutMs: 5000 });
  const openai = (model: string, baaActive = true, e = egress()) =>
    vendorOf(createOpenAiProvider({ baseUrl, model, apiKey: 'sk-test', timeoutMs: 5000 }, e), baaActive, 5000);

  test('over every demo call and template, no patient field value and no gold PHI value beyond the measured few reaches it in clear', async () => {
    bodies.length = 0;
    const tally = emptyTally();
    let kept = 0;
    let total = 0;
    // Every call with the call summary, every third call with each other template (the bench runs all: npm run bench:ai).
    let tasks = 0;
    for (const [i, call] of demo.calls.entries()) {
      const patient = patientOf(call.patientId);
      for (const t of templates.values()) {
        if (t.id !== 'call-summary' && i % 3 !== 0) continue;
        tasks++;
        const shift = t.dates === 'shift' ? { dateShiftDays: offsetFromDigest(createHash('sha256').update(call.patientId ?? call.id).digest()) } : {};
        const task = prepareTask(t, await assembleInputs(t, demoSources(call, patient)), patientFieldsOf(patient), shift);
        const r = await executeTask(task, openai(t.output.kind === 'category' ? 'router' : 'summariser'));
        assert.equal(r.state, 'ready');
        const sent = bodies.at(-1)!;
        tallyLeaks(tally, call, patient, JSON.parse(sent).messages.map((m: { content: string }) => m.content).join('\n'));
        if (t.id === 'call-summary') {
          const w = survivingWords(call, task.user);
          kept += w.kept;
          total += w.total;
        }
      }
    }
    assert.equal(bodies.length, tasks);
    assert.equal(tally.fieldLeaked, 0, JSON.stringify(tally.leakedLabels));
    // Goal 0, met on the dev set (seed 1, the set the cues were tuned on; the lockbox figure is in
    // docs/ai.md, "Leakage"). A ratchet: any leak is a regression.
    assert.equal(tally.goldLeaked, 0, `${tally.goldLeaked} of ${tally.goldValues}: ${JSON.stringify(tally.leakedLabels)}`);
    assert.ok(kept / total > 0.95, `non-PHI words kept ${kept}/${total}`);
  });

  test('the phrasings the tuning seeds 11–48 leaked reach it only as surrogates, and the words around them stay (R-AI-1)', async () => {
    bodies.length = 0;
    // Other people's names in answers, a spelling after the name, spoken ids with homophones, the caller's
    // name in other forms (possessive, a nickname), beside the patient's own fields.
    const utterances = [
      ['caller', 'hi i am calling for my mother yuki wagner she needs a refill'],
      ['agent', "what's your name and is it on her release form"],
      ['caller', "wren yes i'm on it"],
      ['agent', 'and are you on file as an authorized contact for your father'],
      ['caller', "hiroshi yes i'm on it"],
      ['agent', "what's your full name and date of birth"],
      ['caller', "it's linh shin s h i n"],
      ['caller', 'my name is niamh xu last name x u'],
      ['agent', 'can i get the last four of your social'],
      ['caller', 'three for three to'],
      ['agent', 'so i have five q c seven k v for n p nine three i will resubmit the claim'],
      ['caller', 'this is katherine okafor calling back'],
      ['agent', "okay katie i see okafor's request for the refill"],
      ['caller', "and i'm looking for bao is he there, my kid they's fifteen"],
      ['caller', 'the member id is eight x as in x ray y six j as in john nine six'],
    ] as const;
    const sources: InputSources = {
      ...demoSources(demo.calls[0]!, undefined),
      'transcript.redacted': async () => ({ kind: 'utterances', utterances: utterances.map(([speaker, text]) => ({ speaker, text })) }),
    };
    const t = tpl('call-summary');
    const task = prepareTask(t, await assembleInputs(t, sources), { givenName: 'Yuki', familyName: 'Wagner' });
    const r = await executeTask(task, openai('summariser'));
    assert.equal(r.state, 'ready');
    const sent = (JSON.parse(bodies.at(-1)!).messages as Array<{ content: string }>).map((m) => m.content).join('\n').toLowerCase();
    for (const v of ['yuki', 'wagner', 'wren', 'hiroshi', 'linh', 'shin', 's h i n', 'niamh', 'x u', 'three for three', 'five q c', 'katherine', 'katie', 'okafor', 'bao', 'fifteen', 'eight x as in']) {
      assert.ok(!new RegExp(`(?<![a-z])${v}(?![a-z])`).test(sent), `${v} reached the vendor: ${sent}`);
    }
    for (const kept of ['refill', 'release form', 'authorized contact', 'resubmit the claim', 'last four of your social']) assert.ok(sent.includes(kept), kept);
  });

  test('a vendor without a BAA receives nothing for a PHI template (VENDOR_NOT_BAA), and only de-identified input where the template allows it', async () => {
    bodies.length = 0;
    const call = demo.calls.find((c) => c.patientId)!;
    const patient = patientOf(call.patientId);
    const t = tpl('call-summary');
    const task = prepareTask(t, await assembleInputs(t, demoSources(call, patient)), patientFieldsOf(patient));
    await assert.rejects(executeTask(task, openai('summariser', false)), { code: 'VENDOR_NOT_BAA' });
    assert.equal(bodies.length, 0);
    const rc = tpl('routing-category');
    const rtask = prepareTask(rc, await assembleInputs(rc, demoSources(call, patient)), patientFieldsOf(patient));
    const r = await executeTask(rtask, openai('router', false));
    assert.equal(r.state === 'ready' && r.deidentified, true);
    assert.equal(bodies.length, 1);
    assert.doesNotMatch(bodies[0]!, /\[[A-Z_]+_\d+\]/);
  });

  test('without WARD_EGRESS_ALLOW listing the loopback, the egress policy refuses and the task falls back', async () => {
    bodies.length = 0;
    const t = tpl('call-summary');
    const task = prepareTask(t, await assembleInputs(t, demoSources(demo.calls[1]!, undefined)), {});
    const refused = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('') }));
    const r = await executeTask(task, openai('summariser', true, refused));
    assert.equal(r.state === 'fallback' && r.reason, 'vendor_error');
    assert.equal(bodies.length, 0);
  });
});
