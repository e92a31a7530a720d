// Module replacements for the bisection server (server.ts): `canonicalize` and the device-proof
// verifier are resolved to stand-ins when switched off.
let off = new Set();
export function initialize(data) {
  off = new Set(data?.off ?? []);
}
const here = new URL('./', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (off.has('canonicalize') && specifier === 'canonicalize') return { url: here + 'canonicalize-stub.mjs', shortCircuit: true };
  const resolved = await next(specifier, context);
  if (off.has('device-proof') && resolved.url.endsWith('/modules/proof/verify-proof.ts') && !context.parentURL?.startsWith(here)) {
    return next(here + 'device-proof-stub.ts', context); // resolved by the TypeScript loader like any .ts file
  }
  return resolved;
}
