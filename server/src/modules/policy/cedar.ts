/**
 * The one import of the Cedar engine (WebAssembly). The `nodejs` build is the one that loads in
 * Node 20; the bare package name resolves to the browser build and fails.
 */
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
