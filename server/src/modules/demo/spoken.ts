/**
 * Spoken forms, the way a speech recogniser writes them: lower case, numbers as words, digits read
 * one by one (with "oh", "double" and the odd mis-heard homophone), letters as single letters.
 * Each function draws its variant from the random source so that the same value is read in
 * different ways across calls.
 */
import type { Rng } from './prng.ts';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORD_ONES = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth',
  'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth',
  'eighteenth', 'nineteenth'];
const ORD_TENS = ['', '', 'twentieth', 'thirtieth'];
export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december'];

function at<T>(list: readonly T[], i: number): T {
  return list[i] as T;
}

/** 0..9999 as words: "one hundred twenty three", "four thousand and six". */
export function cardinal(n: number, and = false): string {
  if (n < 20) return at(ONES, n);
  if (n < 100) return at(TENS, Math.floor(n / 10)) + (n % 10 ? ` ${at(ONES, n % 10)}` : '');
  if (n < 1000) {
    const rest = n % 100;
    return `${at(ONES, Math.floor(n / 100))} hundred${rest ? (and ? ' and ' : ' ') + cardinal(rest) : ''}`;
  }
  const rest = n % 1000;
  return `${cardinal(Math.floor(n / 1000))} thousand${rest ? (and && rest < 100 ? ' and ' : ' ') + cardinal(rest, and) : ''}`;
}

/** 1..31 as an ordinal: "twenty third". */
export function ordinal(n: number): string {
  if (n < 20) return at(ORD_ONES, n);
  const t = Math.floor(n / 10);
  return n % 10 ? `${at(TENS, t)} ${at(ORD_ONES, n % 10)}` : at(ORD_TENS, t);
}

/** A two-digit group as spoken: 5 → "oh five", 42 → "forty two", 0 → "hundred" in years. */
function pair(n: number, zero = 'oh'): string {
  return n < 10 ? `${zero} ${at(ONES, n)}` : cardinal(n);
}

export function digitWord(d: string, r: Rng, zero: 'oh' | 'zero' | 'mixed' = 'mixed'): string {
  if (d === '0') return zero === 'mixed' ? (r.chance(0.6) ? 'oh' : 'zero') : zero;
  return at(ONES, Number(d));
}

/**
 * Digits one by one: "five five five oh one two three". Runs may be read as "double five" or
 * "triple oh", and now and then a recogniser writes "for" or "to" for four and two.
 */
export function readDigits(digits: string, r: Rng, opts: { groups?: boolean; homophones?: boolean } = {}): string {
  const zero: 'oh' | 'zero' = r.chance(0.65) ? 'oh' : 'zero';
  const useDouble = opts.groups !== false && r.chance(0.3);
  const words: string[] = [];
  for (let i = 0; i < digits.length; ) {
    const d = digits[i] as string;
    let run = 1;
    while (digits[i + run] === d) run++;
    if (useDouble && run >= 2) {
      const n = Math.min(run, 3);
      words.push(`${n === 3 ? 'triple' : 'double'} ${digitWord(d, r, zero)}`);
      i += n;
      continue;
    }
    let w = digitWord(d, r, zero);
    if (opts.homophones !== false && r.chance(0.04)) w = w === 'four' ? 'for' : w === 'two' ? 'to' : w;
    words.push(w);
    i += 1;
  }
  return words.join(' ');
}

/** A 4-digit group read as pairs ("oh one forty two") or digit by digit. */
function readFour(four: string, r: Rng): string {
  if (r.chance(0.35) && four[0] !== '0' && four[2] !== '0') {
    return `${cardinal(Number(four.slice(0, 2)))} ${cardinal(Number(four.slice(2)))}`;
  }
  if (r.chance(0.3) && four[2] !== '0') return `${readDigits(four.slice(0, 2), r)} ${cardinal(Number(four.slice(2)))}`;
  return readDigits(four, r);
}

/** A US phone number given as 10 digits, read out. `local` drops the area code. */
export function spokenPhone(tenDigits: string, r: Rng, local = false): string {
  const area = tenDigits.slice(0, 3);
  const exchange = tenDigits.slice(3, 6);
  const line = tenDigits.slice(6);
  const tail = `${readDigits(exchange, r)} ${readFour(line, r)}`;
  if (local) return tail;
  return `${r.chance(0.12) ? 'area code ' : ''}${readDigits(area, r)} ${tail}`;
}

export function yearWords(y: number, r: Rng): string {
  if (y >= 2000 && y < 2010) {
    return r.weighted<string>([[`two thousand ${cardinal(y - 2000)}`, 3], [`two thousand and ${cardinal(y - 2000)}`, 1],
      [`twenty oh ${cardinal(y - 2000)}`, 1]]);
  }
  if (y >= 2010) return r.chance(0.6) ? `twenty ${cardinal(y - 2000)}` : `two thousand ${cardinal(y - 2000)}`;
  const hi = Math.floor(y / 100);
  const lo = y % 100;
  return `${cardinal(hi)} ${lo === 0 ? 'hundred' : pair(lo)}`;
}

