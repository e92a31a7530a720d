import { WardError } from '@ward/contracts';
import { gazetteer, redactOrMaskAll, type PhiLabel, type Span } from '../redaction/index.ts';
import { DATE_SHIFT_KEY, shiftDate, unshiftDates } from './date-shift.ts';
import { otherForms, PatientForms } from './patient-forms.ts';
import { spokenCueSpans } from './spoken-cues.ts';

/**
 * Pseudonymisation before any model sees a task's input (R-AI-1, R-DATA-3): the identifiers the
 * redaction engine finds, and every value of the patient's own PHI fields, become stable surrogates
 * for the task: the same value is always the same surrogate (`[PATIENT_1]`, `[PHONE_1]`, `[DATE_1]`),
 * so a summary keeps who said what. The mapping (surrogate → original) never leaves Ward; it is
 * stored encrypted under the tenant key and used only under `ai.reidentify`.
 * Redaction failing or running out of time throws AI_REDACTION_FAILED: the model is never called.
 */
export interface PatientFields {
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  phone?: string | null;
  email?: string | null;
  mrn?: string | null;
  memberNumber?: string | null;
  addressLine?: string | null;
  city?: string | null;
  zip?: string | null;
  ssn?: string | null;
}

/** The surrogate class of each label; the patient's own name is PATIENT, anyone else's PERSON. */
const CLASS: Record<PhiLabel, string> = {
  NAME: 'PERSON', DATE: 'DATE', AGE: 'AGE', PHONE: 'PHONE', FAX: 'PHONE', EMAIL: 'EMAIL', SSN: 'SSN', MRN: 'MRN',
  HEALTH_PLAN: 'MEMBER_ID', ACCOUNT: 'ACCOUNT', LICENSE: 'ID', VEHICLE: 'ID', DEVICE: 'ID', URL: 'URL', IP: 'IP',
  ADDRESS: 'ADDRESS', LOCATION: 'LOCATION', ID: 'ID',
};

export class RedactionFailed extends WardError {
  constructor(readonly reason: 'error' | 'timeout') {
    super('SERVICE_UNAVAILABLE', undefined, { detail: `ai: redaction failed closed (${reason})`, reasons: ['redaction_failed'] });
  }
}

export interface PseudonymOptions {
  /** Redaction time budget per text in milliseconds (R-AI-7). */
  budgetMs?: number;
  /** The redaction to use (default the engine); a dependency so that its failure can be injected. */
  redactor?: (text: string) => { text: string; spans: Span[] };
  now?: () => number;
  /**
   * The patient's date offset in days when the template shifts dates (date-shift.ts): a date found is
   * moved by it instead of becoming `[DATE_n]`. Absent: every date is a surrogate.
   */
  dateShiftDays?: number;
}

/** A whole call's transcript is one document; the first one also loads the engine's word lists. */
export const AI_REDACTION_BUDGET_MS = 2000;

