import type { AuditProofReply } from '@ward/contracts';

/**
 * R-AUDIT-3 in the browser: an event's inclusion proof checked against the signed tree head with
 * WebCrypto only, trusting nothing the server computed: the RFC 9162 §2.1.3.2 audit-path walk from
 * the leaf hash to the head's root, then the head's Ed25519 signature (RFC 8032) over Ward's signed
 * bytes (`ward-sth-v1\n` + RFC 8785 JCS of {keyId, rootHash, tenantId, timestamp, treeSize}) with the
 * public key published at /.well-known/ward-audit-keys.
 */
export type ProofCheck = { ok: true; treeSize: number; keyId: string } | { ok: false; reason: 'PATH_INVALID' | 'HEAD_UNKNOWN_KEY' | 'HEAD_SIGNATURE_INVALID' | 'HEAD_OTHER_TENANT' };

function fromB64url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** RFC 9162 §2.1.3.2: the root the audit path leads to, or null when the path does not fit the tree size. */
export async function rootFromPath(leafHash: Uint8Array, leafIndex: number, treeSize: number, path: Uint8Array[]): Promise<Uint8Array | null> {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 8785 for this object: keys sorted, strings and safe integers only. */
export function headSigningBytes(h: AuditProofReply['head']): Uint8Array<ArrayBuffer> {
  const body = JSON.stringify({ keyId: h.keyId, rootHash: h.rootHash, tenantId: h.tenantId, timestamp: h.timestamp, treeSize: h.treeSize });
  return new TextEncoder().encode(`ward-sth-v1\n${body}`);
}

export async function verifyProof(p: AuditProofReply, opts: { tenantId: string; keys: Array<{ kid: string; x: string }> }): Promise<ProofCheck> {
  if (p.head.tenantId !== opts.tenantId) return { ok: false, reason: 'HEAD_OTHER_TENANT' };
  const root = await rootFromPath(fromB64url(p.leafHash), p.leafIndex, p.head.treeSize, p.proof.map(fromB64url));
  if (!root || !equal(root, fromB64url(p.head.rootHash))) return { ok: false, reason: 'PATH_INVALID' };
  const jwk = opts.keys.find((k) => k.kid === p.head.keyId);
  if (!jwk) return { ok: false, reason: 'HEAD_UNKNOWN_KEY' };
  const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, fromB64url(p.head.signature), headSigningBytes(p.head));
  return ok ? { ok: true, treeSize: p.head.treeSize, keyId: p.head.keyId } : { ok: false, reason: 'HEAD_SIGNATURE_INVALID' };
}
