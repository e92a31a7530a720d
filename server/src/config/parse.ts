import { WardError } from '@ward/contracts';

/** A configuration error: the start stops with CONFIG_INVALID and this message (no value is echoed). */
export function invalid(message: string): never {
  throw new WardError('CONFIG_INVALID', message);
}

/** A whole number from an environment variable, within bounds, or its default. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  const text = value?.trim() || String(fallback);
  const n = Number(text);
  if (!/^\d{1,9}$/.test(text) || n < min || n > max) invalid(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * An outbound service URL (SIEM, alert webhook): http(s) and without credentials. The egress policy
 * decides the address at each delivery; here only the form is checked.
 */
export function serviceUrl(name: string, raw: string, example: string): URL {
  const url = urlOf(name, raw, example);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`${name} must be an https:// URL`);
  if (url.username || url.password) invalid(`${name} must not carry credentials`);
  return url;
}

/** A URL from an environment variable, or CONFIG_INVALID with an example of the expected form. */
export function urlOf(name: string, raw: string, example: string): URL {
  try {
    return new URL(raw);
  } catch {
    invalid(`${name} is not a URL; expected for example ${example}`);
  }
}
