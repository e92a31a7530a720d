/**
 * Signed tree heads (R-AUDIT-3): a tenant's tree size and root at a moment, signed with Ed25519.
 *
 * Signed bytes: the ASCII domain tag `ward-sth-v1` and a line feed, then the UTF-8 of the RFC 8785 JCS
 * of {keyId, rootHash, tenantId, timestamp, treeSize}. The tag keeps a head signature from being
 * valid for any other message signed with the same key; the key id is signed so a head cannot be
 * re-attributed to another key.
 */
import { sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { fromBase64Url, hashFromBase64Url, toBase64Url } from './hashes.ts';
import type { PublicKeyRing, SigningKey } from './keys.ts';

export const TREE_HEAD_DOMAIN = 'ward-sth-v1\n';

export interface TreeHead {
  tenantId: string;
  treeSize: number;
  /** base64url of the 32-byte MTH. */
  rootHash: string;
  /** ISO 8601, UTC, from the signer's clock. */
  timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  keyId: string;
  /** base64url of the 64-byte Ed25519 signature over `treeHeadSigningBytes`. */
  signature: string;
}

export type TreeHeadCheck = 'ok' | 'HEAD_UNKNOWN_KEY' | 'HEAD_SIGNATURE_INVALID';

export function treeHeadSigningBytes(head: TreeHead & { keyId: string }): Buffer {
  const body = canonicalize({
    keyId: head.keyId,
    rootHash: head.rootHash,
    tenantId: head.tenantId,
    timestamp: head.timestamp,
    treeSize: head.treeSize,
  });
  return Buffer.from(TREE_HEAD_DOMAIN + body, 'utf8');
}

export function signTreeHead(
  head: { tenantId: string; treeSize: number; rootHash: Uint8Array; timestamp: string },
  key: SigningKey,
): SignedTreeHead {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) throw new RangeError('treeSize must be a non-negative safe integer');
  if (head.rootHash.length !== 32) throw new RangeError('rootHash must be 32 bytes');
  const unsigned = { tenantId: head.tenantId, treeSize: head.treeSize, rootHash: toBase64Url(head.rootHash), timestamp: head.timestamp, keyId: key.keyId };
  const signature = sign(null, treeHeadSigningBytes(unsigned), key.privateKey);
  return { ...unsigned, signature: signature.toString('base64url') };
}

/** Checks the signature only (the root is the verifier's business). Never throws on bad input. */
export function checkTreeHeadSignature(head: SignedTreeHead, publicKeys: PublicKeyRing): TreeHeadCheck {
  const publicKey = typeof head.keyId === 'string' ? publicKeys.get(head.keyId) : undefined;
  if (publicKey === undefined) return 'HEAD_UNKNOWN_KEY';
  const signature = typeof head.signature === 'string' ? fromBase64Url(head.signature) : null;
  if (
    signature === null ||
    signature.length !== 64 ||
    typeof head.tenantId !== 'string' ||
    !Number.isSafeInteger(head.treeSize) ||
    head.treeSize < 0 ||
    typeof head.timestamp !== 'string' ||
    hashFromBase64Url(head.rootHash) === null
  ) {
    return 'HEAD_SIGNATURE_INVALID';
  }
  try {
    return verify(null, treeHeadSigningBytes(head), publicKey, signature) ? 'ok' : 'HEAD_SIGNATURE_INVALID';
  } catch {
    return 'HEAD_SIGNATURE_INVALID';
  }
}
