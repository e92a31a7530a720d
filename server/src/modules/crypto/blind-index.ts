/**
 * Blind indexes (R-DATA-1): exact-match lookups on encrypted fields (an agent's screen pop finds a
 * patient by the caller's phone number, an MRN or a member id) without decrypting every row.
 *
 *   index = index key version (uint32, big-endian) || HMAC-SHA-256(tenant index key,
 *           "ward-index/v1" || field || normalised value)      (length-prefixed parts)
 *
 * The key is per tenant, so equal values in two tenants give unrelated indexes; the field name is
 * in the MAC, so an MRN never matches a member id with the same characters. Only exact matches:
 * no prefixes, no ranges. Each field has one normalisation, so that "(555) 010-1234" and
 * "+15550101234" meet; docs/encryption.md lists them.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { encodeParts } from './envelope.ts';

const MAC_LABEL = Buffer.from('ward-index/v1', 'utf8');
export const BLIND_INDEX_BYTES = 4 + 32;

export interface NormaliseOptions {
  /** Country calling code for national phone numbers without one (default 1, NANP). */
  defaultCountryCode?: string;
}

type Normaliser = (value: string, options: NormaliseOptions) => string | undefined;

/** Upper-case letters and digits only: "mrn-00 12/a" → "MRN0012A". */
const identifier: Normaliser = (value) => {
  const out = value.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return out.length > 0 && out.length <= 64 ? out : undefined;
};

export const LOOKUP_FIELDS = {
  /**
   * E.164: "+" and 8–15 digits. National numbers take the default country code; with the
   * default (NANP) a national number has exactly ten digits, optionally after a leading 1.
   */
  phone: (value, options) => {
    const compact = value.normalize('NFKC').trim().replace(/[\s().\-/]/g, '');
    let digits: string;
    if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
    else if (/^00\d+$/.test(compact)) digits = compact.slice(2);
    else if (/^\d+$/.test(compact)) {
      const cc = options.defaultCountryCode ?? '1';
      // NANP: ten national digits, or eleven with the leading 1 already there.
      if (cc === '1') {
        if (compact.length === 10) digits = `1${compact}`;
        else if (compact.length === 11 && compact.startsWith('1')) digits = compact;
        else return undefined;
      } else digits = cc + compact.replace(/^0/, ''); // drop the national trunk prefix
    } else return undefined;
    return digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0') ? `+${digits}` : undefined;
  },
  mrn: identifier,
  memberId: identifier,
  /** Nine digits, separators removed. */
  ssn: (value) => {
    const digits = value.normalize('NFKC').replace(/[\s\-.]/g, '');
    return /^\d{9}$/.test(digits) ? digits : undefined;
  },
  /** ISO date YYYY-MM-DD, from YYYY-MM-DD or the US form MM/DD/YYYY; must be a real date. */
  dateOfBirth: (value) => {
    const trimmed = value.trim();
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
    const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
    if (!y || !m || !d) return undefined;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    const out = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === out ? out : undefined;
  },
  /** Trimmed and lower-cased as a whole (providers differ on local parts; exact match stays safe). */
  email: (value) => {
    const out = value.normalize('NFKC').trim().toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(out) ? out : undefined;
  },
} satisfies Record<string, Normaliser>;

export type LookupField = keyof typeof LOOKUP_FIELDS;

export function isLookupField(value: unknown): value is LookupField {
  return typeof value === 'string' && Object.hasOwn(LOOKUP_FIELDS, value);
}

/** The canonical form a field's index is computed over. The error names the field, never the value. */
export function normaliseLookupValue(field: LookupField, value: string, options: NormaliseOptions = {}): string {
  const normalise: Normaliser | undefined = isLookupField(field) ? LOOKUP_FIELDS[field] : undefined;
  if (!normalise) throw new WardError('LOOKUP_VALUE_INVALID', 'Unknown blind index field.');
  const out = typeof value === 'string' ? normalise(value, options) : undefined;
  if (out === undefined) throw new WardError('LOOKUP_VALUE_INVALID', `The value is not a valid ${field}.`);
  return out;
}

export function computeBlindIndex(key: KeyObject, keyVersion: number, field: LookupField, normalised: string): Buffer {
  const out = Buffer.alloc(BLIND_INDEX_BYTES);
  out.writeUInt32BE(keyVersion, 0);
  createHmac('sha256', key).update(encodeParts([MAC_LABEL, field, normalised])).digest().copy(out, 4);
  return out;
}
