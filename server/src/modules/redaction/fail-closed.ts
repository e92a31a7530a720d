/**
 * Fail closed (R-AI-7): an error or a blown time budget inside redaction yields fully masked text,
 * never the raw text. Detection is synchronous, so the budget is checked when it returns; the
 * regexes are linear so that the check comes soon.
 */
import { FULLY_MASKED } from './mask.ts';
import type { Span } from './types.ts';

export interface RedactResult {
  text: string;
  spans: Span[];
}

export interface FailClosedResult extends RedactResult {
  /** True when the text was fully masked because redaction failed or ran out of time. */
  failedClosed: boolean;
  /** A PHI-free reason: `error` or `timeout`. */
  reason?: 'error' | 'timeout';
}

export interface FailClosedDeps {
  redact: (text: string) => RedactResult;
  /** Milliseconds; the clock is a dependency (STYLE.md habit 5). */
  now?: () => number;
  budgetMs?: number;
}

export const DEFAULT_BUDGET_MS = 250;

export function redactFailClosed(text: string, deps: FailClosedDeps): FailClosedResult {
  const now = deps.now ?? (() => performance.now());
  const budget = deps.budgetMs ?? DEFAULT_BUDGET_MS;
  const started = now();
  let result: RedactResult;
  try {
    result = deps.redact(text);
  } catch {
    // The error may quote the input: it is dropped, not logged or rethrown (R-DATA-4).
    return { text: FULLY_MASKED, spans: [], failedClosed: true, reason: 'error' };
  }
  if (now() - started > budget) return { text: FULLY_MASKED, spans: [], failedClosed: true, reason: 'timeout' };
  if (typeof result?.text !== 'string' || !Array.isArray(result.spans)) {
    return { text: FULLY_MASKED, spans: [], failedClosed: true, reason: 'error' };
  }
  return { ...result, failedClosed: false };
}
