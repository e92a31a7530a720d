/**
 * The PHI detection and redaction engine (R-DATA-2, R-DATA-3, R-AI-7). Pure functions over text: no
 * I/O, no network, no logging (R-DATA-4).
 */
import { detectDocument } from './detect.ts';
import { redactFailClosed, type FailClosedResult } from './fail-closed.ts';
import { maskText, Pseudonymizer } from './mask.ts';
import type { DetectOptions, Span } from './types.ts';

export { PHI_LABELS, isPhiLabel, type PhiLabel, type Span, type DetectOptions } from './types.ts';
export { renderForObligations, labelsForFields, maskText, Pseudonymizer, FULLY_MASKED } from './mask.ts';
export { createStreamRedactor, type StreamRedactor, type StreamRedactorOptions, type Utterance } from './stream.ts';
export { DEFAULT_BUDGET_MS, type FailClosedResult, type RedactResult } from './fail-closed.ts';
export { gazetteer } from './gazetteer.ts';

/** PHI spans in `text`, sorted, not overlapping; JavaScript string offsets, end exclusive. */
export function detect(text: string, opts?: DetectOptions): Span[] {
  return detectDocument(text, opts);
}

export interface RedactOptions extends DetectOptions {
  /** `[NAME-1]` pseudonyms, the same person always the same token (default `[NAME]`). */
  pseudonyms?: boolean | Pseudonymizer;
}

export function redact(text: string, opts: RedactOptions = {}): { text: string; spans: Span[] } {
  const spans = detect(text, opts);
  return { text: maskText(text, spans, { pseudonyms: opts.pseudonyms ?? false }), spans };
}

export interface RedactOrMaskAllOptions extends RedactOptions {
  /** Time budget in milliseconds; past it the text is fully masked. */
  budgetMs?: number;
  now?: () => number;
  /** The redaction to guard (default `redact`); a dependency so the failure path can be exercised. */
  redactor?: (text: string) => { text: string; spans: Span[] };
}

/** R-AI-7: redaction that fails closed. An error or a blown budget yields `[REDACTED]`, never raw text. */
export function redactOrMaskAll(text: string, opts: RedactOrMaskAllOptions = {}): FailClosedResult {
  const { budgetMs, now, redactor, ...rest } = opts;
  return redactFailClosed(text, { redact: redactor ?? ((t) => redact(t, rest)), budgetMs, now });
}
