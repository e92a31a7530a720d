import { gazetteer } from '../redaction/index.ts';
import type { PatientFields } from './pseudonyms.ts';

/**
 * The patient's own fields in every form a call says them (R-AI-1, R-AI-2; docs/ai.md
 * "Pseudonymisation"), for the AI path only: whatever the redaction engine finds or misses, a value
 * of the patient's record never reaches a vendor. The text is read once as words (no pattern is
 * compiled per task), and each field is matched in its forms:
 *   - names, given and family, case and accents aside: the whole name or any part alone (a
 *     double-barrelled part too), possessive ("gomez's"), an apostrophe said or not ("o'brien",
 *     "obrien"), spelled out letter by letter ("d o y l e", "D-O-Y-L-E", "m i double l e r", "j as
 *     in june"), and the usual nicknames of the given name (NICKNAMES); a nickname that is an English
 *     word ("will", "bill", "pat") only where it names someone: before one of the patient's names
 *     ("bill gomez"), after a greeting, a name cue or a title ("hi bill", "this is pat", "call me
 *     will", "mr bill"), or before "speaking" or "here";
 *   - the date of birth in any order and spelling of its parts: "March 14, 1961", "3/14/61",
 *     "1961-03-14", "the fourteenth of march nineteen sixty one", "oh three one four sixty one",
 *     "zero three one four one nine six one", "march fourteenth" (without the year when the month is
 *     named: the birthday);
 *   - digits (phone, also its last seven; SSN, also its last four; ZIP, MRN, member number) written
 *     with any separators or spoken ("five oh three", "double five", "fifty five", "j as in june");
 *   - words of the e-mail address, the street and the city, in order ("doyle dot elizabeth at …").
 */
export interface FieldSpan {
  start: number;
  end: number;
  cls: string;
}

