import { UNSAFE_TEXT_CHARS } from '@ward/contracts';
import { redactOrMaskAll } from '../redaction/index.ts';
import type { PseudonymOptions } from './pseudonyms.ts';
import { parseDate } from './date-shift.ts';
import { classifyRestricted, type RestrictedCategory } from './restricted.ts';
import type { AiTemplate } from './templates.ts';

/**
 * Output controls on a model's answer (R-AI-4). Every text answer is scanned twice:
 *   - by the redaction engine: an identifier in clear was never sent (every identifier the template
 *     sent was a surrogate), so it is invented or leaked: flagged and masked as `[LABEL]`;
 *     a surrogate the task never issued (`[PHONE_7]` when only `[PHONE_1]` was sent) is invented:
 *     flagged and masked as `[PHONE]`, so re-identification can never give it a value;
 *   - by the restricted-category classifier (diagnoses, treatment, behavioural health, substance
 *     use under 42 CFR Part 2): the categories found are stored with the draft and gate its use.
 * The findings are counts and category names, never text: they go into the draft's facts and the
 * audit trail. A scan that fails or runs out of time makes the answer unscannable (fail closed, R-AI-7).
 */
export interface OutputFindings {
  /** Identifiers in clear the template did not send, masked, per redaction label. */
  unsent: Record<string, number>;
  /** Of those, how many equal an original value the task pseudonymised (the model recovered it). */
  leaked: number;
  /** Surrogates in the answer the task never issued, masked. */
  invented: number;
  /** Restricted categories the answer holds. */
  restricted: RestrictedCategory[];
}

export const NO_FINDINGS: OutputFindings = Object.freeze({ unsent: {}, leaked: 0, invented: 0, restricted: [] }) as OutputFindings;

/** Whether the findings flag the answer (an identifier the template did not send). */
export const isFlagged = (f: OutputFindings): boolean => f.invented > 0 || Object.keys(f.unsent).length > 0;

const UNSAFE = new RegExp(`[${UNSAFE_TEXT_CHARS}]`);

/**
 * Whether text a person will review holds a character no shown text may (C0 and C1 controls but tab,
 * line feed and carriage return; bidi embeddings, overrides and isolates): escape sequences that
 * drive a terminal, or U+202E that makes a draft read otherwise than it is written ("Trojan Source").
 * A model's answer holding one is unscannable; an agent's note holding one is refused (R-AI-4, R-AI-5).
 */
export const hasUnsafeText = (text: string): boolean => UNSAFE.test(text.replace(/[\t\n\r]/g, ''));

const SURROGATE = /\[([A-Z][A-Z_]*?)(?:_(\d+))?\]/g;
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Scans a text answer against what the task sent: `sent` maps each surrogate issued to its original
 * (empty for a de-identified task, whose surrogates carry no number). Null when the answer cannot be
 * scanned (the caller falls back to the manual workflow).
 */
export function scanOutput(
  template: AiTemplate,
  answer: string,
  sent: ReadonlyMap<string, string>,
  opts: PseudonymOptions = {},
): { text: string; findings: OutputFindings } | null {
  const r = redactOrMaskAll(answer, { budgetMs: opts.budgetMs, redactor: opts.redactor, now: opts.now });
  if (r.failedClosed) return null;
  const originals = new Set([...sent.values()].map(norm).filter((v) => v.length > 1));
  // A task that shifted dates (date-shift.ts) sent moved dates: a readable date in its answer that is
  // no original is a moved one (re-identification moves it back), not an identifier in clear.
  const shifting = [...sent.keys()].some((k) => k.startsWith('shift:'));
  const unsent: Record<string, number> = {};
  let leaked = 0;
  let invented = 0;
  // 1. Identifiers in clear (the engine's spans that are not surrogates).
  let out = '';
  let at = 0;
  for (const s of r.spans) {
    if (s.start < at) continue;
    const value = answer.slice(s.start, s.end);
    if (/^\[[A-Z][A-Z_]*(?:_\d+)?\]$/.test(value)) continue;
    if (shifting && s.label === 'DATE' && !originals.has(norm(value)) && parseDate(value)) continue;
    unsent[s.label] = (unsent[s.label] ?? 0) + 1;
    if (originals.has(norm(value))) leaked++;
    out += `${answer.slice(at, s.start)}[${s.label}]`;
    at = s.end;
  }
  out += answer.slice(at);
  // 2. Surrogates the task never issued.
  out = out.replace(SURROGATE, (whole, cls: string, n: string | undefined) => {
    if (n === undefined || sent.has(whole)) return whole;
    invented++;
    return `[${cls}]`;
  });
  const text = out.slice(0, template.output.kind === 'text' ? template.output.maxChars : out.length);
  return { text, findings: { unsent, leaked, invented, restricted: classifyRestricted(text).categories } };
}
