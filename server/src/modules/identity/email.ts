import { domainToASCII } from 'node:url';
import { WardError } from '@ward/contracts';

/**
 * The one form of an e-mail address that Ward stores and compares (R-AUTHN-2, R-AUTHN-3, R-AUTHN-4,
 * R-AUTHN-5): invitations, SCIM provisioning, the first SSO link by e-mail, recovery and the operator's
 * look-ups all go through `normalEmail`, so that two spellings of one address name one member and no
 * spelling names another's.
 *
 * - Unicode NFKC first (UAX #15), so that compatibility forms are their plain characters: full-width
 *   `ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｏｒｇ` is `alice@example.org`; then lower case, then NFKC again (lower-casing can
 *   leave a string that NFKC changes), until nothing changes.
 * - The local part is case-folded too. RFC 5321 §2.4 lets a mail server treat it as case-sensitive,
 *   but no mainstream provider or IdP does, and two members differing only by case would be the
 *   ambiguity this function exists to remove (the database has always kept addresses lower case).
 *   Nothing else is rewritten: no dots or `+tags` dropped, as those are distinct mailboxes at many hosts.
 * - The domain is stored in its ASCII form (IDNA 2008 with UTS #46 processing, as URLs use):
 *   `bücher.example` and `xn--bcher-kva.example` are one domain, and a look-alike domain shows as
 *   the `xn--` form it is.
 * - Refused (EMAIL_INVALID, with the reason): control, format (bidi controls, zero-width characters),
 *   private-use, unassigned and default-ignorable characters and any space, even those NFKC or IDNA
 *   would silently drop; a local part or domain label that mixes scripts (`pаypal`, a Cyrillic `а`
 *   among Latin letters; UTS #39 "highly restrictive", which lets Latin join Han, Kana, Hangul or
 *   Bopomofo); one written wholly in Cyrillic or Greek letters that all look Latin (`еха` for `exa`);
 *   letters of scripts outside the list below.
 */
export type EmailRefusal = 'not_an_address' | 'invisible_character' | 'mixed_scripts' | 'confusable_script' | 'unsupported_script' | 'domain_invalid';

const SHAPE = /^[^\s@]{1,64}@[^\s@]{1,255}$/u;
/** Cc, Cf (bidi controls, ZWSP, ZWJ, soft hyphen, BOM…), Co, Cn, Cs, every separator, default-ignorables. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Z}\p{Default_Ignorable_Code_Point}]/u;
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Tamil', 'Telugu',
  'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Georgian', 'Hangul', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Ethiopic', 'Khmer', 'Myanmar',
] as const;
const SCRIPT_OF = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;
/** UTS #39 highly restrictive: Latin with the scripts written beside it in Japanese, Chinese and Korean. */
const CJK_WITH_LATIN = [new Set(['Han', 'Hiragana', 'Katakana']), new Set(['Han', 'Bopomofo']), new Set(['Han', 'Hangul'])];
/** Lower-case Cyrillic and Greek letters that read as Latin ones (UTS #39 confusables, the common few). */
const LATIN_LOOKALIKES = new Set([...'аеорсухѕіјһԁԛԝӏүɡοαικνρτυχϲϳ']);

export function emailRefusal(raw: string): EmailRefusal | { email: string } {
  if (typeof raw !== 'string' || raw.length > 320) return 'not_an_address';
  let folded = raw.trim().normalize('NFKC');
  if (INVISIBLE.test(folded)) return 'invisible_character';
  for (let i = 0, before = ''; i < 4 && before !== folded; i += 1) [before, folded] = [folded, folded.toLowerCase().normalize('NFKC')];
  if (INVISIBLE.test(folded)) return 'invisible_character';
  if (!SHAPE.test(folded)) return 'not_an_address';
  const at = folded.lastIndexOf('@');
  const local = folded.slice(0, at);
  const domain = folded.slice(at + 1);
  for (const part of [local, ...domain.split('.')]) {
    const problem = scriptProblem(part);
    if (problem) return problem;
  }
  const ascii = domainToASCII(domain);
  if (!ascii || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(ascii) || ascii.length > 255) return 'domain_invalid';
  return { email: `${local}@${ascii}` };
}

/** The address in the one form Ward stores and compares; EMAIL_INVALID (with its reason) otherwise. */
export function normalEmail(raw: string): string {
  const r = emailRefusal(raw);
  if (typeof r === 'string') throw new WardError('EMAIL_INVALID', undefined, { reasons: [r] });
  return r.email;
}

function scriptProblem(part: string): EmailRefusal | null {
  const scripts = new Set<string>();
  for (const ch of part) {
    if (NEUTRAL.test(ch)) continue;
    const script = SCRIPT_OF.find(([, re]) => re.test(ch))?.[0];
    if (!script) return 'unsupported_script';
    scripts.add(script);
  }
  if (scripts.size > 1) {
    const others = new Set([...scripts].filter((s) => s !== 'Latin'));
    if (!CJK_WITH_LATIN.some((allowed) => [...others].every((s) => allowed.has(s)))) return 'mixed_scripts';
  }
  if (scripts.size === 1 && (scripts.has('Cyrillic') || scripts.has('Greek'))) {
    const letters = [...part].filter((ch) => /\p{L}/u.test(ch));
    if (letters.length > 0 && letters.every((ch) => LATIN_LOOKALIKES.has(ch))) return 'confusable_script';
  }
  return null;
}
