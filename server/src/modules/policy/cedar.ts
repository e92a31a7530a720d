import { setFlagsFromString } from 'node:v8';

/**
 * The one import of the Cedar engine (WebAssembly). The `nodejs` build is the one that loads in
 * Node 20; the bare package name resolves to the browser build and fails.
 *
 * Cedar's calls (statefulIsAuthorized and the rest) return a JavaScript object (a Wasm
 * `externref`). The V8 of Node 20 and 22 (11.3, 12.4; the 13.6 of Node 24 is fixed) lets TurboFan
 * inline such calls into hot callers but cannot deoptimize such a caller lazily, while the call is
 * under way (Cedar's bindings call back into JavaScript, which can invalidate what the caller was
 * optimized for): the process aborts with "unreachable code" in
 * `Deoptimizer::DoComputeBuiltinContinuation`. Under sustained load that killed the server
 * (R-OPS-1). Turning that one inlining off, for the process and before any decision, removes the
 * trigger at the cost of a plain call per decision. docs/operations.md says what to watch for;
 * cedar-v8.test.ts checks it with the smallest trigger.
 */
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export * as cedar from '@cedar-policy/cedar-wasm/nodejs';
export type {
  DetailedError,
  EntityJson,
  PolicyJson,
  AuthorizationAnswer,
  Context as CedarContext,
} from '@cedar-policy/cedar-wasm/nodejs';

/** One line from Cedar's diagnostics, without the source snippets. */
export function cedarMessage(errors: ReadonlyArray<{ message: string }> | undefined): string {
  const first = errors?.[0]?.message ?? 'unknown Cedar error';
  return errors && errors.length > 1 ? `${first} (and ${errors.length - 1} more)` : first;
}