/** Words of a name span that are not names ("dr", "the", titles): never propagated. */
const STOP = new Set(['the', 'and', 'mrs', 'miss', 'doctor', 'nurse', 'this', 'that', 'from', 'with', 'for', 'her', 'his', 'mom', 'dad', 'son', 'daughter', 'wife', 'husband', 'mother', 'father', 'sister', 'brother', 'caller', 'agent', 'patient']);
/** A nickname worth masking wherever said: no word of the English dictionary ("katie", not "bill"). */
const isNameOnlyOrUnknown = (w: string) => !gazetteer().dictionary.has(w) && !gazetteer().commonWords.has(w);
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class TaskPseudonyms {
  private readonly byKey = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** surrogate → the original text it stands for (the first surface seen). */
  readonly map = new Map<string, string>();
  /** The patient's own fields in every form (patient-forms.ts): no pattern compiled per task. */
  private readonly forms: PatientForms;

  constructor(patient: PatientFields = {}, private readonly opts: PseudonymOptions = {}) {
    this.opts = { ...opts, budgetMs: opts.budgetMs ?? AI_REDACTION_BUDGET_MS };
    this.forms = new PatientForms(patient);
  }

  private surrogate(cls: string, surface: string): string {
    let c = cls;
    let key = `${c}:${norm(surface)}`;
    if (c === 'PERSON' || c === 'PATIENT') {
      const words = surface.split(/[^\p{L}\p{M}'-]+/u).map(norm).filter((w) => w.length > 1);
      if (words.some((w) => this.forms.isName(w))) {
        c = 'PATIENT';
        key = 'PATIENT:self';
      } else {
        // "Faina Yefremova" and a later "Yefremova" are one person: match by the last word.
        key = `PERSON:${words.at(-1) ?? norm(surface)}`;
      }
    }
    let s = this.byKey.get(key);
    if (!s) {
      const n = (this.counters.get(c) ?? 0) + 1;
      this.counters.set(c, n);
      s = `[${c}_${n}]`;
      this.byKey.set(key, s);
      this.map.set(s, surface);
    }
    return s;
  }

  /** `text` with every identifier replaced; throws RedactionFailed when the engine fails closed. */
  apply(text: string): string {
    const r = redactOrMaskAll(text, { budgetMs: this.opts.budgetMs, redactor: this.opts.redactor, now: this.opts.now });
    if (r.failedClosed) throw new RedactionFailed(r.reason ?? 'error');
    const spans: Array<{ start: number; end: number; cls: string }> = r.spans.map((s) => ({ start: s.start, end: s.end, cls: CLASS[s.label] }));
    // Spoken identifiers the engine leaves or misses (spoken-cues.ts): for the vendor's eyes only.
    spans.push(...spokenCueSpans(text));
    spans.push(...this.forms.spans(text));
    // A name found once is a name wherever else the call says it ("Yefremova" alone after "Faina Yefremova").
    const nameWords = new Set<string>();
    for (const s of spans) {
      if (s.cls !== 'PERSON' && s.cls !== 'PATIENT') continue;
      for (const w of text.slice(s.start, s.end).split(/[^\p{L}'-]+/u)) if (w.length > 2 && !STOP.has(w.toLowerCase())) nameWords.add(w.toLowerCase());
    }
    // Likewise an age said in words: the same words elsewhere in the call are masked too (over-masking a
    // price that sounds the same, "a sixty two fifty copay", rather than leaving the age readable).
    const ages = new Set<string>();
    for (const s of spans) if (s.cls === 'AGE' && /^\p{L}/u.test(text.slice(s.start, s.end))) ages.add(text.slice(s.start, s.end).toLowerCase().replace(/[\s-]+/g, ' '));
    for (const a of ages) {
      // Spoken ages are ASCII words: a pattern without Unicode classes compiles in microseconds.
      const re = new RegExp(`(?<![a-z])${a.split(' ').map(escape).join('[\\s-]+')}(?![a-z])`, 'gi');
      for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length, cls: 'AGE' });
    }
    // Known identities of the call in their other forms too: a nickname that is no English word ("katherine" → "katie").
    for (const w of [...nameWords]) for (const nick of otherForms(w)) if (isNameOnlyOrUnknown(nick)) nameWords.add(nick);
    if (nameWords.size) {
      for (const m of text.matchAll(/(?<![\p{L}\p{N}'-])\p{L}[\p{L}'-]*\p{L}(?![\p{L}\p{N}])/gu)) {
        // Possessive too ("rossi's", "davis'").
        const w = m[0].toLowerCase().replace(/'s?$/, '');
        if (nameWords.has(m[0].toLowerCase())) spans.push({ start: m.index, end: m.index + m[0].length, cls: 'PERSON' });
        else if (nameWords.has(w)) spans.push({ start: m.index, end: m.index + w.length, cls: 'PERSON' });
      }
    }
    // Overlapping spans merge into one covering span; a patient field's class wins over the engine's.
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: typeof spans = [];
    for (const s of spans) {
      const last = merged.at(-1);
      if (last && s.start < last.end) {
        last.end = Math.max(last.end, s.end);
        if (s.cls === 'PATIENT' || (last.cls === 'PERSON' && s.cls !== 'PERSON')) last.cls = s.cls;
      } else merged.push({ ...s });
    }
    let out = '';
    let at = 0;
    for (const s of merged) {
      const surface = text.slice(s.start, s.end);
      const shifted = s.cls === 'DATE' && this.opts.dateShiftDays ? shiftDate(surface, this.opts.dateShiftDays) : null;
      if (shifted) {
        // Kept for the output scan (an original date in an answer is a leak); re-identification moves dates back.
        if (!this.map.has(`shift:${shifted}`)) this.counters.set('DATE_SHIFTED', (this.counters.get('DATE_SHIFTED') ?? 0) + 1);
        this.map.set(`shift:${shifted}`, surface);
      }
      out += text.slice(at, s.start) + (shifted ?? this.surrogate(s.cls, surface));
      at = s.end;
    }
    return out + text.slice(at);
  }

  /** How many distinct identifiers of each class were replaced (for the outcome record; no values). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.counters.entries()].sort());
  }
}

const SURROGATE = /\[([A-Z_]+)_(\d+)\]/g;

/** The de-identified form of pseudonymised text: surrogates lose their numbering (`[PATIENT]`), nothing maps back. */
export function deidentify(text: string): string {
  return text.replace(SURROGATE, (_m, cls: string) => `[${cls}]`);
}

/**
 * Replaces the surrogates of `map` in `text` by their originals (under `ai.reidentify` only); when the
 * task shifted dates, every date of `text` is first moved back by the offset the map keeps.
 */
export function reidentify(text: string, map: ReadonlyMap<string, string> | Record<string, string>): string {
  const get = map instanceof Map ? (k: string) => map.get(k) : (k: string) => (map as Record<string, string>)[k];
  const days = Number(get(DATE_SHIFT_KEY) ?? 0);
  const unshifted = Number.isInteger(days) && days !== 0 ? unshiftDates(text, days) : text;
  return unshifted.replace(SURROGATE, (m) => get(m) ?? m);
}
