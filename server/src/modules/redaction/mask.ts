/**
 * Masking (R-DATA-2, R-DATA-3): `[LABEL]` tags, or consistent pseudonyms `[LABEL-n]` within a document
 * (the same person is always the same token, R-AI-2), and rendering by a decision's obligations so the
 * same transcript reads differently per role.
 */
import { MASKABLE_FIELDS, type Decision, type MaskableField, type Obligations } from '@ward/contracts';
import { PHI_LABELS, type PhiLabel, type Span } from './types.ts';

/** Numbers pseudonyms per label within one document or call. */
export class Pseudonymizer {
  private readonly byKey = new Map<string, number>();
  private readonly nameWords = new Map<string, number>();
  private readonly counters = new Map<PhiLabel, number>();

  tokenFor(label: PhiLabel, surface: string): string {
    return `[${label}-${this.idFor(label, surface)}]`;
  }

  private next(label: PhiLabel): number {
    const n = (this.counters.get(label) ?? 0) + 1;
    this.counters.set(label, n);
    return n;
  }

  private idFor(label: PhiLabel, surface: string): number {
    if (label === 'NAME') {
      // "Faina D. Yefremova" and a later "Yefremova" or "Ms. Yefremova" are one person: match by word.
      const words = surface.toLowerCase().split(/[^\p{L}\p{M}'-]+/u).filter((w) => w.length > 1);
      const last = words.at(-1);
      let id = last !== undefined && words.length > 0 ? this.nameWords.get(last) : undefined;
      if (id === undefined && words.length === 1) id = this.nameWords.get(words[0]!);
      id ??= this.next('NAME');
      for (const w of words) if (!this.nameWords.has(w)) this.nameWords.set(w, id);
      return id;
    }
    const key = `${label}:${normalise(label, surface)}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.next(label);
      this.byKey.set(key, id);
    }
    return id;
  }
}

function normalise(label: PhiLabel, surface: string): string {
  const s = surface.toLowerCase();
  if (label === 'EMAIL' || label === 'URL') return s.replace(/\s+(?:dot|period)\s+/g, '.').replace(/\s+at\s+/g, '@').replace(/\s+/g, '');
  const alnum = s.replace(/[^\p{L}\p{N}]/gu, '');
  return alnum || s;
}

export interface MaskOptions {
  /** `[NAME-1]` instead of `[NAME]`; pass a Pseudonymizer to keep numbering across calls. */
  pseudonyms?: boolean | Pseudonymizer;
  /** Only these labels are masked (default: all). */
  labels?: ReadonlySet<PhiLabel>;
}

export function maskText(text: string, spans: readonly Span[], opts: MaskOptions = {}): string {
  const ps = opts.pseudonyms === true ? new Pseudonymizer() : opts.pseudonyms || undefined;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at || (opts.labels && !opts.labels.has(s.label))) continue;
    out += text.slice(at, s.start) + (ps ? ps.tokenFor(s.label, text.slice(s.start, s.end)) : `[${s.label}]`);
    at = s.end;
  }
  return out + text.slice(at);
}

/** Fully masked text: what a failure yields (R-AI-7). No character of the input survives. */
export const FULLY_MASKED = '[REDACTED]';

/**
 * Names a policy may put in `maskFields`, mapped to labels: the maskable fields (MASKABLE_FIELDS,
 * the one map, lower-cased here) and a few label aliases. `*`, `all` and `phi` mean every label.
 */
const MASKABLE: Readonly<Record<MaskableField, readonly PhiLabel[]>> = MASKABLE_FIELDS;
const FIELD_LABELS: Record<string, readonly PhiLabel[]> = {
  name: ['NAME'], names: ['NAME'], dob: ['DATE'], date: ['DATE'], dates: ['DATE'], birthdate: ['DATE'], age: ['AGE'],
  phone: ['PHONE', 'FAX'], fax: ['FAX'], email: ['EMAIL'], ssn: ['SSN'], mrn: ['MRN'], address: ['ADDRESS', 'LOCATION'],
  location: ['LOCATION'], insurance: ['HEALTH_PLAN'], member_id: ['HEALTH_PLAN'], account: ['ACCOUNT'], ids: ['MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'ID', 'SSN'],
  ...Object.fromEntries(Object.entries(MASKABLE).map(([field, labels]) => [field.toLowerCase(), labels])),
};

export function labelsForFields(fields: readonly string[]): Set<PhiLabel> {
  const out = new Set<PhiLabel>();
  for (const f of fields) {
    const key = f.trim();
    if (key === '*' || /^(?:all|phi)$/i.test(key)) return new Set(PHI_LABELS);
    if ((PHI_LABELS as readonly string[]).includes(key.toUpperCase())) out.add(key.toUpperCase() as PhiLabel);
    else {
      const mapped = FIELD_LABELS[key.toLowerCase().replace(/[\s-]+/g, '_')];
      // An unknown field name masks everything: a policy typo must not unmask PHI (fail closed).
      if (!mapped) return new Set(PHI_LABELS);
      for (const l of mapped) out.add(l);
    }
  }
  return out;
}

/**
 * Renders a transcript for one decision (R-DATA-3): a denial masks every label; otherwise the labels
 * named by `obligations.maskFields` are masked and the rest shown.
 */
export function renderForObligations(text: string, spans: readonly Span[], decision: Decision | Obligations, opts: Omit<MaskOptions, 'labels'> = {}): string {
  const isDecision = 'allow' in decision;
  if (isDecision && !decision.allow) return maskText(text, spans, { ...opts, labels: new Set(PHI_LABELS) });
  const obligations = isDecision ? decision.obligations : decision;
  const fields = obligations.maskFields ?? [];
  if (fields.length === 0) return text;
  return maskText(text, spans, { ...opts, labels: labelsForFields(fields) });
}
