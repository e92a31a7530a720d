import { createContext, useContext } from 'react';
import { ApiError } from '../api.ts';

/** The status line (`#status`, aria-live): one per page; its `data-code` is the last problem's stable code. */
export interface Status {
  say(text: string, code?: string): void;
  fail(e: unknown): void;
}

export const StatusContext = createContext<Status>({ say: () => undefined, fail: () => undefined });
export const useStatus = () => useContext(StatusContext);

export function describeError(e: unknown): { text: string; code: string } {
  if (e instanceof ApiError) return { text: e.message, code: e.code };
  if (e instanceof Error && e.name === 'NotAllowedError') return { text: 'The passkey request was cancelled or timed out.', code: 'INTERNAL' };
  return { text: 'Something went wrong. Try again.', code: 'INTERNAL' };
}
