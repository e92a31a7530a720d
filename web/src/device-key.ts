/**
 * R-SESS-4: the browser's device key: an ECDSA P-256 key pair whose private half is not extractable,
 * kept in IndexedDB. Every API request carries a proof signed with it in the shape of an RFC 9449
 * DPoP proof; the server binds the session to the key's JWK thumbprint.
 */
const DB_NAME = 'ward-device';
const STORE = 'keys';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function openStore(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

let cached: Promise<{ pair: CryptoKeyPair; jwk: JsonWebKey }> | undefined;

export function deviceKey(): Promise<{ pair: CryptoKeyPair; jwk: JsonWebKey }> {
  cached ??= (async () => {
    const db = await openStore();
    let pair = (await request(db.transaction(STORE).objectStore(STORE).get('device'))) as CryptoKeyPair | undefined;
    if (!pair) {
      pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(pair, 'device');
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return { pair, jwk: { kty, crv, x, y } };
  })();
  return cached;
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const text = (o: unknown) => b64url(new TextEncoder().encode(JSON.stringify(o)));

/** The server's clock minus ours, in seconds, learnt from `Ward-Server-Time`. */
let offsetSeconds = 0;
export const clockOffsetSeconds = () => offsetSeconds;
export function learnServerTime(header: string | null): boolean {
  const server = Number(header);
  if (!Number.isFinite(server) || server <= 0) return false;
  const next = server - Date.now() / 1000;
  const changed = Math.abs(next - offsetSeconds) > 20;
  offsetSeconds = next;
  return changed;
}

export async function deviceProof(method: string, url: string): Promise<string> {
  const { pair, jwk } = await deviceKey();
  const u = new URL(url, location.href);
  const header = text({ typ: 'dpop+jwt', alg: 'ES256', jwk });
  const payload = text({
    htm: method.toUpperCase(),
    htu: `${u.origin}${u.pathname}`,
    iat: Math.floor(Date.now() / 1000 + offsetSeconds),
    jti: b64url(crypto.getRandomValues(new Uint8Array(18))),
  });
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(`${header}.${payload}`));
  return `${header}.${payload}.${b64url(new Uint8Array(signature))}`;
}
