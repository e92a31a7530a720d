import { demoGoldDocuments, type DemoData } from '../../src/modules/demo/index.ts';

/**
 * What must never appear in metrics, spans or the compliance report (R-DATA-4): the demo's gold PHI
 * (every span of `ward demo gold` and every patient field) and its identifiers (ids, emails, names
 * of members). With `tenantSlugs: false` (a report about one tenant) the tenants' slugs are allowed. Short needles that could match an ordinary number or word by chance are left out:
 * fewer than 4 characters, or all digits and fewer than 7.
 */
export function demoNeedles(demo: DemoData, opts: { tenantSlugs?: boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  const add = (kind: string, value: string | null | undefined) => {
    const v = value?.trim();
    if (!v || v.length < 4 || (/^[\d\s().+-]+$/.test(v) && v.replace(/\D/g, '').length < 7)) return;
    if (!out.has(v)) out.set(v, kind);
  };
  for (const doc of demoGoldDocuments(demo)) for (const s of doc.spans) add(`gold ${s.label}`, doc.text.slice(s.start, s.end));
  for (const p of demo.patients) {
    add('patient id', p.id);
    for (const [field, value] of Object.entries(p)) if (!['id', 'tenantId', 'phiScope', 'sex', 'state'].includes(field)) add(`patient ${field}`, String(value));
    add('patient name', `${p.givenName} ${p.familyName}`);
  }
  for (const t of demo.tenants) {
    add('tenant id', t.id);
    if (opts.tenantSlugs !== false) add('tenant slug', t.slug);
  }
  for (const m of demo.members) {
    add('member id', m.id);
    add('member email', m.email);
    add('member name', m.displayName);
  }
  for (const c of demo.calls) {
    add('call id', c.id);
    add('call number', c.fromNumber);
    add('recording id', c.recording.id);
    add('transcript id', c.transcript.id);
  }
  for (const n of demo.caseNotes) add('case note id', n.id);
  for (const d of demo.devices) {
    add('device id', d.id);
    add('device thumbprint', d.thumbprint);
  }
  // A report of one tenant names it by its slug, which the transcripts also say (the clinic's name).
  if (opts.tenantSlugs === false) for (const t of demo.tenants) for (const v of [...out.keys()]) if (v.toLowerCase() === t.slug) out.delete(v);
  return out;
}

/**
 * The needles found in `text`, as `kind: value` lines (empty: clean). A needle that starts or ends
 * with a digit counts only where the text has no digit next to it: a 7-digit MRN inside a span's
 * 19-digit nanosecond timestamp is a coincidence, not a leak (about one run in a hundred hit one).
 */
export function findNeedles(text: string, needles: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [value, kind] of needles) if (occurs(text, value)) found.push(`${kind}: ${value}`);
  return found;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function occurs(text: string, value: string): boolean {
  const guardStart = isDigit(value[0]);
  const guardEnd = isDigit(value[value.length - 1]);
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
    if (guardStart && isDigit(text[at - 1])) continue;
    if (guardEnd && isDigit(text[at + value.length])) continue;
    return true;
  }
  return false;
}
