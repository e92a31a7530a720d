import type { TenantId } from '@ward/contracts';
import type { FieldCipher } from '../crypto/index.ts';

/**
 * Date shifting for templates that need intervals (R-AI-1; docs/ai.md "Date shifting"): instead of a
 * `[DATE_n]` surrogate, a date the pseudonymiser finds is moved by the patient's offset, the same
 * number of days for every date of every task on that patient, so intervals ("three weeks after
 * the fall") survive while no true date reaches the vendor. The offset is a keyed function of the
 * patient (the tenant's index key, crypto module), between 30 and 364 days either way, never 0; it
 * is stored in the task's encrypted pseudonym map, and re-identification (`ai.reidentify`) moves
 * every date of the draft back by it. A date it cannot read stays a `[DATE_n]` surrogate.
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_RE = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`;
const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
  thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};
const CARDINAL_UNITS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };

/** The key under which a task's offset is kept in its pseudonym map (never a surrogate's form). */
export const DATE_SHIFT_KEY = '@dateShiftDays';

/** The offset of a patient from a keyed digest of its id (at least 4 bytes). */
export function offsetFromDigest(digest: Uint8Array): number {
  const n = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  const days = 30 + (n % 335);
  return n & 0x80000000 ? days : -days;
}

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((m) => m.startsWith(w.slice(0, 3)));
}

function dayOf(word: string): number | null {
  const w = word.toLowerCase().trim().replace(/[\s-]+/g, ' ');
  const digits = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(w);
  if (digits) return Number(digits[1]);
  if (ORDINAL_WORDS[w]) return ORDINAL_WORDS[w]!;
  const compound = /^(twenty|thirty) (\w+)$/.exec(w);
  if (compound) {
    const unit = ORDINAL_WORDS[compound[2]!] ?? CARDINAL_UNITS[compound[2]!];
    if (unit && unit < 10) return (compound[1] === 'twenty' ? 20 : 30) + unit;
  }
  if (w === 'twenty') return 20;
  if (w === 'thirty') return 30;
  return CARDINAL_UNITS[w] ?? null;
}

interface Parsed {
  year: number | null;
  month: number;
  day: number;
}

/** Reads a date surface ("2024-03-05", "3/5/2024", "March 5th, 2024", "march fifth", "the 5th of March"). */
export function parseDate(surface: string): Parsed | null {
  const s = surface.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return check(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/.exec(s);
  if (m) return check(m[3]!.length === 2 ? 2000 + Number(m[3]) - (Number(m[3]) > 50 ? 100 : 0) : Number(m[3]), Number(m[1]) - 1, Number(m[2]));
  m = new RegExp(`^${MONTH_RE} (?:the )?([a-z0-9 -]+?)(?: (\\d{4}))?$`).exec(s);
  if (m) {
    const day = dayOf(m[2]!);
    return day ? check(m[3] ? Number(m[3]) : null, monthIndex(m[1]!), day) : null;
  }
  m = new RegExp(`^(?:the )?([a-z0-9 -]+?) (?:of )?${MONTH_RE}(?: (\\d{4}))?$`).exec(s);
  if (m) {
    const day = dayOf(m[1]!);
    return day ? check(m[3] ? Number(m[3]) : null, monthIndex(m[2]!), day) : null;
  }
  return null;
}

function check(year: number | null, month: number, day: number): Parsed | null {
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year ?? 2000, month, day));
  return d.getUTCMonth() === month ? { year, month, day } : null;
}

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

/** `surface` moved by `days`: an ISO date when its year is known, "Month D" otherwise; null when unreadable. */
export function shiftDate(surface: string, days: number): string | null {
  const p = parseDate(surface);
  if (!p) return null;
  // A date without a year is moved within a leap year, so that 29 February has a place.
  const d = new Date(Date.UTC(p.year ?? 2000, p.month, p.day) + days * 86_400_000);
  return p.year === null ? `${cap(MONTHS[d.getUTCMonth()]!)} ${d.getUTCDate()}` : d.toISOString().slice(0, 10);
}

const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const MONTH_DAY = new RegExp(`\\b(${MONTHS.map(cap).join('|')}) (\\d{1,2})\\b(?!,? \\d{4})`, 'g');

/** Every date a shifted text holds (ISO, or "Month D" as shiftDate writes them) moved back by `days`. */
export function unshiftDates(text: string, days: number): string {
  return text
    .replace(ISO, (all, y: string, mo: string, d: string) => {
      const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
      return Number.isNaN(t) ? all : new Date(t - days * 86_400_000).toISOString().slice(0, 10);
    })
    .replace(MONTH_DAY, (all, mo: string, d: string) => {
      const p = check(null, monthIndex(mo), Number(d));
      if (!p) return all;
      const back = new Date(Date.UTC(2000, p.month, p.day) - days * 86_400_000);
      return `${cap(MONTHS[back.getUTCMonth()]!)} ${back.getUTCDate()}`;
    });
}

/**
 * The date offset of a task's subject (its patient, or the call when it has none), under the tenant's
 * index key: the same for every task on that patient, unknown to anyone without the key.
 */
export async function subjectDateOffset(cipher: Pick<FieldCipher, 'blindIndex'>, tenantId: TenantId, subjectId: string): Promise<number> {
  return offsetFromDigest(await cipher.blindIndex(tenantId, 'mrn', `DATESHIFT${subjectId}`));
}
