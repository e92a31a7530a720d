import { UNSAFE_TEXT_CHARS, WardError } from '@ward/contracts';

/**
 * SCIM values as IdPs send them. Entra ID sends booleans as the strings "True" and "False" (its
 * documented behaviour for PATCH), Okta sends JSON booleans: both read the same, anything else is
 * `invalidValue` (R-AUTHN-5).
 */
export function scimBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  throw new WardError('SCIM_INVALID_VALUE', 'A boolean is true or false (or the strings "True" and "False").');
}

/**
 * C0 and C1 controls (ESC opens a terminal's escape sequences, where `ward` prints names) and the bidi
 * embeddings, overrides and isolates, which reorder how a name reads in the admin console, an access
 * review or an approval (CVE-2021-42574's "Trojan Source"). LRM, RLM, ZWJ and ZWNJ stay: names in
 * Hebrew, Arabic, Persian and Indic scripts need them.
 */
const UNSAFE_IN_TEXT = new RegExp(`[${UNSAFE_TEXT_CHARS}]`, 'u');

/** An optional short string: absent or null reads as null; anything but a string is `invalidValue`. */
export function scimString(value: unknown, name: string, max = 300): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new WardError('SCIM_INVALID_VALUE', `${name} is a string.`);
  const v = value.trim();
  if (v.length > max) throw new WardError('SCIM_INVALID_VALUE', `${name} is at most ${max} characters.`);
  if (UNSAFE_IN_TEXT.test(v)) throw new WardError('SCIM_INVALID_VALUE', `${name} holds a control or bidi-override character.`);
  return v === '' ? null : v;
}

export function requiredString(value: unknown, name: string, max = 300): string {
  const v = scimString(value, name, max);
  if (v === null) throw new WardError('SCIM_INVALID_VALUE', `${name} is required.`);
  return v;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key of a SCIM object, found case-insensitively (attribute names are case-insensitive, RFC 7643 §2.1). */
export function attr(obj: Record<string, unknown>, name: string): unknown {
  const n = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === n);
  return key === undefined ? undefined : obj[key];
}

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export const SCIM_MEDIA_TYPE = 'application/scim+json';
