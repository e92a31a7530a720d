/**
 * `npm run data:calls-c` (R-DATA-2): writes server/src/modules/redaction/data/call-center-c.jsonl, a
 * set of spoken call-center utterances and whole calls between an agent (a person, or an AI voice agent
 * whose lines are the model's own written text) and a patient, member or caller who speaks for one, as
 * speech recognisers write them. It was written apart from the engine's rules and lexicons and from the
 * other sets' generators (make-redaction-dev-sets.ts's call forms, the demo module's scripts), to
 * measure the engine on calls it was not written against (issue 30: held-out call-center speech).
 * Deterministic: the same seed writes the same bytes; formats and labels as
 * ../shared/data/phi/README.md; the lockbox split is the same hash of the id (`isLockbox`).
 *
 * Styles: most text in lower case without punctuation, numbers in words ("four one five", "forty one
 * fifteen", "double seven", "oh"), letters spelled ("m a r i s o l", "k as in kite", "double l"),
 * fillers and restarts ("um", "i i", "let me see"), corrections ("no sorry it's …"), read-backs;
 * some transcripts formatted by the recogniser (digits, "3/12/58", "@"), and AI agents' lines in
 * sentence case with written numbers ("(415) 555-0134", "March 12, 1958"). Whole calls come with
 * several speaker labels ("rep:", "spk_0:", "[caller]", "A:", none at all), some with timestamps, and as
 * one run-on line.
 *
 * Labels (scored): NAME (callers, patients, relatives, clinicians, agents), DATE (birth, service,
 * admission, appointment dates), AGE (over 89; 89 or under `"scored": false`), PHONE, FAX, EMAIL, SSN
 * (whole or last four), MRN, HEALTH_PLAN (member, subscriber, group, policy, Medicare and Medicaid
 * numbers), ACCOUNT (account, card and bank numbers), LICENSE (driver's and professional licences),
 * VEHICLE (plates), DEVICE (serial numbers), URL, IP, ADDRESS (street, house number, unit), LOCATION
 * (towns, ZIP codes, facilities, named pharmacies and a pharmacy branch's street), ID (claim,
 * reference, prior authorisation, prescription and case numbers, NPI). Not scored: the call centre's
 * own organisation, insurers and pharmacy chains (ORGANIZATION), states, times of day, the centre's own
 * toll-free number and the card security code. Carrying no span, so that masking them counts against
 * precision: drugs, doses, amounts of money, vitals, durations, weekdays, years alone, menu options,
 * conditions named after people ("parkinson's", "bell's palsy"), the letters of a spelling aid's word
 * when no name is spelled.
 *
 * Surrogates only: every name, number, street and facility was made up here or drawn at random; no
 * real person, record or account. Licence: CC0-1.0 (written by the project).
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(7301);
const { pick, chance, int, digits, some } = draws(rnd);

// --- people -----------------------------------------------------------------------------------------

const GIVEN = ['mildred', 'eugene', 'doris', 'bernice', 'clarence', 'harold', 'gladys', 'wilbur', 'lorraine', 'marvin', 'delores', 'earl', 'norma', 'floyd', 'roberta', 'glenda', 'lyle', 'myrtle', 'marisol', 'guadalupe', 'refugio', 'xochitl', 'esperanza', 'yesenia', 'heriberto', 'eduardo', 'araceli', 'rigoberto', 'itzel', 'osvaldo', 'mustafa', 'rania', 'tariq', 'nour', 'hossein', 'farida', 'walid', 'deepika', 'rakesh', 'sunita', 'arvind', 'pooja', 'manpreet', 'nirmala', 'thuy', 'phuong', 'bao', 'takeshi', 'jiho', 'yuna', 'duc', 'obinna', 'amara', 'kofi', 'kwabena', 'wanjiku', 'tendai', 'fatoumata', 'mamadou', 'ousmane', 'svetlana', 'yaroslav', 'miroslav', 'bozena', 'grzegorz', 'ludmila', 'vasile', 'tyrone', 'latoya', 'deshawn', 'keisha', 'jamal', 'brittany', 'kayla', 'cody', 'tanner', 'brenda', 'gary', 'debbie', 'randy', 'sheila', 'wayne', 'connie', 'dwight'];
/** Given names that are also words. */
const WORD_GIVEN = ['dusty', 'misty', 'crystal', 'brandy', 'candy', 'rocky', 'jewel', 'pearl', 'opal', 'violet', 'daisy', 'heather', 'holly', 'robin', 'jay', 'bob', 'carol', 'marina', 'mercedes', 'precious', 'forrest', 'rowan', 'colt', 'trinity', 'genesis', 'major', 'wade', 'chance', 'buck', 'bud', 'skip', 'patience', 'charity', 'august', 'rich', 'ginger', 'mae'];
const FAMILY = ['okonkwo', 'adebayo', 'nwachukwu', 'owusu', 'diallo', 'traore', 'mwangi', 'oyelaran', 'castaneda', 'villanueva', 'zamora', 'quintero', 'arellano', 'ochoa', 'benavides', 'saucedo', 'haddadin', 'farahani', 'karimi', 'nair', 'menon', 'bhattacharya', 'gill', 'dhillon', 'truong', 'huynh', 'chau', 'yamamoto', 'sato', 'jeong', 'wozniak', 'lewandowski', 'dvorak', 'novotny', 'popescu', 'ionescu', 'petrenko', 'shevchenko', 'mcallister', 'gallagher', 'fitzpatrick', 'thibodeaux', 'broussard', 'landry', 'hebert', 'benally', 'tsinajinnie', 'whitfield', 'pemberton', 'ashworth', 'holloway', 'kessler', 'lindqvist', 'van der berg', 'de la cruz', 'oconnor', 'mcgee', 'schwartz', 'jankowski', 'espinoza', 'robinson', 'jefferson', 'washburn', 'pruitt', 'tillman'];
/** Family names that are also words. */
const WORD_FAMILY = ['fisher', 'hunt', 'glass', 'walker', 'waters', 'moss', 'pope', 'knight', 'bishop', 'sweet', 'small', 'good', 'best', 'hale', 'cash', 'gates', 'ball', 'shepherd', 'steel', 'chambers', 'hardy', 'noble', 'house', 'park', 'frye', 'booth', 'cotton', 'salmon', 'coward', 'pickens', 'starr', 'lovely', 'goodnight', 'christmas', 'mays'];
const SYL = ['zu', 'mek', 'ora', 'vash', 'tel', 'ibo', 'qen', 'lur', 'aki', 'sor', 'pell', 'dra', 'uvi', 'nes', 'ko', 'bra', 'yel', 'tam'];
const invented = () => Array.from({ length: chance(0.6) ? 2 : 3 }, () => pick(SYL)).join('');
function given(): string {
  const r = rnd();
  return r < 0.66 ? pick(GIVEN) : r < 0.88 ? pick(WORD_GIVEN) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.62 ? pick(FAMILY) : r < 0.86 ? pick(WORD_FAMILY) : chance(0.5) ? invented() : `${pick(FAMILY)} ${pick(FAMILY)}`;
}
interface Person { g: string; f: string }
const person = (): Person => ({ g: given(), f: family() });
const cap = (s: string) => s.replace(/(^|[ -])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
const RELATIVES = ['my wife', 'my husband', 'my mother', 'my mom', 'my dad', 'my father', 'my son', 'my daughter', 'my grandson', 'my granddaughter', 'my sister', 'my brother', 'my aunt', 'my uncle', 'my stepdad', 'my mother in law', 'my fiance', 'my caregiver', 'her daughter', 'his son', 'my neighbor'];
const AGENT_NAMES = ['rosalind', 'devon', 'kaylee', 'marcus', 'trish', 'anand', 'lucia', 'brody', 'simone', 'hector', 'imani', 'reggie', 'noor', 'colleen'];

// --- organisations and places (the centre's own and insurers are neutral) -----------------------------

const CENTRES = ['northgate health partners', 'pinecrest medical group', 'summit valley health', 'alder care pharmacy services', 'beacon orthopedics', 'clearwater family dental', 'tri county home health', 'bluestem behavioral health', 'keystone vision center', 'harbor point imaging', 'meridian specialty pharmacy', 'oakridge cardiology associates'];
const INSURERS = ['blue cross', 'blue shield', 'aetna', 'humana', 'cigna', 'united healthcare', 'kaiser', 'molina', 'ambetter', 'tricare', 'wellcare', 'oscar'];
const CHAINS = ['walgreens', 'cvs', 'rite aid', 'walmart', 'costco', 'kroger', 'publix', 'safeway', 'heb', 'meijer'];
const FACILITY_FORMS: Array<() => string> = [
  () => `saint ${pick(['brigid', 'casimir', 'hedwig', 'ignatius', 'clare', 'bernadette', 'jude'])}'s${chance(0.5) ? ' hospital' : ''}`,
  () => `${pick(['mercy ridge', 'pell ridge', 'lakemont', 'north valley', 'brookhaven', 'eastgate', 'cold spring', 'copper canyon', 'wexford', 'tamarack'])} ${pick(['hospital', 'medical center', 'urgent care', 'dialysis', 'rehab', 'cancer center', 'surgery center', 'imaging', 'behavioral health'])}`,
  () => `${pick(FAMILY)} ${pick(['memorial', 'regional', 'community'])} ${pick(['hospital', 'medical center'])}`,
  () => `the ${pick(['elkhorn', 'yakima', 'bemidji', 'dothan', 'moline'])} ${pick(['va', 'clinic', 'infusion center', 'wound clinic'])}`,
];
const facility = () => pick(FACILITY_FORMS)();
const INDEPENDENT_PHARMACIES = () => `${pick(['dunmore', 'hillcrest', 'kessler', 'ridgeview', 'oak street', 'medicine shoppe of kanab', 'twin rivers', 'pruitt'])} ${pick(['family pharmacy', 'drug', 'apothecary', 'pharmacy'])}`;
const TOWNS = ['elkhorn', 'bastrop', 'new iberia', 'cheektowaga', 'pflugerville', 'wahiawa', 'kannapolis', 'tewksbury', 'ypsilanti', 'chillicothe', 'natchitoches', 'opelousas', 'bemidji', 'tonawanda', 'paramus', 'yakima', 'kalispell', 'moline', 'dothan', 'altoona', 'hurricane', 'truth or consequences', 'bountiful', 'ashtabula', 'pocatello', 'walla walla', 'la crosse', 'coeur d alene'];
const STATES = ['illinois', 'texas', 'louisiana', 'new york', 'north carolina', 'michigan', 'ohio', 'minnesota', 'washington', 'montana', 'alabama', 'pennsylvania', 'utah', 'idaho', 'wisconsin'];
const STREET_NAMES = ['sycamore', 'hollis', 'kettering', 'old mill', 'magnolia', 'juniper', 'tamarack', 'buckeye', 'pecan', 'harbor view', 'wexford', 'saint claire', 'martin luther king junior', 'ridgeline', 'quail run', 'fox hollow', 'stagecoach', 'chisholm trail', 'county road nineteen', 'sunset', 'prairie wind', 'bluebonnet', 'cottonwood', 'edgewater'];
const STREET_TYPES = ['street', 'avenue', 'boulevard', 'terrace', 'circle', 'parkway', 'trail', 'place', 'pike', 'loop', 'court', 'drive', 'road', 'lane', 'way', 'highway'];

// --- numbers in words ---------------------------------------------------------------------------------

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** 0-99 as a number is said ("oh five" for 05 when `lead` is set). */
function two(n: number, lead = false): string {
  if (n < 10) return lead ? `oh ${ONES[n]}` : ONES[n]!;
  if (n < 20) return TEENS[n - 10]!;
  return n % 10 === 0 ? TENS[n / 10]! : `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}`;
}
/** Digits one by one: "oh" or "zero", "double"/"triple" now and then. */
function oneByOne(ds: string): string {
  const out: string[] = [];
  for (let k = 0; k < ds.length; k++) {
    const d = Number(ds[k]);
    if (ds[k + 1] === ds[k] && ds[k + 2] === ds[k] && chance(0.5)) {
      out.push(`triple ${ONES[d]}`);
      k += 2;
    } else if (ds[k + 1] === ds[k] && chance(0.4)) {
      out.push(`double ${d === 0 && chance(0.5) ? 'oh' : ONES[d]}`);
      k++;
    } else out.push(d === 0 && chance(0.6) ? 'oh' : ONES[d]!);
  }
  return out.join(' ');
}
/** A group of digits as people say it: one by one, in pairs ("forty one fifteen") or as hundreds. */
function group(ds: string): string {
  const r = rnd();
  if (ds.length === 4 && r < 0.3) {
    const a = Number(ds.slice(0, 2));
    const b = Number(ds.slice(2));
    if (a >= 10 && b === 0) return `${two(a)} hundred`;
    if (a >= 10) return `${two(a)} ${two(b, true)}`;
  }
  if (ds.length === 3 && r < 0.25 && ds[0] !== '0') {
    const b = Number(ds.slice(1));
    return b === 0 ? `${ONES[Number(ds[0])]} hundred` : `${ONES[Number(ds[0])]} ${two(b, true)}`;
  }
  if (ds.length === 2 && r < 0.3 && ds[0] !== '0') return two(Number(ds));
  return oneByOne(ds);
}
const FILLERS = ['um', 'uh', 'uh', 'um', 'let me see', 'hold on', 'okay', 'you know', 'hmm'];
/** A digit string said in groups, fillers now and then between the groups. */
function sayGroups(groups: string[], pFill = 0.12): string {
  return groups.map((g, k) => (k > 0 && chance(pFill) ? `${pick(FILLERS)} ` : '') + group(g)).join(' ');
}
const LETTER_WORDS: Record<string, string[]> = { a: ['apple', 'adam', 'alpha'], b: ['boy', 'bravo', 'baker'], c: ['cat', 'charlie'], d: ['dog', 'david', 'delta'], e: ['edward', 'echo', 'egg'], f: ['frank', 'fox', 'foxtrot'], g: ['george', 'golf'], h: ['henry', 'hotel'], i: ['ice', 'india', 'ida'], j: ['john', 'juliet'], k: ['kite', 'king', 'kilo'], l: ['lima', 'larry', 'lincoln'], m: ['mary', 'mike', 'mother'], n: ['nancy', 'november', 'nora'], o: ['ocean', 'oscar'], p: ['paul', 'peter', 'papa'], q: ['queen', 'quebec'], r: ['robert', 'romeo'], s: ['sam', 'sugar', 'sierra'], t: ['tom', 'tango'], u: ['uniform', 'umbrella'], v: ['victor', 'victory'], w: ['william', 'whiskey'], x: ['x ray'], y: ['yellow', 'yankee'], z: ['zebra', 'zulu'] };
/** Letters spelled: "m a r i", "double l", "k as in kite" now and then. */
function spell(word: string, pAsIn = 0.15): string {
  const out: string[] = [];
  const w = word.replace(/[^a-z]/g, '');
  for (let k = 0; k < w.length; k++) {
    const c = w[k]!;
    if (w[k + 1] === c && chance(0.5)) {
      out.push(`double ${c}`);
      k++;
    } else if (chance(pAsIn)) out.push(`${c} ${pick(['as in', 'like', 'for'])} ${pick(LETTER_WORDS[c] ?? [c])}`);
    else out.push(c);
  }
  return out.join(' ');
}
const LETTERS = 'abcdefghjklmnprstwxyz';
const letters = (n: number) => Array.from({ length: n }, () => pick([...LETTERS])).join('');
/** An identifier of letters and digits said aloud: letters spelled, digit groups said. */
function sayAlnum(code: string): string {
  return code.split(/(\d+)/).filter(Boolean).map((p) => (/\d/.test(p) ? sayGroups(p.length > 4 ? p.match(/\d{1,3}/g)! : [p], 0.05) : spell(p, 0.2))).join(' ');
}

// --- identifiers: values, spoken and written --------------------------------------------------------

/** How a document's recogniser writes numbers: in words, or formatted with digits. */
type Numbers = 'words' | 'digits';
let numbers: Numbers = 'words';
const phoneDigits = () => `${int(2, 9)}${digits(2)}${int(2, 9)}${digits(2)}${digits(4)}`;
function sayPhone(ds: string): string {
  if (numbers === 'digits') return pick([`${ds.slice(0, 3)} ${ds.slice(3, 6)} ${ds.slice(6)}`, `${ds.slice(0, 3)}-${ds.slice(3, 6)}-${ds.slice(6)}`, `(${ds.slice(0, 3)}) ${ds.slice(3, 6)}-${ds.slice(6)}`]);
  return sayGroups([ds.slice(0, 3), ds.slice(3, 6), ds.slice(6)]);
}
const writePhone = (ds: string) => pick([`(${ds.slice(0, 3)}) ${ds.slice(3, 6)}-${ds.slice(6)}`, `${ds.slice(0, 3)}-${ds.slice(3, 6)}-${ds.slice(6)}`]);
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ORD = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth'];
const ordinal = (d: number) => (d <= 20 ? ORD[d]! : d === 30 ? 'thirtieth' : d < 30 ? `twenty ${ORD[d - 20]}` : `thirty ${ORD[d - 30]}`);
interface Ymd { y: number; m: number; d: number }
const birth = (): Ymd => ({ y: int(1924, 2009), m: int(1, 12), d: int(1, 28) });
const recent = (): Ymd => ({ y: int(2025, 2027), m: int(1, 12), d: int(1, 30) });
function sayYear(y: number, short = chance(0.3)): string {
  if (y >= 2000) return y === 2000 ? 'two thousand' : chance(0.5) ? `two thousand ${chance(0.3) ? 'and ' : ''}${two(y - 2000)}` : `twenty ${two(y - 2000, true)}`;
  return short ? two(y - 1900, true) : `nineteen ${two(y - 1900, true)}`;
}
const pad = (n: number) => String(n).padStart(2, '0');
/** A date of birth as a caller says it. */
function sayDob(t: Ymd): string {
  if (numbers === 'digits') return pick([`${t.m}/${t.d}/${t.y}`, `${MONTHS[t.m - 1]} ${t.d}${suffix(t.d)} ${t.y}`, `${pad(t.m)} ${pad(t.d)} ${t.y}`, `${t.m} ${t.d} ${String(t.y).slice(2)}`]);
  const mo = MONTHS[t.m - 1]!;
  return pick([
    () => `${mo} ${ordinal(t.d)} ${sayYear(t.y)}`,
    () => `${two(t.m)} ${two(t.d)} ${sayYear(t.y, true)}`,
    () => oneByOne(`${pad(t.m)}${pad(t.d)}${t.y}`),
    () => `the ${ordinal(t.d)} of ${mo} ${sayYear(t.y)}`,
    () => `${mo} ${two(t.d)} ${sayYear(t.y)}`,
    () => `${mo} ${oneByOne(pad(t.d))} ${oneByOne(String(t.y))}`,
    () => `${two(t.m)} slash ${two(t.d)} slash ${sayYear(t.y, true)}`,
    () => `${mo} the ${ordinal(t.d)} ${sayYear(t.y)}`,
  ])();
}
const suffix = (d: number) => (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');
const writeDob = (t: Ymd) => pick([`${cap(MONTHS[t.m - 1]!)} ${t.d}, ${t.y}`, `${pad(t.m)}/${pad(t.d)}/${t.y}`, `${cap(MONTHS[t.m - 1]!)} ${t.d}${suffix(t.d)}, ${t.y}`]);
/** A recent date (service, admission, appointment) said without its year or with it. */
function sayRecent(t: Ymd): string {
  if (numbers === 'digits') return pick([`${MONTHS[t.m - 1]} ${t.d}${suffix(t.d)}`, `${t.m}/${t.d}`]);
  return pick([`${MONTHS[t.m - 1]} ${ordinal(t.d)}`, `the ${ordinal(t.d)} of ${MONTHS[t.m - 1]}`, `${MONTHS[t.m - 1]} ${two(t.d)}`, `${MONTHS[t.m - 1]} ${ordinal(t.d)} ${sayYear(t.y)}`]);
}
function sayDigitsOf(ds: string, groupsOf = 3): string {
  if (numbers === 'digits') return chance(0.5) ? ds : ds.match(new RegExp(`\\d{1,${groupsOf}}`, 'g'))!.join(' ');
  return sayGroups(ds.match(new RegExp(`\\d{1,${groupsOf}}`, 'g'))!, 0.08);
}
function sayCode(code: string): string {
  return numbers === 'digits' ? code.toUpperCase().split(/(\d+)/).filter(Boolean).map((p) => (/\d/.test(p) ? p : p.split('').join(' '))).join(' ') : sayAlnum(code);
}
const DOMAINS = ['gmail dot com', 'yahoo dot com', 'a t t dot net', 'comcast dot net', 'icloud dot com', 'hotmail dot com', 'outlook dot com', 'protonmail dot com', 'msn dot com', 's b c global dot net', 'earthlink dot net', 'verizon dot net', 'charter dot net', 'cox dot net', 'aol dot com'];
function sayEmail(p: Person): string {
  const n = () => (chance(0.5) ? two(int(10, 99)) : oneByOne(digits(int(1, 4))));
  const g = p.g.replace(/ /g, '');
  const f = p.f.replace(/ /g, '');
  const local = pick([
    () => `${g} dot ${f}`,
    () => `${g} underscore ${f} ${n()}`,
    () => `${g[0]} ${f} ${n()}`,
    () => `${f} ${g[0]}`,
    () => `${g} ${n()}`,
    () => `${g} dash ${f}`,
    () => `${spell(g.slice(0, int(3, 5)), 0)} ${f}`,
    () => `${pick(['grandma', 'nana', 'papa', 'sunny', 'lucky', 'gator', 'rosebud', 'cowboy'])} ${g} ${n()}`,
  ])();
  if (numbers === 'digits') return `${local.replace(/ dot /g, '.').replace(/ underscore /g, '_').replace(/ dash /g, '-').replace(/ /g, '')}@${pick(['gmail.com', 'yahoo.com', 'att.net', 'icloud.com', 'hotmail.com'])}`;
  return `${local} at ${pick(DOMAINS)}`;
}
const ssnDigits = () => `${pick(['1', '2', '3', '4', '5', '6', '7'])}${digits(2)}${int(10, 99)}${int(1000, 9999)}`;
const memberId = () => pick([() => `${letters(3)}${digits(9)}`, () => `${letters(1)}${digits(8)}`, () => digits(int(9, 11)), () => `${int(1, 9)}${letters(2)}${int(1, 9)}${letters(2)}${int(1, 9)}${letters(2)}${digits(2)}`])();
function cardDigits(): string {
  const lead = pick(['4', '5', '37', '6011']);
  return lead + digits(16 - lead.length);
}

// --- talk: fillers, restarts, punctuation ------------------------------------------------------------

/** Plain words said by a person: fillers and restarts now and then. */
function talk(s: string, pFill = 0.04): string {
  const w = s.split(' ');
  const out: string[] = [];
  for (let k = 0; k < w.length; k++) {
    if (k > 0 && chance(pFill)) out.push(pick(FILLERS));
    out.push(w[k]!);
    if (k === 0 && w.length > 2 && chance(0.05)) out.push(w[k]!);
  }
  return out.join(' ');
}
type Turn = { who: 'agent' | 'caller'; pieces: Piece[] };
/** A turn's pieces: strings are talk, arrays are labelled. Spaces between pieces are added here. */
function turn(who: Turn['who'], ...parts: Array<string | Piece>): Turn {
  const pieces: Piece[] = [];
  for (const p of parts) {
    if (p === '') continue;
    if (pieces.length > 0) pieces.push(' ');
    pieces.push(typeof p === 'string' ? talk(p) : p);
  }
  return { who, pieces };
}
const N = (s: string): Piece => ['NAME', s];
const L = (s: string): Piece => ['LOCATION', s];
const D = (s: string): Piece => ['DATE', s];
const O = (s: string): Piece => ['ORGANIZATION', s];
const neutral = (label: string, s: string): Piece => [label, s, false];
/** A facility as said, the article before its name outside the span ("at the dothan va"). */
function facilityParts(): Array<string | Piece> {
  const f = facility();
  return f.startsWith('the ') ? ['the', L(f.slice(4))] : [L(f)];
}
const age = (n: number, s: string): Piece => (n > 89 ? ['AGE', s] : ['AGE', s, false]);
const TIMES = ['nine fifteen', 'ten thirty', 'two forty five', 'eight a m', 'one o clock', 'three in the afternoon', 'noon', 'eleven', 'four thirty'];
const time = (): Piece => neutral('DATE', pick(TIMES));

// --- scenes: the pieces of a call ------------------------------------------------------------------

interface Call { p: Person; agent: string; centre: string; ai: boolean; dob: Ymd; phone: string; rel?: { word: string; p: Person } }
const full = (p: Person) => `${p.g} ${p.f}`;
const A = (c: Call, human: string, ai?: string): Turn => (c.ai && ai ? { who: 'agent', pieces: [ai] } : turn('agent', human));

function opening(c: Call): Turn[] {
  const org = O(c.ai ? cap(c.centre) : c.centre);
  if (c.ai) {
    return [
      { who: 'agent', pieces: [pick(['Thank you for calling ', 'Hi, you have reached ', 'Hello and welcome to ']), org, ...pick<Piece[]>([['. I\'m an automated assistant. '], ['. I\'m ', neutral('NAME', 'Ava'), ', a virtual assistant. '], ['. This call may be recorded. ']]), 'How can I help you today?'] },
      openingCaller(c),
      { who: 'agent', pieces: [pick(['I can help with that. ', 'Sure. ', 'Okay. ']), pick(['Can I get the patient\'s full name?', 'First, may I have your first and last name?', 'To get started, please tell me your full name.'])] },
    ];
  }
  return [
    turn('agent', pick(['thank you for calling', 'good morning', 'good afternoon thanks for calling', 'hi thanks for calling']), org, pick(['this is', 'my name is', 'you are speaking with', '']), N(c.agent), pick(['how may i help you', 'how can i help', 'what can i do for you today', 'how can i assist you'])),
    openingCaller(c),
  ];
}
function openingCaller(c: Call): Turn {
  const why = pick(['i need to refill my prescription', 'i got a bill i don\'t understand', 'i need to reschedule an appointment', 'i\'m calling about a claim that was denied', 'i need my records sent to a new doctor', 'my cpap machine stopped working', 'i need to update my address', 'i want to check on my lab results', 'i need a ride to my dialysis', 'i was told to call about a prior authorization']);
  if (c.rel) return turn('caller', pick(['hi', 'yeah hi', 'hello']), pick(['i\'m calling for', 'this is about', 'i\'m calling on behalf of']), c.rel.word, N(full(c.rel.p)), why.replace(/\bmy\b/, 'her'));
  return pick([
    () => turn('caller', pick(['hi', 'yes hi', 'hello', 'hey there']), pick(['my name is', 'this is', 'it\'s']), N(full(c.p)), why),
    () => turn('caller', pick(['yeah', 'hi']), why),
    () => turn('caller', `${why} this is`, N(c.p.g), pick(['speaking', ''])),
  ])();
}
function nameCheck(c: Call): Turn[] {
  const t: Turn[] = [];
  if (!c.ai) t.push(turn('agent', pick(['can i get your first and last name', 'and who am i speaking with', 'can i have the patient\'s full name please', 'what is the patient\'s name'])));
  const who = c.rel ? c.rel.p : c.p;
  t.push(pick([
    () => turn('caller', pick(['it\'s', 'yeah it\'s', 'sure', '']), N(full(who))),
    () => turn('caller', N(who.g), N(spell(who.g, 0.1)), pick(['and the last name is', 'last name']), N(who.f)),
    () => turn('caller', 'first name', N(who.g), 'last name', N(who.f), pick(['that\'s', 'spelled']), N(spell(who.f))),
    () => turn('caller', N(`${who.f} ${who.g}`), pick(['no sorry', 'wait i mean']), N(full(who)), pick(['first name first', ''])),
  ])());
  if (chance(0.5)) {
    t.push(A(c, pick(['can you spell the last name for me', 'how do you spell that', 'and is that last name', 'could you spell that']), 'Could you spell the last name for me?'));
    t.push(turn('caller', pick(['sure', 'yeah', 'it\'s', '']), N(spell(who.f, 0.25))));
  }
  return t;
}
function dobCheck(c: Call): Turn[] {
  const t = [A(c, pick(['and the date of birth', 'can you verify the date of birth', 'what\'s your birthday', 'and date of birth on the account']), 'Thank you. What is the date of birth?')];
  if (chance(0.15)) {
    const wrong: Ymd = { ...c.dob, d: c.dob.d + 1 };
    t.push(turn('caller', D(sayDob(wrong)), pick(['no sorry', 'wait no', 'no no i mean', 'sorry that\'s wrong it\'s']), D(sayDob(c.dob))));
  } else t.push(turn('caller', pick(['it\'s', 'sure', 'yeah', '']), D(sayDob(c.dob))));
  if (c.ai) t.push({ who: 'agent', pieces: ['I have ', D(writeDob(c.dob)), '. Is that correct?'] }, turn('caller', pick(['yes', 'yep', 'that\'s right', 'correct'])));
  else if (chance(0.3)) t.push(turn('agent', 'so that\'s', D(sayDob(c.dob)), 'correct'), turn('caller', pick(['yes', 'mhm', 'yep'])));
  return t;
}
function phoneCheck(c: Call): Turn[] {
  const t = [A(c, pick(['what\'s the best callback number', 'is there a good phone number for you', 'can i get a phone number', 'what number should we call']), 'What is the best phone number to reach you?')];
  const r = rnd();
  if (r < 0.15) {
    const alt = phoneDigits();
    t.push(turn('caller', pick(['it\'s', '']), ['PHONE', sayPhone(alt).split(' ').slice(0, 3).join(' ')], pick(['no sorry', 'wait that\'s the old one', 'no scratch that']), ['PHONE', sayPhone(c.phone)]));
  } else if (r < 0.35 && numbers === 'words') {
    t.push(turn('caller', pick(['area code', 'it\'s area code']), ['PHONE', group(c.phone.slice(0, 3))], pick(['then', 'and then', '']), ['PHONE', sayGroups([c.phone.slice(3, 6), c.phone.slice(6)])]));
  } else t.push(turn('caller', pick(['yeah it\'s', 'sure', 'my cell is', 'you can reach me at', '']), ['PHONE', sayPhone(c.phone)], pick(['', 'that\'s my cell', 'it\'s a cell', ''])));
  if (c.ai) t.push({ who: 'agent', pieces: ['Got it, ', ['PHONE', writePhone(c.phone)], '.'] });
  else if (chance(0.35)) t.push(turn('agent', pick(['okay ending in', 'so ending in', 'got it the one ending in']), ['PHONE', sayGroups([c.phone.slice(6)])]));
  return t;
}
function addressScene(c: Call): Turn[] {
  const house = String(int(1, 9)) + digits(int(0, 4));
  const dir = chance(0.25) ? `${pick(['north', 'south', 'east', 'west', 'southwest'])} ` : '';
  const street = `${dir}${pick(STREET_NAMES)} ${pick(STREET_TYPES)}`;
  const unit = chance(0.35) ? ` ${pick(['apartment', 'apt', 'unit', 'suite', 'lot', 'number'])} ${chance(0.5) ? sayDigitsOf(String(int(1, 420))) : `${int(1, 9)} ${letters(1)}`}`.replace(/(\d) ([a-z])$/, (_m, a: string, b: string) => `${numbers === 'words' ? ONES[Number(a)] : a} ${b}`) : '';
  const houseSaid = numbers === 'digits' ? house : house.length >= 5 ? oneByOne(house) : group(house);
  const zip = `${int(1, 9)}${digits(4)}`;
  const t: Turn[] = [A(c, pick(['and what\'s the address we have', 'can you confirm your home address', 'what\'s the new address', 'where should we ship it']), 'Please tell me your street address, including the apartment number.')];
  const pieces: Array<string | Piece> = [pick(['it\'s', 'sure it\'s', 'we moved to', 'the new one is', ''])];
  pieces.push(['ADDRESS', `${houseSaid} ${street}${unit}`]);
  if (chance(0.7)) pieces.push(L(pick(TOWNS)));
  if (chance(0.5)) pieces.push(neutral('LOCATION', pick(STATES)));
  if (chance(0.6)) pieces.push(L(numbers === 'digits' ? zip : sayGroups(chance(0.5) ? [zip] : [zip.slice(0, 3), zip.slice(3)], 0))); // zip
  t.push(turn('caller', ...pieces));
  if (chance(0.25)) t.push(A(c, 'and the zip code there', 'And the ZIP code?'), turn('caller', L(numbers === 'digits' ? zip : oneByOne(zip))));
  if (chance(0.15)) t.push(turn('caller', pick(['oh and it\'s a p o box for mail', 'mail goes to p o box']), ['ADDRESS', sayDigitsOf(digits(int(3, 4)), 4)]));
  return t;
}
function emailScene(c: Call): Turn[] {
  const who = c.rel ? c.rel.p : c.p;
  return [
    A(c, pick(['do you have an email for the portal', 'what email should i send it to', 'can i get an email address']), 'What email address should we use?'),
    turn('caller', pick(['yeah it\'s', 'sure', 'it\'s', '']), ['EMAIL', sayEmail(who)], pick(['', 'all lowercase', 'all one word', ''])),
  ];
}
function memberScene(c: Call): Turn[] {
  const id = memberId();
  const kind = pick(['member id', 'member number', 'subscriber id', 'policy number', 'insurance id', 'medicaid number', 'medicare number', 'id on the card']);
  const t: Turn[] = [A(c, pick([`and the ${kind}`, `can i get the ${kind} off the card`, `do you have your ${kind} handy`]), `Can you read me the ${kind} on the card?`)];
  t.push(turn('caller', pick(['okay it\'s', 'hold on let me get the card okay', 'it\'s', 'um']), ['HEALTH_PLAN', sayCode(id)]));
  if (chance(0.3)) t.push(turn('caller', pick(['and the group number is', 'group is', 'group number']), ['HEALTH_PLAN', sayDigitsOf(digits(int(5, 7)))]));
  if (chance(0.3)) t.push(turn('caller', 'it\'s through', O(pick(INSURERS)), pick(['', 'the medicare advantage one', 'through my work'])));
  return t;
}
function claimScene(c: Call): Turn[] {
  const svc = recent();
  return [
    turn('caller', pick(['i got a bill for', 'they denied the claim for', 'there\'s a charge for']), pick(['an mri', 'my colonoscopy', 'the ambulance', 'physical therapy', 'a dexa scan', 'the er visit']), pick(['on', 'from', 'back on']), D(sayRecent(svc))),
    A(c, pick(['do you have the claim number', 'is there a claim number on the letter', 'what\'s the claim number']), 'Do you have the claim number from the letter?'),
    turn('caller', pick(['yeah it\'s', 'it says', 'claim number']), ['ID', sayCode(`${chance(0.4) ? letters(int(1, 2)) : ''}${digits(int(9, 12))}`)]),
    turn('agent', pick(['i see it the allowed amount was', 'okay so the balance is', 'your copay on that was']), pick(['two hundred forty dollars', 'one eighty seven fifty', 'forty five dollars', 'twelve hundred dollars']), pick(['and it went to', 'after']), O(pick(INSURERS))),
  ];
}
function paymentScene(c: Call): Turn[] {
  const card = cardDigits();
  const t: Turn[] = [A(c, pick(['would you like to pay that today', 'i can take a payment over the phone']), 'Would you like to make a payment today?'), turn('caller', pick(['yeah i\'ll put it on my card', 'sure use my visa', 'okay on the debit card']))];
  t.push(turn('caller', pick(['it\'s', 'the number is', 'okay']), ['ACCOUNT', sayGroups(card.match(/\d{4}/g)!, 0.1)]));
  t.push(turn('caller', 'expires', neutral('DATE', numbers === 'digits' ? `${pad(int(1, 12))}/${int(27, 31)}` : `${two(int(1, 12), true)} ${two(int(27, 31))}`), 'and the code on the back is', neutral('ACCOUNT', oneByOne(digits(3)))));
  t.push(c.ai ? { who: 'agent', pieces: ['Thank you. The card ending in ', ['ACCOUNT', card.slice(12)], ' has been charged $', `${int(20, 400)}.${pad(int(0, 99))}`, '.'] } : turn('agent', 'okay the card ending in', ['ACCOUNT', group(card.slice(12))], 'went through'));
  if (chance(0.3)) t.push(turn('caller', pick(['and my account number with you is', 'the account number on the statement is']), ['ACCOUNT', sayDigitsOf(digits(int(7, 10)))]));
  return t;
}
function pharmacyScene(c: Call): Turn[] {
  const drug = pick(['eliquis', 'januvia', 'jardiance', 'ozempic', 'trulicity', 'lyrica', 'xarelto', 'entresto', 'farxiga', 'lantus', 'metformin', 'lisinopril', 'amlodipine', 'atorvastatin', 'gabapentin', 'sertraline', 'levothyroxine', 'symbicort', 'flomax', 'plavix', 'tamsulosin', 'losartan']);
  const dose = pick(['five milligrams', 'ten milligram', 'twenty five m g', 'five hundred milligrams', 'point five', 'forty units', 'one fifty']);
  const t: Turn[] = [turn('caller', pick(['i need a refill on my', 'i\'m out of my', 'can you send in my']), drug, dose, pick(['twice a day', 'once a day', 'at bedtime', '']))];
  t.push(A(c, pick(['do you have the prescription number on the bottle', 'what\'s the rx number']), 'Do you have the prescription number from the label?'));
  t.push(turn('caller', pick(['it\'s', 'rx number', 'the number on the bottle is']), ['ID', sayDigitsOf(digits(7))]));
  t.push(A(c, 'which pharmacy do you use', 'Which pharmacy should we send it to?'));
  t.push(pick([
    () => turn('caller', 'the', O(pick(CHAINS)), pick(['on', 'over on', 'at']), L(`${pick(STREET_NAMES)} and ${pick(['fifth', 'main', 'third', 'broadway', 'second', 'lamar'])}`)),
    () => turn('caller', O(pick(CHAINS)), 'in', L(pick(TOWNS))),
    () => turn('caller', pick(['it\'s', 'we use']), L(INDEPENDENT_PHARMACIES()), pick(['', 'on main', 'downtown'])),
  ])());
  t.push(turn('agent', pick(['okay that\'s a ninety day supply', 'it\'ll be ready after', 'your copay is']), pick(['three refills left', 'about two hours', 'ten dollars', 'thirty tablets'])));
  return t;
}
function clinicianScene(c: Call): Turn[] {
  const doc = person();
  const t: Turn[] = [
    turn('caller', pick(['i saw', 'my doctor is', 'i was referred by', 'i\'m a patient of', 'my cardiologist']), pick(['doctor', 'dr', 'doctor', 'nurse practitioner', 'the p a']), N(chance(0.6) ? doc.f : full(doc)), pick(['at', 'over at', 'from']), ...facilityParts()),
  ];
  if (chance(0.4)) t.push(turn('agent', pick(['do you have the doctor\'s npi', 'i\'ll need the provider\'s npi']), ''), turn('caller', 'it\'s', ['ID', sayDigitsOf(`1${digits(9)}`)]));
  if (chance(0.4)) t.push(turn('caller', pick(['they said to fax it to', 'the fax over there is', 'you can fax the records to']), ['FAX', sayPhone(phoneDigits())]));
  if (chance(0.3)) t.push(turn('caller', pick(['i was in', 'she was admitted to', 'he got discharged from']), ...facilityParts(), pick(['on', 'back on']), D(sayRecent(recent()))));
  return t;
}
function mrnScene(c: Call): Turn[] {
  return [
    A(c, pick(['do you have your medical record number', 'is there an m r n on your paperwork', 'can you read me the chart number']), 'If you have it, please read me your medical record number.'),
    turn('caller', pick(['yeah it\'s', 'it says m r n', 'patient id', 'mrn is']), ['MRN', sayCode(chance(0.3) ? `${letters(1)}${digits(7)}` : digits(int(7, 9)))]),
  ];
}
function ssnScene(c: Call): Turn[] {
  const s = ssnDigits();
  if (chance(0.6)) return [A(c, pick(['and the last four of the social', 'can you verify the last four of your social']), 'For verification, what are the last four digits of your Social Security number?'), turn('caller', pick(['it\'s', 'sure', '']), ['SSN', sayGroups([s.slice(5)])])];
  return [A(c, 'i\'ll need the full social security number for the application', 'I will need the full Social Security number for the application.'), turn('caller', pick(['okay it\'s', 'um', '']), ['SSN', numbers === 'digits' ? `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}` : sayGroups([s.slice(0, 3), s.slice(3, 5), s.slice(5)])])];
}
function ageScene(c: Call): Turn[] {
  const n = chance(0.5) ? int(90, 104) : int(19, 88);
  const said = numbers === 'digits' ? String(n) : n >= 100 ? `a hundred${n > 100 ? ` and ${ONES[n - 100]}` : ''}` : two(n);
  return [turn('caller', pick(['she\'s', 'he\'s', 'i\'m', 'my mother is', 'he just turned']), age(n, said), pick(['years old', '', 'and she lives alone', 'and very hard of hearing']))];
}
function licenceScene(c: Call): Turn[] {
  return [
    A(c, pick(['to verify i\'ll need a driver\'s license number', 'can you read me your state id number']), 'To verify your identity, please read your driver\'s license number.'),
    turn('caller', pick(['okay it\'s', 'it\'s', 'license number']), ['LICENSE', sayCode(`${letters(1)}${digits(int(7, 8))}`)]),
  ];
}
function vehicleScene(c: Call): Turn[] {
  return [
    A(c, pick(['for the parking pass what\'s the plate number', 'and the license plate for the van']), 'For the parking permit, what is the license plate number?'),
    turn('caller', pick(['it\'s', 'plate is', '']), ['VEHICLE', sayCode(`${int(1, 9)}${letters(3)}${digits(3)}`)], pick(['', 'it\'s a gray honda', 'texas plates'])),
  ];
}
function deviceScene(c: Call): Turn[] {
  return [
    turn('caller', pick(['my cpap', 'the insulin pump', 'my oxygen concentrator', 'the glucose meter', 'my hearing aid']), pick(['stopped working', 'keeps beeping', 'won\'t turn on'])),
    A(c, pick(['can you read me the serial number on the bottom', 'what\'s the serial number']), 'Please read me the serial number on the back of the device.'),
    turn('caller', pick(['s n', 'serial', 'it says', '']), ['DEVICE', sayCode(`${letters(int(1, 3))}${digits(int(6, 9))}`)]),
  ];
}
function referenceScene(c: Call): Turn[] {
  const what = pick(['reference number', 'confirmation number', 'case number', 'prior authorization number', 'ticket number']);
  return [c.ai ? { who: 'agent', pieces: [`Your ${what} is `, ['ID', `${letters(2).toUpperCase()}${digits(7)}`], '.'] } : turn('agent', `your ${what} for today is`, ['ID', sayCode(`${letters(int(0, 2))}${digits(int(7, 9))}`)])];
}
function appointmentScene(c: Call): Turn[] {
  const when = recent();
  const doc = pick(FAMILY);
  return [
    c.ai
      ? { who: 'agent', pieces: ['The next available appointment is ', pick(['Tuesday, ', 'Monday, ', '']), D(`${cap(MONTHS[when.m - 1]!)} ${when.d}`), ' at ', neutral('DATE', `${int(8, 11)}:${pick(['00', '15', '30', '45'])} AM`), ' with Dr. ', N(cap(doc)), '. Does that work?'] }
      : turn('agent', pick(['i have an opening on', 'the next available is', 'we can do']), pick(['', 'tuesday', 'next thursday', 'monday']), D(sayRecent(when)), 'at', time(), pick(['with', 'with doctor', 'to see']), N(doc)),
    turn('caller', pick(['that works', 'okay perfect', 'can i do later in the day', 'yeah that\'s fine'])),
  ];
}
function relativeScene(c: Call): Turn[] {
  const r = person();
  return [turn('caller', pick(['you can also talk to', 'my emergency contact is', 'if i don\'t answer call', 'the person picking me up is']), pick(RELATIVES).replace(/^(her|his) /, 'my '), N(chance(0.5) ? r.g : full(r)), pick(['at', 'her number is', 'his cell is']), ['PHONE', sayPhone(phoneDigits())])];
}
function rideScene(c: Call): Turn[] {
  const house = `${int(1, 9)}${digits(int(1, 3))}`;
  return [
    turn('caller', pick(['i need a ride to dialysis', 'can you set up transportation to my appointment']), pick(['at', 'over at']), ...facilityParts(), 'on', D(sayRecent(recent()))),
    turn('agent', 'pick up from', ['ADDRESS', `${numbers === 'digits' ? house : group(house)} ${pick(STREET_NAMES)} ${pick(STREET_TYPES)}`], 'in', L(pick(TOWNS)), 'at', time()),
  ];
}
function portalScene(c: Call): Turn[] {
  return chance(0.5)
    ? [turn('caller', pick(['it keeps saying my ip is blocked', 'the portal locked me out it shows the address']), ['IP', numbers === 'digits' ? `${int(11, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}` : `${two(int(11, 99))} dot ${oneByOne(String(int(100, 255)))} dot ${two(int(1, 99))} dot ${oneByOne(String(int(1, 254)))}`])]
    : [turn('caller', pick(['my daughter set up a page for my surgery', 'we put the updates on a page']), pick(['it\'s', 'at']), ['URL', `${pick(['gofundme', 'caringbridge'])} dot ${pick(['com', 'org'])} slash ${c.p.g} ${pick(['strong', 'recovery', 'journey'])}`])];
}
/** Words that are no one's PHI: conditions named after people, amounts, vitals, menus, years alone. */
function smallTalk(): Turn {
  return pick([
    () => turn('caller', pick(['i have', 'my husband has', 'she was diagnosed with', 'it\'s for my']), pick(['parkinson\'s', 'alzheimer\'s', 'crohn\'s', 'hashimoto\'s', 'graves disease', 'bell\'s palsy', 'raynaud\'s', 'sjogren\'s', 'addison\'s disease', 'lou gehrig\'s disease', 'barrett\'s esophagus', 'meniere\'s', 'hodgkin\'s lymphoma', 'tourette\'s'])),
    () => turn('caller', 'my blood pressure was', pick(['one forty over ninety', 'one sixty two over eighty', 'one twenty over seventy']), 'and my sugar was', pick(['two hundred and twelve', 'one eighty', 'ninety eight'])),
    () => turn('agent', pick(['your deductible is', 'the out of pocket max is', 'the copay for specialists is']), pick(['fifteen hundred dollars', 'six thousand five hundred', 'forty dollars', 'two fifty'])),
    () => turn('caller', pick(['i\'ve been on it since', 'i had the surgery in', 'we switched plans in']), pick(['twenty nineteen', 'two thousand fifteen', 'twenty twenty two', 'nineteen ninety eight'])),
    () => turn('caller', pick(['i pressed', 'it told me to press', 'i tried option']), pick(['two', 'four', 'zero', 'one then three']), pick(['but it hung up', 'and waited forty minutes', ''])),
    () => turn('caller', pick(['i weigh about', 'i lost']), pick(['one sixty five pounds', 'twenty pounds', 'two hundred and ten']), pick(['since', 'in']), pick(['march', 'the summer', 'the last month'])),
    () => turn('agent', pick(['please hold for', 'it might take', 'the wait is about']), pick(['two minutes', 'five to seven business days', 'forty eight hours', 'ten minutes'])),
    () => turn('caller', pick(['i go every', 'dialysis is']), pick(['monday wednesday and friday', 'tuesday and thursday', 'other week']), pick(['at', 'around']), time()),
    () => turn('agent', pick(['you can also call our nurse line at', 'the after hours number is']), neutral('PHONE', pick(['one eight hundred', 'one eight eight eight', 'one eight seven seven']) + ' ' + sayGroups([digits(3), digits(4)], 0))),
  ])();
}
const closing = (c: Call): Turn[] => [
  A(c, pick(['is there anything else i can help with', 'anything else today', 'alright you\'re all set']), 'Is there anything else I can help you with?'),
  turn('caller', pick(['no that\'s it thank you', 'nope thanks so much', 'no you\'ve been very helpful', 'that\'s all bye'])),
  A(c, pick(['you\'re welcome have a good day', 'take care bye bye', 'thanks for calling']), `Thank you for calling. Goodbye.`),
];

// --- documents --------------------------------------------------------------------------------------

type Scene = (c: Call) => Turn[];
const MIDDLE: Scene[] = [addressScene, emailScene, memberScene, claimScene, paymentScene, pharmacyScene, clinicianScene, mrnScene, ssnScene, ageScene, licenceScene, vehicleScene, deviceScene, referenceScene, appointmentScene, relativeScene, rideScene, portalScene, (c) => [smallTalk(), smallTalk()]];
function newCall(): Call {
  return { p: person(), agent: pick(AGENT_NAMES), centre: pick(CENTRES), ai: chance(0.3), dob: birth(), phone: phoneDigits(), ...(chance(0.3) ? { rel: { word: pick(RELATIVES), p: person() } } : {}) };
}
function callTurns(c: Call): Turn[] {
  const turns: Turn[] = [...opening(c), ...nameCheck(c), ...dobCheck(c)];
  for (const s of some(MIDDLE, 2, 5)) turns.push(...s(c));
  if (chance(0.5)) turns.push(...phoneCheck(c));
  if (chance(0.5)) turns.push(smallTalk());
  if (chance(0.4)) turns.push(...closing(c));
  return turns;
}
type Layout = (turns: Turn[]) => Piece[];
const labelled = (agent: string, caller: string, sep = ': '): Layout => (turns) => turns.flatMap((t, k) => [k > 0 ? '\n' : '', `${t.who === 'agent' ? agent : caller}${sep}`, ...t.pieces]);
function stamped(turns: Turn[]): Piece[] {
  let s = int(0, 20);
  return turns.flatMap((t, k) => {
    s += int(2, 14);
    return [k > 0 ? '\n' : '', `[${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}] ${t.who === 'agent' ? 'agent' : 'customer'}: `, ...t.pieces];
  });
}
const LAYOUTS: Layout[] = [
  labelled('rep', 'caller'), labelled('agent', 'patient'), labelled('spk_0', 'spk_1'), labelled('speaker 1', 'speaker 2'), labelled('A', 'C'),
  labelled('[agent]', '[caller]', ' '), labelled('AGENT', 'CUSTOMER'), labelled('nurse', 'member'), labelled('voice agent', 'caller'), stamped,
  (turns) => turns.flatMap((t, k) => [k > 0 ? '\n' : '', ...t.pieces]),
  (turns) => turns.flatMap((t, k) => [k > 0 ? ' ' : '', ...t.pieces]),
];
function wholeCall(id: string): Doc {
  numbers = chance(0.15) ? 'digits' : 'words';
  const c = newCall();
  const layout = c.ai ? pick([labelled('bot', 'caller'), labelled('assistant', 'user'), labelled('AI', 'Caller'), labelled('voice agent', 'caller')]) : pick(LAYOUTS);
  return build(id, layout(callTurns(c)));
}
/** One utterance out of a call: a scene's caller or agent line alone, or a few lines of one scene. */
function utterance(id: string): Doc {
  numbers = chance(0.15) ? 'digits' : 'words';
  const c = { ...newCall(), ai: false };
  const scenes: Scene[] = [...MIDDLE, nameCheck, dobCheck, phoneCheck, opening, (x) => [smallTalk()]];
  const turns = pick(scenes)(c);
  const chosen = chance(0.6) ? [pick(turns)] : turns;
  const pieces = chosen.flatMap((t, k) => [k > 0 ? ' ' : '', ...t.pieces]);
  if (chance(0.2)) pieces.unshift(pick(['caller: ', 'agent: ', 'patient: ', 'speaker 2: ']));
  return build(id, pieces);
}

const docs: Doc[] = [];
for (let i = 1; i <= 640; i++) {
  const id = `cc-c-${String(i).padStart(4, '0')}`;
  docs.push(i % 5 < 2 ? wholeCall(id) : utterance(id));
}
// Built from pieces, spans are right by construction; this checks nothing was cut, and that no span
// starts or ends in a space.
for (const d of docs) for (const s of d.spans) if (/^\s|\s$/.test(d.text.slice(s.start, s.end)) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/call-center-c.jsonl');
writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
const scored = (ds: Doc[]) => ds.reduce((n, d) => n + d.spans.filter((s) => s.scored !== false && s.label !== 'ORGANIZATION').length, 0);
const lock = docs.filter((d) => isLockbox(d.id));
console.log(`wrote ${docs.length} documents (${scored(docs)} scored spans; lockbox ${lock.length} documents, ${scored(lock)} spans) to ${out}`);
