import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createStreamRedactor, detect, redact, redactOrMaskAll, renderForObligations } from './index.ts';

function found(text: string): Array<[string, string]> {
  return detect(text).map((s) => [s.label, text.slice(s.start, s.end)]);
}

describe('detect (R-DATA-2)', () => {
  test('finds checksummed and patterned identifiers in written text', () => {
    const text = 'SSN 460-89-9847, card 4454794511390933, MBI 1EG4-TE5-MK73, mail ann.lee@example.org from 10.0.12.7 on 10/23/1951.';
    const labels = found(text);
    assert.deepEqual(labels, [
      ['SSN', '460-89-9847'],
      ['ACCOUNT', '4454794511390933'],
      ['HEALTH_PLAN', '1EG4-TE5-MK73'],
      ['EMAIL', 'ann.lee@example.org'],
      ['IP', '10.0.12.7'],
      ['DATE', '10/23/1951'],
    ]);
  });

  test('rejects an SSN-shaped number outside the SSA ranges and a card number failing Luhn', () => {
    const text = 'ref 666-12-3456 and 4454794511390934';
    assert.ok(!found(text).some(([l]) => l === 'SSN' || l === 'ACCOUNT'));
  });

  test('words that name an object property are not number or month words', () => {
    // A lookup through the prototype once read "constructor" as a number word and a month.
    const text = 'the constructor toString valueOf hasOwnProperty __proto__ of the constructor ninth';
    assert.deepEqual(found(text), []);
    assert.deepEqual(found('call me at constructor five five five one two one two'), [['PHONE', 'five five five one two one two']]);
    assert.deepEqual(found('on the twenty constructor'), []);
    assert.deepEqual(found('seen on march constructor'), []);
  });

  test('reads digits said as words, "double" and "oh"', () => {
    const text = 'you can reach me at five five five double four oh one two';
    assert.deepEqual(found(text), [['PHONE', 'five five five double four oh one two']]);
  });

  test('reads spelled letters and digits after a record-number cue', () => {
    assert.deepEqual(found('my m r n is four four seven two nine one'), [['MRN', 'four four seven two nine one']]);
  });

  test('reads a spoken e-mail address and spoken dates', () => {
    assert.deepEqual(found('it is john dot smith at gmail dot com'), [['EMAIL', 'john dot smith at gmail dot com']]);
    assert.deepEqual(found('i was born march third nineteen fifty one'), [['DATE', 'march third nineteen fifty one']]);
    assert.deepEqual(found('the appointment is the fifteenth of june'), [['DATE', 'the fifteenth of june']]);
  });

  test('reads ages after "she is" and "turned" but not durations, and e-mails with spoken digits', () => {
    assert.deepEqual(found('calling for my mother she is eighty five so i help'), [['AGE', 'eighty five']]);
    assert.deepEqual(found('my brother just turned 60'), [['AGE', '60']]);
    assert.deepEqual(found('he is 20 minutes away'), []);
    assert.deepEqual(found('um yeah cora three eight at example dot org'), [['EMAIL', 'cora three eight at example dot org']]);
  });

  test('finds names by gazetteer and cue but leaves common words alone', () => {
    assert.deepEqual(found('Krisztián Szöllösy called about his refill'), [['NAME', 'Krisztián Szöllösy']]);
    assert.deepEqual(found('please email claire about it'), [['NAME', 'claire']]);
    assert.deepEqual(found('i will mark it as done and may call later'), []);
  });

  test('finds a street address with its unit, city and postal code', () => {
    const text = 'She lives at 1317 Kimberly Way, Apt. 962, Grand Rapids, MI 49503 now.';
    assert.deepEqual(found(text), [['ADDRESS', '1317 Kimberly Way, Apt. 962, Grand Rapids, MI 49503']]);
  });

  test('labels an answer by the question before it', () => {
    const text = 'agent: can i have your date of birth\ncaller: oh three one five five one';
    assert.deepEqual(found(text), [['DATE', 'oh three one five five one']]);
  });
});

describe('redact', () => {
  test('masks with labels, or with pseudonyms that keep one person one token', () => {
    const text = 'Dr. Faina D. Yefremova saw Sara Schwarz. Later Yefremova called Sara.';
    assert.equal(redact(text).text, 'Dr. [NAME] saw [NAME]. Later [NAME] called [NAME].');
    assert.equal(redact(text, { pseudonyms: true }).text, 'Dr. [NAME-1] saw [NAME-2]. Later [NAME-1] called [NAME-2].');
  });
});

describe('renderForObligations (R-DATA-3)', () => {
  const text = 'Maria Gonzalez, DOB 03/15/1951, phone 555-867-5309';
  const spans = detect(text);

  test('renders the same transcript differently per decision', () => {
    assert.equal(renderForObligations(text, spans, { allow: true, policyIds: [], reasons: [], obligations: {} }), text);
    assert.equal(renderForObligations(text, spans, { maskFields: ['DATE', 'phone'] }), 'Maria Gonzalez, DOB [DATE], phone [PHONE]');
    assert.equal(renderForObligations(text, spans, { allow: false, policyIds: [], reasons: ['no-permit'], obligations: {} }), '[NAME], DOB [DATE], phone [PHONE]');
  });

  test('masks everything when a mask field is unknown', () => {
    assert.equal(renderForObligations(text, spans, { maskFields: ['favourite_colour'] }), '[NAME], DOB [DATE], phone [PHONE]');
  });
});

describe('redactOrMaskAll (R-AI-7)', () => {
  const secret = 'Maria Gonzalez 555-867-5309';

  test('yields fully masked text when redaction throws, without the raw text anywhere', () => {
    const r = redactOrMaskAll(secret, { redactor: () => { throw new Error(`boom ${secret}`); } });
    assert.equal(r.text, '[REDACTED]');
    assert.equal(r.failedClosed, true);
    assert.equal(r.reason, 'error');
    assert.ok(!JSON.stringify(r).includes('Maria'));
  });

  test('yields fully masked text when redaction runs past its time budget', () => {
    let t = 0;
    const now = () => (t += 100);
    const r = redactOrMaskAll(secret, { budgetMs: 50, now });
    assert.deepEqual({ text: r.text, failedClosed: r.failedClosed, reason: r.reason }, { text: '[REDACTED]', failedClosed: true, reason: 'timeout' });
  });

  test('returns the redacted text within budget', () => {
    const r = redactOrMaskAll(secret);
    assert.equal(r.failedClosed, false);
    assert.equal(r.text, '[NAME] [PHONE]');
  });
});

describe('createStreamRedactor', () => {
  test('carries the question to the next utterance and pseudonyms across the call', () => {
    const s = createStreamRedactor();
    const out = [
      { speaker: 'agent', text: 'thanks for calling, what is your full name' },
      { speaker: 'caller', text: 'yeah it is maria gonzalez' },
      { speaker: 'agent', text: 'and your date of birth' },
      { speaker: 'caller', text: 'oh three one five five one' },
      { speaker: 'agent', text: 'thank you maria' },
    ].map((u) => s.push(u).text);
    assert.deepEqual(out, [
      'thanks for calling, what is your full name',
      'yeah it is [NAME-1]',
      'and your date of birth',
      '[DATE-1]',
      'thank you [NAME-1]',
    ]);
  });

  test('fails closed per utterance and keeps going', () => {
    let t = 0;
    const s = createStreamRedactor({ budgetMs: 5, now: () => (t += 10) });
    assert.equal(s.push({ speaker: 'caller', text: 'my name is maria' }).text, '[REDACTED]');
  });
});
