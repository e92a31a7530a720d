/**
 * The session cookie (R-SESS-1): an opaque random id only; HttpOnly, SameSite=Strict, Path=/; with
 * an https origin also Secure and the `__Host-` prefix (which forbids a Domain attribute, so no
 * sibling host can set or overwrite it).
 */
export function sessionCookieName(origin: URL): string {
  return origin.protocol === 'https:' ? '__Host-ward_session' : 'ward_session';
}

function attributes(origin: URL): string {
  return `Path=/; HttpOnly; SameSite=Strict${origin.protocol === 'https:' ? '; Secure' : ''}`;
}

export function sessionCookie(origin: URL, token: string): string {
  return `${sessionCookieName(origin)}=${token}; ${attributes(origin)}`;
}

export function clearedSessionCookie(origin: URL): string {
  return `${sessionCookieName(origin)}=; Max-Age=0; ${attributes(origin)}`;
}

/** The session token from a Cookie header, or null; a cookie sent twice is refused (ambiguous). */
export function readSessionCookie(origin: URL, header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const name = sessionCookieName(origin);
  const found: string[] = [];
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === name) found.push(part.slice(eq + 1).trim());
    }
  }
  if (found.length !== 1) return null;
  const token = found[0]!;
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}