interface Token {
  /** Lower case, accents and apostrophes removed, a possessive "'s" cut. */
  key: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const fold = (s: string) => {
  const lower = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFKD').replace(/\p{M}/gu, '') : lower;
};
const keyOf = (w: string) => fold(w).replace(/['’]s$/, '').replace(/['’]/g, '');

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) out.push({ key: keyOf(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** Usual nicknames of common given names (both ways: a record may hold either form). */
const NICKNAMES: Record<string, string[]> = {
  robert: ['rob', 'bob', 'bobby', 'robbie', 'bert'], william: ['will', 'bill', 'billy', 'liam', 'willie'], richard: ['rick', 'ricky', 'dick', 'rich', 'richie'],
  james: ['jim', 'jimmy', 'jamie'], john: ['johnny', 'jack'], joseph: ['joe', 'joey'], thomas: ['tom', 'tommy'], charles: ['charlie', 'chuck', 'chas'],
  christopher: ['chris', 'topher'], daniel: ['dan', 'danny'], matthew: ['matt', 'matty'], anthony: ['tony'], michael: ['mike', 'mikey', 'mick'],
  david: ['dave', 'davey'], steven: ['steve', 'stevie'], stephen: ['steve', 'stevie'], edward: ['ed', 'eddie', 'ted', 'ned'], benjamin: ['ben', 'benny'],
  samuel: ['sam', 'sammy'], alexander: ['alex', 'xander', 'sasha'], andrew: ['andy', 'drew'], nicholas: ['nick', 'nicky'], jonathan: ['jon', 'jonny'],
  timothy: ['tim', 'timmy'], kenneth: ['ken', 'kenny'], ronald: ['ron', 'ronnie'], donald: ['don', 'donnie'], gerald: ['gerry', 'jerry'],
  lawrence: ['larry'], raymond: ['ray'], gregory: ['greg'], patrick: ['pat', 'paddy'], peter: ['pete'], frederick: ['fred', 'freddie'],
  theodore: ['ted', 'teddy', 'theo'], terrence: ['terry'], terence: ['terry'], vincent: ['vince', 'vinny'], zachary: ['zach', 'zack'], nathaniel: ['nate', 'nat'],
  nathan: ['nate'], jacob: ['jake'], joshua: ['josh'], leonard: ['leo', 'len', 'lenny'], douglas: ['doug'], phillip: ['phil'], philip: ['phil'],
  elizabeth: ['liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby', 'betsy'], margaret: ['maggie', 'meg', 'peggy', 'marge', 'margie'], katherine: ['kate', 'kathy', 'katie', 'kat'],
  catherine: ['cathy', 'cat', 'kate', 'katie'], kathleen: ['kathy', 'kate'], jennifer: ['jen', 'jenny'], jessica: ['jess', 'jessie'], rebecca: ['becky', 'becca'],
  susan: ['sue', 'suzy'], patricia: ['pat', 'patty', 'trish'], deborah: ['deb', 'debbie'], barbara: ['barb', 'barbie'], victoria: ['vicky', 'tori'],
  christine: ['chris', 'chrissy', 'tina'], christina: ['chris', 'tina'], samantha: ['sam', 'sammy'], alexandra: ['alex', 'lexi', 'sasha'], abigail: ['abby'],
  kimberly: ['kim'], pamela: ['pam'], cynthia: ['cindy'], dorothy: ['dot', 'dottie'], theresa: ['terry', 'tess'], teresa: ['terry', 'tess'], judith: ['judy'],
  virginia: ['ginny'], frances: ['fran', 'frannie'], eleanor: ['ellie', 'nell'], helen: ['nell'], josephine: ['jo', 'josie'], gabriela: ['gabby'], gabrielle: ['gabby'],
  isabella: ['bella', 'izzy'], isabel: ['izzy', 'bel'], natalie: ['nat'], valerie: ['val'], veronica: ['ronnie'], madeline: ['maddie'], angela: ['angie'], caroline: ['carrie'],
  jacqueline: ['jackie'], sandra: ['sandy'], alexis: ['lexi'], antonio: ['tony'], francisco: ['paco', 'frank'], jose: ['pepe'], manuel: ['manny'], alejandro: ['alex'],
};
const NICK_BACK: Record<string, string[]> = {};
for (const [full, nicks] of Object.entries(NICKNAMES)) for (const n of nicks) (NICK_BACK[n] ??= []).push(full);

/** The usual other forms of a given name (lower case, no accents): its nicknames, or the names it is a nickname of. */
export function otherForms(given: string): string[] {
  return [...(NICKNAMES[given] ?? []), ...(NICK_BACK[given] ?? [])];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_OF: Record<string, number> = Object.fromEntries([...MONTHS.map((m, i) => [m, i + 1]), ...MONTHS.map((m, i) => [m.slice(0, 3), i + 1]), ['sept', 9]]);
const UNIT: Record<string, number> = { zero: 0, oh: 0, o: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TEEN: Record<string, number> = { ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 };
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORD: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13,
  fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

interface Reading {
  value: number;
  /** The token after the reading. */
  next: number;
  /** How many digits it was said or written with (a short year is two). */
  width: number;
}

/** Every way the words from `i` read as one number below 10000 (a day, a month, a year). */
function readings(t: readonly Token[], i: number): Reading[] {
  const out: Reading[] = [];
  const k = (j: number) => t[j]?.key ?? '';
  const w = k(i);
  const num = /^(\d{1,4})(?:st|nd|rd|th)?$/.exec(w);
  if (num) out.push({ value: Number(num[1]), next: i + 1, width: num[1]!.length });
  if (ORD[w] !== undefined) out.push({ value: ORD[w]!, next: i + 1, width: 2 });
  if (TEEN[w] !== undefined) out.push({ value: TEEN[w]!, next: i + 1, width: 2 });
  if (TENS[w] !== undefined) {
    out.push({ value: TENS[w]!, next: i + 1, width: 2 });
    const u = k(i + 1);
    if (UNIT[u] && u !== 'oh' && u !== 'o') out.push({ value: TENS[w]! + UNIT[u]!, next: i + 2, width: 2 });
    if (ORD[u] !== undefined && ORD[u]! < 10) out.push({ value: TENS[w]! + ORD[u]!, next: i + 2, width: 2 });
  }
  if (UNIT[w] !== undefined) {
    // Digit by digit ("oh three", "one nine six one"): up to four digits.
    let digits = '';
    let j = i;
    while (j < t.length && UNIT[k(j)] !== undefined && digits.length < 4) {
      digits += String(UNIT[k(j)]);
      j++;
      out.push({ value: Number(digits), next: j, width: digits.length });
    }
  }
  // A year said in two halves: "nineteen sixty one", "nineteen oh five", "twenty twenty", "nineteen hundred and five".
  const hi = TEEN[w] ?? (w === 'twenty' ? 20 : undefined);
  if (hi !== undefined) {
    let j = i + 1;
    if (k(j) === 'hundred') {
      j++;
      if (k(j) === 'and') j++;
      out.push({ value: hi * 100, next: i + 2, width: 4 });
    }
    for (const lo of readings2(t, j)) out.push({ value: hi * 100 + lo.value, next: lo.next, width: 4 });
  }
  if (w === 'two' && k(i + 1) === 'thousand') {
    out.push({ value: 2000, next: i + 2, width: 4 });
    const j = k(i + 2) === 'and' ? i + 3 : i + 2;
    for (const lo of readings2(t, j)) out.push({ value: 2000 + lo.value, next: lo.next, width: 4 });
  }
  return out;
}

/** The second half of a year: "sixty one", "oh five", "twelve" (0–99). */
function readings2(t: readonly Token[], j: number): Reading[] {
  const k = (n: number) => t[n]?.key ?? '';
  const w = k(j);
  const out: Reading[] = [];
  if (TEEN[w] !== undefined) out.push({ value: TEEN[w]!, next: j + 1, width: 2 });
  if (TENS[w] !== undefined) {
    out.push({ value: TENS[w]!, next: j + 1, width: 2 });
    if (UNIT[k(j + 1)] && k(j + 1) !== 'oh' && k(j + 1) !== 'o') out.push({ value: TENS[w]! + UNIT[k(j + 1)]!, next: j + 2, width: 2 });
  }
  if ((w === 'oh' || w === 'o' || w === 'zero') && UNIT[k(j + 1)] !== undefined) out.push({ value: UNIT[k(j + 1)]!, next: j + 2, width: 2 });
  return out;
}

interface Dob {
  y: number;
  m: number;
  d: number;
}

/** The token spans saying the date of birth, in any order and spelling of its parts. */
function dobSpans(t: readonly Token[], dob: Dob): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const k = (j: number) => t[j]?.key ?? '';
  const skip = (j: number, ...words: string[]) => (words.includes(k(j)) ? j + 1 : j);
  const yearAt = (j: number): number | null => {
    for (const r of readings(t, j)) if ((r.width >= 4 && r.value === dob.y) || (r.width === 2 && r.value === dob.y % 100)) return r.next;
    return null;
  };
  const monthAt = (j: number): { next: number; named: boolean } | null => {
    if (MONTH_OF[k(j)] === dob.m) return { next: j + 1, named: true };
    for (const r of readings(t, j)) if (r.value === dob.m && r.width <= 2) return { next: r.next, named: false };
    return null;
  };
  const dayAt = (j: number): number | null => {
    for (const r of readings(t, j)) if (r.value === dob.d && r.width <= 2) return r.next;
    return null;
  };
  for (let i = 0; i < t.length; i++) {
    const from = skip(i, 'the');
    // Month, day, year: "march (the) fourteenth (,) 1961", "3/14/61", "oh three one four sixty one".
    const m = monthAt(from);
    if (m) {
      const d = dayAt(skip(m.next, 'the'));
      if (d !== null) {
        const y = yearAt(skip(d, 'of'));
        if (y !== null) out.push([i, y - 1]);
        else if (m.named) out.push([i, d - 1]);
      }
    }
    // Day, month, year: "(the) fourteenth of march 1961", "14 March 1961".
    const d = dayAt(from);
    if (d !== null) {
      const m2 = monthAt(skip(d, 'of'));
      if (m2?.named) {
        const y = yearAt(m2.next);
        out.push([i, (y ?? m2.next) - 1]);
      }
    }
    // Year, month, day: "1961-03-14".
    const y = /^\d{4}$/.test(k(i)) && Number(k(i)) === dob.y ? i + 1 : null;
    if (y !== null) {
      const m3 = monthAt(y);
      const d3 = m3 && dayAt(m3.next);
      if (d3) out.push([i, d3 - 1]);
    }
  }
  return out;
}

/** The letters and digits the words say, each with the tokens it was said with; a run breaks at any other word. */
function alnumRuns(t: readonly Token[]): Array<{ chars: string; from: number[]; to: number[] }> {
  const runs: Array<{ chars: string; from: number[]; to: number[] }> = [];
  let cur = { chars: '', from: [] as number[], to: [] as number[] };
  const close = () => {
    if (cur.chars) runs.push(cur);
    cur = { chars: '', from: [], to: [] };
  };
  const add = (s: string, a: number, b = a) => {
    for (const c of s) {
      cur.chars += c;
      cur.from.push(a);
      cur.to.push(b);
    }
  };
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!.key;
    const n = t[i + 1]?.key ?? '';
    if ((w === 'double' || w === 'triple') && (UNIT[n] !== undefined || /^[a-z]$/.test(n))) {
      add((UNIT[n] !== undefined ? String(UNIT[n]) : n).repeat(w === 'double' ? 2 : 3), i, i + 1);
      i++;
    } else if (w === 'as' && n === 'in' && cur.chars && i + 2 < t.length) {
      // "j as in june": the letter was said already.
      cur.to[cur.to.length - 1] = i + 2;
      i += 2;
    } else if (TENS[w] !== undefined && UNIT[n] && n !== 'oh' && n !== 'o') {
      add(String(TENS[w]! + UNIT[n]!), i, i + 1);
      i++;
    } else if (TENS[w] !== undefined) add(String(TENS[w]), i);
    else if (TEEN[w] !== undefined) add(String(TEEN[w]), i);
    else if (UNIT[w] !== undefined) add(String(UNIT[w]), i);
    else if (/^[a-z0-9]+$/.test(w) && (w.length === 1 || /\d/.test(w))) add(w, i);
    else if (w === 'dash' || w === 'hyphen' || w === 'uh' || w === 'um') continue;
    else close();
  }
  close();
  return runs;
}

const STREET: Record<string, string> = { st: 'street', ave: 'avenue', av: 'avenue', rd: 'road', dr: 'drive', ln: 'lane', blvd: 'boulevard', ct: 'court', pl: 'place', apt: 'apartment', hwy: 'highway', pkwy: 'parkway', ter: 'terrace', cir: 'circle', n: 'north', s: 'south', e: 'east', w: 'west' };
const canon = (w: string) => STREET[w] ?? w;
const letters = (w: string) => w.replace(/\d+/g, '');
/** Words said between the words of an e-mail address: its punctuation, and digits read out. */
const CONNECTORS = new Set(['dot', 'at', 'underscore', 'dash', 'hyphen', 'period', ...Object.keys(UNIT), ...Object.keys(TEEN), ...Object.keys(TENS)]);
/** Where the street ends and the unit begins (said in many ways: only the street is matched). */
const UNIT_MARK = new Set(['apartment', 'unit', 'suite', 'ste', 'number', 'no', 'floor', 'fl', 'room', 'rm', 'bldg', 'building']);

/** Words (as keys) after which an English-word nickname names the one spoken of or to ("hi bill", "this is pat"). */
const NICK_BEFORE = new Set(['hi', 'hello', 'hey', 'thanks', 'bye', 'goodbye', 'dear', 'im', 'is', 'its', 'me', 'named', 'mr', 'mrs', 'ms', 'mister', 'missus', 'miss', 'dr', 'doctor', 'nurse', 'for', 'by']);
/** Of NICK_BEFORE, the ones that need a word before them too: "this is", "name is", "call me", "ask for", "goes by". */
const NICK_BEFORE_PAIR: Record<string, Set<string>> = {
  is: new Set(['this', 'name', 'it', 'that', 'here']), me: new Set(['call']), for: new Set(['ask', 'asking', 'calling', 'looking']), by: new Set(['goes', 'go', 'went']),
};
const NICK_AFTER = new Set(['speaking', 'here']);

export class PatientForms {
  private readonly names = new Set<string>();
  /** Nicknames of the given name that are English words: names only in a name's context. */
  private readonly wordNicks = new Set<string>();
  private readonly spelled: string[] = [];
  private readonly dob: Dob | null = null;
  private readonly codes: Array<{ cls: string; chars: string }> = [];
  private readonly sequences: Array<{ cls: string; words: string[]; connectors: boolean }> = [];

  constructor(patient: PatientFields) {
    const g = gazetteer();
    for (const field of ['givenName', 'familyName'] as const) {
      const v = patient[field]?.trim();
      if (!v) continue;
      for (const part of v.split(/[\s-]+/)) {
        const key = keyOf(part);
        if (key.length >= 2) this.names.add(key);
        if (key.length >= 3) this.spelled.push(key);
        for (const sub of fold(part).split(/['’]/)) {
          if (sub.length < 3 || sub === key) continue;
          this.names.add(sub);
          this.spelled.push(sub);
        }
        if (field === 'givenName') {
          for (const nick of otherForms(key)) (!g.dictionary.has(nick) && !g.commonWords.has(nick) ? this.names : this.wordNicks).add(nick);
        }
      }
    }
    const dob = /^(\d{4})-(\d{2})-(\d{2})$/.exec(patient.dateOfBirth?.trim() ?? '');
    if (dob) this.dob = { y: Number(dob[1]), m: Number(dob[2]), d: Number(dob[3]) };
    const code = (cls: string, v: string | null | undefined, ...tails: number[]) => {
      const chars = fold(v ?? '').replace(/^\+1(?=\d{10}$)/, '').replace(/[^a-z0-9]/g, '');
      if (chars.length >= 3) this.codes.push({ cls, chars });
      for (const n of tails) if (chars.length > n) this.codes.push({ cls, chars: chars.slice(-n) });
    };
    code('PHONE', patient.phone?.replace(/^\+1/, ''), 7);
    code('SSN', patient.ssn, 4);
    code('LOCATION', patient.zip);
    code('MRN', patient.mrn);
    code('MEMBER_ID', patient.memberNumber);
    const seq = (cls: string, v: string | null | undefined, connectors = false) => {
      const all = [...fold(v ?? '').replace(/#.*$/, '').matchAll(WORD)].map((m) => canon(keyOf(m[0])));
      const cut = all.findIndex((w) => UNIT_MARK.has(w));
      // Letters only: digits are said in too many ways ("72", "seventy two"); they are connectors below.
      const words = (cut < 0 ? all : all.slice(0, cut)).map(letters).filter((w) => w.length > 1);
      if (words.length && words.join('').length >= 3) this.sequences.push({ cls, words, connectors });
    };
    seq('EMAIL', patient.email, true);
    seq('ADDRESS', patient.addressLine);
    seq('LOCATION', patient.city);
  }

  /** Whether a word (as said) is one of the patient's names or nicknames. */
  isName(word: string): boolean {
    return this.names.has(keyOf(word));
  }

  /** Spans of `text` that say a value of the patient's record. */
  spans(text: string): FieldSpan[] {
    const t = tokenize(text);
    const out: FieldSpan[] = [];
    const span = (a: number, b: number, cls: string) => out.push({ start: t[a]!.start, end: t[b]!.end, cls });
    for (let i = 0; i < t.length; i++) {
      const key = t[i]!.key;
      if (this.names.has(key)) span(i, i, 'PATIENT');
      else if (this.wordNicks.has(key)) {
        const before = t[i - 1];
        // "it's" keys as "it" (its "'s" cut as a possessive's).
        const prev = before && /^it['’]?s$/i.test(text.slice(before.start, before.end)) ? 'its' : (before?.key ?? '');
        const pair = NICK_BEFORE_PAIR[prev];
        const cued = NICK_BEFORE.has(prev) && (!pair || pair.has(t[i - 2]?.key ?? ''));
        if (cued || this.names.has(t[i + 1]?.key ?? '') || NICK_AFTER.has(t[i + 1]?.key ?? '')) span(i, i, 'PATIENT');
      }
    }
    if (this.dob) for (const [a, b] of dobSpans(t, this.dob)) span(a, b, 'DATE');
    if (this.spelled.length || this.codes.length) {
      for (const run of alnumRuns(t)) {
        if (run.chars.length < 3) continue;
        // A name spelled out: the run's letters hold it.
        for (const name of this.spelled) if (run.chars.includes(name)) span(run.from[0]!, run.to.at(-1)!, 'PATIENT');
        // A value, or its tail (a phone's last seven, an SSN's last four) where the whole was not said.
        const found: Array<[number, number]> = [];
        for (const { cls, chars } of this.codes) {
          for (let at = run.chars.indexOf(chars); at >= 0; at = run.chars.indexOf(chars, at + 1)) {
            const end = at + chars.length;
            if (found.some(([a, b]) => a <= at && end <= b)) continue;
            found.push([at, end]);
            span(run.from[at]!, run.to[end - 1]!, cls);
          }
        }
      }
    }
    for (const { cls, words, connectors } of this.sequences) {
      for (let i = 0; i < t.length; i++) {
        let j = i;
        let n = 0;
        while (n < words.length && j < t.length) {
          const w = letters(canon(t[j]!.key));
          if (w === words[n]) {
            n++;
            j++;
          } else if (connectors && n > 0 && (CONNECTORS.has(t[j]!.key) || w === '')) j++;
          else break;
        }
        if (n === words.length) span(i, j - 1, cls);
      }
    }
    return out;
  }
}
