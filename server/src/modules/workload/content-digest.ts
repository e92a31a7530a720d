import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary } from 'structured-headers';

/**
 * RFC 9530 Content-Digest: a structured dictionary of digest algorithms to byte sequences over the
 * message content. Ward sends `sha-256` and accepts `sha-256` or `sha-512`; every accepted digest the
 * header carries must match, and at least one must be present. An unparsable header does not match.
 */
const ALGORITHMS: Record<string, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export function contentDigestMatches(header: string | string[] | undefined, body: Uint8Array): boolean {
  if (typeof header !== 'string' || header.length > 512) return false;
  let dict;
  try {
    dict = parseDictionary(header);
  } catch {
    return false;
  }
  let checked = 0;
  for (const [name, [value]] of dict) {
    const alg = ALGORITHMS[name];
    if (!alg) continue;
    if (!(value instanceof ArrayBuffer)) return false;
    const expected = createHash(alg).update(body).digest();
    const given = Buffer.from(value);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    checked++;
  }
  return checked > 0;
}
