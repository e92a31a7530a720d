/**
 * Streaming redaction for live calls (R-DATA-2): one utterance at a time, with what the last utterance
 * asked for, the names already heard and the pseudonym numbering carried to the next. Each utterance
 * fails closed on its own (R-AI-7).
 */
import { resolve } from './detect.ts';
import { detectUtterance, newState } from './utterance.ts';
import { redactFailClosed, type FailClosedResult } from './fail-closed.ts';
import { gazetteer } from './gazetteer.ts';
import { maskText, Pseudonymizer } from './mask.ts';
import type { DetectOptions } from './types.ts';

export interface Utterance {
  speaker: string;
  text: string;
}

export interface StreamRedactorOptions extends DetectOptions {
  /** `[NAME-1]` tokens numbered across the whole call (default true). */
  pseudonyms?: boolean;
  budgetMs?: number;
  now?: () => number;
}

export interface StreamRedactor {
  push(utterance: Utterance): FailClosedResult;
}

export function createStreamRedactor(opts: StreamRedactorOptions = {}): StreamRedactor {
  const state = newState();
  const g = gazetteer();
  const ps = opts.pseudonyms === false ? undefined : new Pseudonymizer();
  return {
    push(utterance) {
      const deps = {
        redact: (text: string) => {
          const spans = resolve(detectUtterance(text, state, g, opts), opts.minConfidence ?? 0.5);
          return { text: maskText(text, spans, { pseudonyms: ps ?? false }), spans };
        },
        budgetMs: opts.budgetMs,
        now: opts.now,
      };
      const result = redactFailClosed(utterance.text, deps);
      // After a failure the next answer cannot be trusted to the carried question: expect anything.
      if (result.failedClosed) state.expectation = undefined;
      return result;
    },
  };
}