/** The last two digits of a year: 51 → "fifty one", 2004 → "oh four". */
function shortYear(y: number): string {
  return pair(y % 100);
}

/** A date (of birth, usually) in one of many spoken forms. */
export function spokenDate(iso: string, r: Rng): string {
  const [ys, ms, ds] = iso.split('-');
  const y = Number(ys);
  const m = Number(ms);
  const d = Number(ds);
  const month = at(MONTHS, m - 1);
  const form = r.int(0, 11);
  switch (form) {
    case 0:
    case 1:
      return `${month} ${ordinal(d)} ${yearWords(y, r)}`;
    case 2:
      return `${month} ${cardinal(d)} ${yearWords(y, r)}`;
    case 3:
      return `the ${ordinal(d)} of ${month} ${yearWords(y, r)}`;
    case 4:
      return `${pair(m)} ${pair(d)} ${shortYear(y)}`;
    case 5:
      return `${cardinal(m)} ${cardinal(d)} ${shortYear(y)}`;
    case 6:
      return `${month} ${ordinal(d)} ${shortYear(y)}`;
    case 7:
      return `${cardinal(m)} ${cardinal(d)} ${yearWords(y, r)}`;
    case 8:
      return `${readDigits(ms as string, r, { groups: false, homophones: false })} ${readDigits(ds as string, r, { groups: false, homophones: false })} ${readDigits(ys as string, r, { groups: false, homophones: false })}`;
    case 9:
      return `${ordinal(d)} of ${month} ${yearWords(y, r)}`;
    case 10:
      return `${month} the ${ordinal(d)} ${yearWords(y, r)}`;
    default:
      return `${month} ${ordinal(d)} ${yearWords(y, r)}`;
  }
}

/** A day in the coming weeks for an appointment: "march twelfth", "the ninth". */
export function spokenDayOfMonth(month: number, day: number, r: Rng): string {
  return r.weighted<string>([
    [`${at(MONTHS, month - 1)} ${ordinal(day)}`, 4],
    [`the ${ordinal(day)}`, 2],
    [`${at(MONTHS, month - 1)} ${cardinal(day)}`, 1],
    [`the ${ordinal(day)} of ${at(MONTHS, month - 1)}`, 1],
  ]);
}

/** A house number: "one twenty three", "twelve oh five", "forty two eighteen", or digit by digit. */
export function spokenHouseNumber(n: number, r: Rng): string {
  const s = String(n);
  if (n < 100) return cardinal(n);
  if (r.chance(0.15)) return readDigits(s, r, { homophones: false });
  if (n < 1000) {
    const rest = n % 100;
    if (r.chance(0.3)) return cardinal(n, r.chance(0.5));
    return `${cardinal(Math.floor(n / 100))} ${rest === 0 ? 'hundred' : pair(rest)}`;
  }
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (n % 1000 === 0) return cardinal(n);
  return `${cardinal(hi)} ${lo === 0 ? 'hundred' : pair(lo)}`;
}

const PHONETIC: Readonly<Record<string, string>> = {
  a: 'apple', b: 'boy', c: 'cat', d: 'david', e: 'edward', f: 'frank', g: 'george', h: 'henry', j: 'john',
  k: 'king', m: 'mary', n: 'nancy', p: 'peter', q: 'queen', r: 'robert', t: 'tom', u: 'uniform', v: 'victor',
  w: 'william', x: 'x ray', y: 'yellow',
};

/**
 * An identifier of letters and digits read out: "one e g four k e seven m k seven two", with
 * digits sometimes grouped and a letter sometimes clarified ("k as in king").
 */
export function spokenAlnum(id: string, r: Rng): string {
  const clarify = r.chance(0.25);
  const words: string[] = [];
  const lower = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (let i = 0; i < lower.length; ) {
    const c = lower[i] as string;
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < lower.length && /[0-9]/.test(lower[j] as string)) j++;
      words.push(readDigits(lower.slice(i, j), r));
      i = j;
      continue;
    }
    const as = PHONETIC[c];
    words.push(clarify && as && r.chance(0.4) ? `${c} as in ${as}` : c);
    i += 1;
  }
  return words.join(' ');
}

/** A name spelled out letter by letter: "k o w a l s k i". */
export function spelled(word: string): string {
  return word.replace(/[^a-z]/g, '').split('').join(' ');
}

/** An e-mail address read out: "john dot smith seventy two at example dot com". */
export function spokenEmail(email: string, r: Rng): string {
  const [local = '', domain = ''] = email.split('@');
  const readPart = (part: string): string =>
    part
      .split(/([._-])/)
      .filter((x) => x !== '')
      .flatMap((x) => (x === '.' || x === '_' || x === '-' ? [x] : x.split(/(\d+)/).filter((y) => y !== '')))
      .map((x) => (x === '.' ? 'dot' : x === '_' ? 'underscore' : x === '-' ? 'dash' : /^\d+$/.test(x) ? (r.chance(0.5) || x.length > 2 ? readDigits(x, r) : cardinal(Number(x))) : x))
      .join(' ');
  return `${readPart(local)} at ${readPart(domain)}`;
}
