/**
 * The field ciphertext format (R-DATA-1): AES-256-GCM from Node's crypto, nothing hand-written.
 *
 *   offset 0   format version (1 byte, 0x01)
 *   offset 1   data key version (uint32, big-endian)
 *   offset 5   IV (12 random bytes; NIST SP 800-38D 8.2.2, at most 2^32 encryptions per key)
 *   offset 17  ciphertext (as long as the plaintext)
 *   end - 16   GCM tag (16 bytes)
 *
 * The additional data is the 5-byte header followed by a length-prefixed encoding of the tenant,
 * table, row id and column, so a ciphertext copied to another cell fails authentication, and so
 * does one whose header was edited.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import type { FieldRef } from './types.ts';

export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 5;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a ciphertext adds to its plaintext. */
export const OVERHEAD_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;
const AAD_LABEL = Buffer.from('ward-field/v1', 'utf8');

/** Reasons are fixed strings: they end up in error messages, which must never carry values. */
export type FormatProblem = 'too-short' | 'unknown-format-version' | 'bad-key-version';

export interface ParsedHeader {
  formatVersion: number;
  keyVersion: number;
}

export function readHeader(ciphertext: Buffer): ParsedHeader | FormatProblem {
  if (ciphertext.length < OVERHEAD_BYTES) return 'too-short';
  const formatVersion = ciphertext.readUInt8(0);
  if (formatVersion !== FORMAT_VERSION) return 'unknown-format-version';
  const keyVersion = ciphertext.readUInt32BE(1);
  if (keyVersion < 1) return 'bad-key-version';
  return { formatVersion, keyVersion };
}

/** Length-prefixed (uint32) parts: no two different cells encode to the same bytes. */
export function encodeParts(parts: readonly (string | Buffer)[]): Buffer {
  const buffers: Buffer[] = [];
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    buffers.push(length, bytes);
  }
  return Buffer.concat(buffers);
}

/**
 * The header, then encodeParts([AAD_LABEL, tenant, table, row id, column]): the same bytes, written
 * into one buffer instead of ten joined (every shown field of every read opens one; R-OPS-1).
 */
function additionalData(header: Buffer, tenantId: string, ref: FieldRef): Buffer {
  const texts = [tenantId, ref.table, ref.rowId, ref.column];
  let size = header.length + 4 + AAD_LABEL.length;
  for (const text of texts) size += 4 + Buffer.byteLength(text, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = header.copy(out, 0);
  at = out.writeUInt32BE(AAD_LABEL.length, at);
  at += AAD_LABEL.copy(out, at);
  for (const text of texts) {
    const length = out.write(text, at + 4, 'utf8');
    out.writeUInt32BE(length, at);
    at += 4 + length;
  }
  return out;
}

export function sealField(key: KeyObject, keyVersion: number, tenantId: string, ref: FieldRef, plaintext: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeUInt32BE(keyVersion, 1);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, tenantId, ref));
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([header, iv, body, final, cipher.getAuthTag()]);
}

/** Throws Node's own authentication error (which carries no data) when the tag does not verify. */
export function openField(key: KeyObject, tenantId: string, ref: FieldRef, ciphertext: Buffer): Buffer {
  const header = ciphertext.subarray(0, HEADER_BYTES);
  const iv = ciphertext.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const body = ciphertext.subarray(HEADER_BYTES + IV_BYTES, ciphertext.length - TAG_BYTES);
  const tag = ciphertext.subarray(ciphertext.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(header, tenantId, ref));
  decipher.setAuthTag(tag);
  const out = decipher.update(body);
  decipher.final();
  return out;
}

/**
 * Wraps a key under another key (the keyring's KEK wrapping a data key): IV || ciphertext || tag,
 * with the AAD binding it to its tenant and KEK.
 */
export function sealKey(kek: KeyObject, aad: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

export function openKey(kek: KeyObject, aad: Buffer, wrapped: Buffer): Buffer {
  if (wrapped.length < IV_BYTES + TAG_BYTES) throw new Error('wrapped key too short');
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
  const out = Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
  return out;
}
