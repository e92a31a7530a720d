import { isPhiLabel } from '../redaction/index.ts';
import type { DemoCall, DemoData, DemoPatient } from '../demo/index.ts';
import { executeTask, prepareTask, type Vendor } from './gateway.ts';
import type { PatientFields } from './pseudonyms.ts';
import { assembleInputs, type AiTemplate, type AssembledInput, type AiInputName } from './templates.ts';

/**
 * Leakage measurement over the demo calls (R-AI-1; the "Must show"): which gold PHI values and
 * patient field values appear, normalised (case, spacing, punctuation, spoken digits), in what a
 * vendor received. Used by the leakage test and `npm run bench:ai`.
 */
const SPOKEN: Record<string, string> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };

export function normaliseForLeak(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .map((w) => SPOKEN[w] ?? w)
    .join(' ')
    .replace(/(\d) (?=\d)/g, '$1')
    .trim()} `;
}

export function patientFieldsOf(p: DemoPatient | undefined): PatientFields {
  if (!p) return {};
  return {
    givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, phone: p.phone, email: p.email, mrn: p.mrn,
    memberNumber: p.memberNumber, addressLine: p.addressLine, city: p.city, zip: p.zip, ssn: p.ssn,
  };
}

/** The input loaders of a demo call, as the route builds them from the database. */
export function demoSources(call: DemoCall, patient: DemoPatient | undefined): { [K in AiInputName]: () => Promise<AssembledInput> } {
  const utterances = call.transcript.utterances.map((u) => ({ speaker: u.speaker, text: u.text }));
  return {
    'transcript.redacted': async () => ({ kind: 'utterances', utterances }),
    'transcript.full': async () => ({ kind: 'utterances', utterances }),
    'call.direction': async () => ({ kind: 'value', value: call.direction }),
    'patient.firstName': async () => ({ kind: 'value', value: patient?.givenName ?? null }),
    // The bench and the leakage test run a patient template on one call at a time.
    'patient.calls.redacted': async () => ({ kind: 'utterances', utterances: [{ speaker: 'note', text: 'call 1 of 1' }, ...utterances] }),
  };
}

export interface LeakTally {
  goldValues: number;
  goldLeaked: number;
  fieldValues: number;
  fieldLeaked: number;
  /** Label of each leaked value (never the value). */
  leakedLabels: Record<string, number>;
  /**
   * Of `goldLeaked`, those said in clear where the call says them: the sent line of the value's own
   * utterance holds its words more often than the utterance does outside its PHI spans. The others are
   * counted only because the same words are said elsewhere as no PHI ("the first" of a date, and "the
   * first available" of another sentence): the measure cannot tell, so both are reported.
   */
  goldLeakedInPlace: number;
}

export function emptyTally(): LeakTally {
  return { goldValues: 0, goldLeaked: 0, fieldValues: 0, fieldLeaked: 0, leakedLabels: {}, goldLeakedInPlace: 0 };
}

/** Counts the gold PHI spans of `call` and the patient's field values found in `received` (normalised). */
const occurrences = (text: string, v: string) => {
  let n = 0;
  for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + 1)) n++;
  return n;
};

/**
 * Whether the normalised gold value `v` of utterance `u` is said in clear in `sentLine` (what was sent
 * of that utterance): more often than the utterance says it outside its PHI spans.
 */
export function leakedInPlace(u: DemoCall['transcript']['utterances'][number], v: string, sentLine: string): boolean {
  let outside = '';
  let at = 0;
  for (const o of [...u.spans].sort((a, b) => a.start - b.start)) {
    if (!isPhiLabel(o.label)) continue;
    outside += `${u.text.slice(at, o.start)} | `;
    at = Math.max(at, o.end);
  }
  outside += u.text.slice(at);
  return occurrences(normaliseForLeak(sentLine), v) > occurrences(normaliseForLeak(outside), v);
}

/** The transcript lines of what was sent, one per utterance (a patient template's note line dropped), or null. */
export function sentLines(received: string, utterances: number): string[] | null {
  const lines = received.split('\n').filter((l) => /^[a-z_]+: /.test(l));
  if (lines[0]?.startsWith('note: ')) lines.shift();
  return lines.length === utterances ? lines : null;
}

export function tallyLeaks(tally: LeakTally, call: DemoCall, patient: DemoPatient | undefined, received: string): void {
  const body = normaliseForLeak(received);
  const lines = sentLines(received, call.transcript.utterances.length);
  for (const [i, u] of call.transcript.utterances.entries()) {
    for (const s of u.spans) {
      if (!isPhiLabel(s.label)) continue;
      const v = normaliseForLeak(u.text.slice(s.start, s.end));
      if (v.trim().length < 2) continue;
      tally.goldValues++;
      if (body.includes(v)) {
        tally.goldLeaked++;
        tally.leakedLabels[s.label] = (tally.leakedLabels[s.label] ?? 0) + 1;
        // Without the lines (an unexpected layout) every leak counts as in place.
        if (!lines || leakedInPlace(u, v, lines[i]!)) tally.goldLeakedInPlace++;
      }
    }
  }
  for (const [field, value] of Object.entries(patientFieldsOf(patient))) {
    if (typeof value !== 'string') continue;
    const v = normaliseForLeak(field === 'phone' ? value.replace(/^\+1/, '') : value);
    if (v.trim().length < 2) continue;
    tally.fieldValues++;
    if (body.includes(v)) {
      tally.fieldLeaked++;
      tally.leakedLabels[`patient.${field}`] = (tally.leakedLabels[`patient.${field}`] ?? 0) + 1;
    }
  }
}

/** Share of the transcript's non-PHI words (outside every gold span) that reach the model unchanged. */
export function survivingWords(call: DemoCall, sent: string): { kept: number; total: number } {
  const sentWords = new Set(normaliseForLeak(sent).trim().split(' '));
  let kept = 0;
  let total = 0;
  for (const u of call.transcript.utterances) {
    let plain = '';
    let at = 0;
    for (const s of [...u.spans].sort((a, b) => a.start - b.start)) {
      plain += `${u.text.slice(at, s.start)} `;
      at = Math.max(at, s.end);
    }
    plain += u.text.slice(at);
    for (const w of normaliseForLeak(plain).trim().split(' ').filter(Boolean)) {
      total++;
      if (sentWords.has(w)) kept++;
    }
  }
  return { kept, total };
}

/**
 * One template run on demo calls (`ward ai templates test`, R-AI-2): the states its tasks end in and
 * the leaks counted in the user message, the assembled inputs, only. The system message is the
 * template's own instruction text, which no input reaches: a gold value equal to one of its words
 * ("3000" of "at most 3000 characters") is no leak (as `npm run bench:ai` counts).
 */
export async function templateLeaks(
  template: AiTemplate, calls: readonly DemoCall[], patients: readonly DemoPatient[], vendor: Vendor,
): Promise<{ tally: LeakTally; states: Record<string, number> }> {
  const tally = emptyTally();
  const states: Record<string, number> = {};
  for (const call of calls) {
    const patient = patients.find((p) => p.id === call.patientId);
    const task = prepareTask(template, await assembleInputs(template, demoSources(call, patient)), patientFieldsOf(patient));
    const r = await executeTask(task, vendor);
    states[r.state] = (states[r.state] ?? 0) + 1;
    tallyLeaks(tally, call, patient, task.user);
  }
  return { tally, states };
}

export type { DemoData };
