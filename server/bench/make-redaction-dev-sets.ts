/**
 * `npm run data:redaction` (R-DATA-2): writes the project's own development sets for the redaction
 * engine, server/src/modules/redaction/data/{clinical,spoken}-dev.jsonl, from templates and surrogate
 * identifiers written here (no real person, place of care or number). Deterministic: the same seed
 * writes the same bytes. Formats and labels as ../shared/data/phi/README.md.
 *
 * The lockbox split is decided by the document id alone (`isLockbox`, a hash), never by the text.
 *
 * Surrogate names come from three sources on purpose, so that a set does not only hold names the
 * engine's gazetteer knows: common given and family names, names that are also English words
 * ("Young", "Hope", "Banks"), and invented names built from syllables that no list holds.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Piece = string | [label: string, text: string] | [label: string, text: string, scored: false];
export interface Doc { id: string; text: string; spans: Array<{ start: number; end: number; label: string; scored?: false }> }

// mulberry32: a small seeded generator, so the sets are the same on every machine.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** The draws the set generators share, over one generator: the sets stay the same on every machine. */
export function draws(rnd: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  return {
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!,
    chance: (p: number) => rnd() < p,
    int,
    digits: (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
    /** Some of `xs`, in a random order, each once. */
    some<T>(xs: readonly T[], lo: number, hi: number): T[] {
      const copy = [...xs];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, Math.min(copy.length, int(lo, hi)));
    },
  };
}
let rnd = prng(30);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number) => rnd() < p;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');

const GIVEN = ['Martha', 'Joe', 'Ann', 'Robert', 'Linda', 'James', 'Maria', 'David', 'Susan', 'Michael', 'Karen', 'Thomas', 'Nancy', 'Paul', 'Helen', 'Jose', 'Mei', 'Ahmed', 'Fatima', 'Raj', 'Priya', 'Olga', 'Dmitri', 'Kwame', 'Ngozi', 'Hiroshi', 'Yuki', 'Carmen', 'Luis', 'Bridget', 'Sean', 'Tran', 'Anh', 'Jo', 'Ed', 'Bea', 'Al', 'Gus', 'Dot', 'Walt', 'Irma', 'Gert', 'Lou'];
const FAMILY = ['Lee', 'Brown', 'Tran', 'Nguyen', 'Okafor', 'Kowalski', 'Garcia', 'Murphy', "O'Brien", 'Schultz', 'Patel', 'Cohen', 'Rossi', 'Johansson', 'Kim', 'Haddad', 'Mendez', 'Fitzgerald', 'Novak', 'Sullivan', 'Takahashi', 'Dubois', 'Moreau', 'Ivanova', 'Walsh', 'Hernandez', 'Shapiro', 'McCarthy', 'Romano', 'Baptiste'];
/** Names that are also English words. */
const WORD_NAMES_FAMILY = ['Young', 'Banks', 'Hope', 'Rose', 'Gray', 'Price', 'Hill', 'Long', 'Wood', 'Bird', 'King', 'Rich', 'Moody', 'Sharp', 'Grant', 'Bell', 'Page', 'Lane', 'Hunter', 'Street', 'Fields', 'Cross', 'Black', 'White', 'Stone', 'Frost', 'Little', 'Strong', 'Love', 'Bush'];
const WORD_NAMES_GIVEN = ['Hope', 'Faith', 'Joy', 'Dawn', 'Summer', 'Frank', 'Grant', 'Bill', 'Will', 'Rose', 'Iris', 'June', 'Art', 'Don', 'Sue', 'Pat', 'Guy', 'Max', 'Jack', 'Grace', 'Harmony', 'River'];
const SYL = ['ta', 'vrin', 'quel', 'lis', 'odu', 'nmi', 'zar', 'bek', 'oro', 'fen', 'dal', 'mir', 'kesh', 'ula', 'pon', 'tiv', 'sae', 'rhu', 'gal', 'yen', 'ost', 'wer', 'ix', 'nau', 'bri', 'dok'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
function given(): string {
  const r = rnd();
  return r < 0.55 ? pick(GIVEN) : r < 0.8 ? pick(WORD_NAMES_GIVEN) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.5 ? pick(FAMILY) : r < 0.78 ? pick(WORD_NAMES_FAMILY) : invented();
}
const TOWNS = ['Fairhaven', 'Millbrook', 'Oakdale', 'Cedar Falls', 'Brockton', 'Salem', 'Lowell', 'Quincy', 'Dover', 'Easton', 'Marlow', 'Ridgefield', 'Westford', 'Plainview', 'Greenville', 'Ashland', 'Milton', 'Norwood', 'Hudson', 'Franklin', 'Clinton', 'Auburn', 'Bedford', 'Winchester', 'Canton'];
function town(): string {
  return chance(0.75) ? pick(TOWNS) : invented() + pick(['ville', 'ton', 'field', ' Falls', 'borough']);
}
const HOSPITAL_FORMS: Array<() => string> = [
  () => `${town()} Hospital`,
  () => `${town()} General Hospital`,
  () => `${family()} Memorial Hospital`,
  () => `St. ${pick(['Mary', 'Luke', 'Joseph', 'Anne', 'Vincent', 'Elizabeth'])}'s`,
  () => `${town()} Medical Center`,
  () => `${family()} Rehab`,
  () => `${town()} Nursing Home`,
];
function hospital(): string {
  return pick(HOSPITAL_FORMS)();
}
/** Two- and three-letter hospital abbreviations ("BMC", "MGH"). */
function hospitalAbbrev(): string {
  const letters = 'ABCDEFGHJKLMNPRSTW';
  return Array.from({ length: int(2, 3) }, () => pick([...letters])).join('') + (chance(0.5) ? 'H' : '');
}
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function date(): string {
  const m = int(1, 12);
  const d = int(1, 28);
  const y = int(2080, 2140);
  return pick([
    () => `${m}/${d}`,
    () => `${m}/${d}/${y}`,
    () => `${m}/${d}/${String(y).slice(2)}`,
    () => `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`,
    () => `${MONTHS[m - 1]} ${d}`,
    () => `${MON[m - 1]} ${d}`,
    () => `${MONTHS[m - 1]} ${d}, ${y}`,
    () => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ])();
}
function phone(): string {
  const a = `${int(2, 9)}${digits(2)}`;
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `${b}-${c}`, `${a}.${b}.${c}`]);
}
/** A pager number, with the "#" that is written before some (not part of the number). */
const pager = (): Piece[] => (chance(0.3) ? ['#', ['PHONE', digits(4)]] : [['PHONE', pick([digits(5), `${digits(3)}-${digits(4)}`])]]);
const mrn = () => pick([digits(7), digits(8), `${digits(3)}-${digits(2)}-${digits(2)}`]);
const oldAge = () => String(int(90, 104));
const youngAge = () => String(int(24, 88));

/** One document from pieces: text and gold spans together. */
export function build(id: string, pieces: Piece[]): Doc {
  let text = '';
  const spans: Doc['spans'] = [];
  for (const p of pieces) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    const start = text.length;
    text += p[1];
    spans.push(p.length === 3 ? { start, end: text.length, label: p[0], scored: false } : { start, end: text.length, label: p[0] });
  }
  return { id, text, spans };
}

const N = (s: string): Piece => ['NAME', s];
const D = (s: string): Piece => ['DATE', s];
const L = (s: string): Piece => ['LOCATION', s];
const P = (s: string): Piece => ['PHONE', s];
/** Ages of 89 or under are no Safe Harbor identifier: neither required nor penalised. */
const A = (s: string): Piece => (Number(s) > 89 ? ['AGE', s] : ['AGE', s, false]);
const RELATIONS = ['wife', 'husband', 'son', 'daughter', 'sister', 'brother', 'niece', 'nephew', 'friend', 'neighbor', 'HCP', 'mother', 'father', 'granddaughter'];
const TITLES = ['Dr.', 'Dr', 'dr', 'DR.', 'resident', 'RN', 'NP'];

// --- clinical notes -----------------------------------------------------------------------------

const VITALS = () => `HR ${int(60, 110)}-${int(90, 130)}${pick(['', 's'])} ${pick(['NSR', 'ST', 'SR', 'AFIB'])}, SBP ${int(90, 120)}-${int(120, 160)}, RR ${int(12, 20)}-${int(20, 30)}, SAT ${int(92, 100)}%`;
const DRUGS = ['heparin', 'propofol', 'lasix', 'dopamine', 'levophed', 'fentanyl', 'versed', 'insulin', 'cipro', 'vanco', 'zosyn', 'lopressor', 'amiodarone', 'nitro', 'neo', 'morphine', 'ativan', 'haldol', 'protonix', 'coumadin', 'kcl', 'mag', 'tylenol'];
const nursingLines: Array<() => Piece[]> = [
  () => [`NEURO: ${pick(['ALERT', 'SEDATED', 'LETHARGIC', 'A+OX3'])}, ${pick(['MAE', 'FOLLOWS COMMANDS', 'PERRL', 'NO FOCAL DEFICITS'])}. ${pick(['CONT ON PROPOFOL', 'FENTANYL GTT AT 50MCG/HR', 'OFF SEDATION SINCE 0800', 'MEDICATED W/ MORPHINE 2MG IV'])}.`],
  () => [`CV: ${VITALS().toUpperCase()}. ${pick(['HEPARIN GTT AT 900U/HR', 'LEVOPHED WEANED OFF', 'K+ 3.2 REPLETED', 'NEO TITRATED 0.5-1.5'])}. PULSES PALP.`],
  () => [`RESP: ${pick(['LS CLEAR', 'COARSE BS BILAT', 'DIMINISHED @ BASES'])}. ${pick(['PSV 10/5', 'CPAP 5', 'AC 600X14 FIO2 40% PEEP 5', 'EXTUBATED TO 4L NC'])}. SX FOR ${pick(['SM', 'MOD', 'LG'])} AMT THICK TAN SPUTUM.`],
  () => [`GI: ABD SOFT, ${pick(['NT/ND', 'DISTENDED', '+BS'])}. ${pick(['NPO', 'TF AT GOAL 60CC/HR', 'TOL CLEARS', 'OGT TO LCS'])}. ${pick(['NO BM', 'BM X1 GUAIAC NEG', 'LOOSE STOOL X2'])}.`],
  () => [`GU: FOLEY DRAINING ${int(20, 60)}-${int(60, 120)}CC/HR. ${pick(['LASIX 40MG IV GIVEN', 'NEG 500CC SINCE MN', 'UO ~1500CC THIS SHIFT'])}.`],
  () => [`ID: TMAX ${int(99, 102)}.${int(0, 9)}. ON ${pick(['VANCO', 'ZOSYN', 'CIPRO', 'FLAGYL'])}. ${pick(['CULTURES SENT', 'WBC 14', 'AFEBRILE'])}.`],
  () => [`SKIN: ${pick(['INTACT', 'STAGE II ON COCCYX', 'ALINE R RADIAL C/D/I', 'SWAN R IJ'])}. ${pick(['OOB TO CHAIR', 'TURNED Q2H', 'AIR MATTRESS'])}.`],
  () => [`SOCIAL: ${pick(RELATIONS).toUpperCase()} `, N(given().toUpperCase()), ` ${pick(['IN TO VISIT', 'CALLED', 'UPDATED BY MD', 'AT BEDSIDE'])}${chance(0.5) ? '' : ', PLANS TO RETURN TOMORROW'}.`],
  () => [`SOCIAL: ${pick(RELATIONS).toUpperCase()} `, N(`${given()} ${family()}`.toUpperCase()), ` CALLED, CAN BE REACHED AT `, P(phone()), `.`],
  () => [`PLAN: ${pick(['TRANSFER TO', 'TX TO', 'D/C TO', 'SCREENED FOR'])} `, L(hospitalAbbrev()), ` ${pick(['WHEN BED AVAIL', 'IN AM', 'PENDING INSURANCE'])}. ${pick(['CONT TO MONITOR', 'WEAN VENT AS TOL', 'FOLLOW LYTES'])}.`],
  () => [`PT IS A `, A(oldAge()), ` YO ${pick(['M', 'F', 'MAN', 'WOMAN'])} ADMITTED ON `, D(date()), ` FROM `, L(hospital().toUpperCase()), ` WITH ${pick(['CHF', 'PNA', 'UROSEPSIS', 'GIB', 'CVA'])}.`],
  () => [`${pick(['MD', 'RESIDENT', 'DR'])} `, N(family().toUpperCase()), ` AWARE OF ${pick(['LABS', 'BP', 'LOW UO', 'FEVER'])}. ${pick(['NO NEW ORDERS', 'BOLUS 500CC NS GIVEN', 'WILL RECHECK @ 2200'])}.`],
];
const nursingLowerLines: Array<() => Piece[]> = [
  () => [`Neuro: ${pick(['alert', 'sedated', 'lethargic', 'a+ox3', 'intubated'])}, ${pick(['mae', 'follows commands', 'perrl', 'opens eyes to voice'])}. cont on ${pick(DRUGS)}${pick([' gtt', ' prn', ''])}.`],
  () => [`CV: ${VITALS().toLowerCase()}. ${pick(['heparin gtt @ 1000u/hr', 'lopressor 5mg iv x1', 'no ectopy', 'aline dampened, flushed'])}.`],
  () => [`Resp: ${pick(['ls clear', 'crackles at bases', 'diminished'])}, ${pick(['psv 12/5', 'extubated at 1100 to 50% cool neb', '2l nc', 'ac 500x12'])}. sx x${int(1, 4)} for thick secretions.`],
  () => [`GI/GU: abd soft, npo${pick(['', ' except meds'])}. foley ${int(30, 40)}-${int(40, 80)}cc/hr. ${pick(['cath placed', 'ngt to lcs', 'tol tf at 40cc'])}.`],
  () => [`Social: ${pick(RELATIONS)} `, N(given().toLowerCase()), ` ${pick(['called x2', 'visited this eve', 'updated on plan'])}; ${pick(['phone', 'cell', 'home #'])} `, P(phone()), `.`],
  () => [`${pick(RELATIONS)} `, N(`${given()} ${family()}`.toLowerCase()), ` ${pick(['is hcp, lives in', 'in from', 'called from'])} `, ...(chance(0.5) ? [L(town())] : [L(town().toLowerCase())]), `.`],
  () => [`Plan: ${pick(['transfer to', 'awaiting bed at', 'will go to'])} `, L(hospital()), ` ${pick(['on', 'by'])} `, D(date()), `.`],
  () => [`${pick(['Dr', 'dr', 'resident', 'np'])} `, N(`${given()} ${family()}`.toLowerCase()), ` paged @ `, ...pager(), ` re: ${pick(['k 3.1', 'bp 80s', 'fever 101.8', 'uo 15cc/hr'])}. ${pick(['kcl 40meq ordered', '250cc ns bolus', 'cultures sent'])}.`],
  () => [`Shift 1900-0700: ${pick(['uneventful', 'pt slept well', 'restless, medicated w/ ativan'])}. ${pick(['I/O 1500/1200', 'wt 82.4kg', 'glucose 120-180s'])}.`],
  () => [`hx: s/p CABG '`, D(String(int(80, 99))), `, ${pick(['dm2', 'htn', 'copd', 'afib on coumadin'])}. last ${pick(['cath', 'echo', 'admit'])} `, D(date()), `.`],
];
function nursingCaps(id: string): Doc {
  const lines = Array.from({ length: int(5, 9) }, () => pick(nursingLines)());
  const head: Piece[] = [`NURSING PROGRESS NOTE ${pick(['7A-7P', '7P-7A', '0700-1900', '1900-0700'])}\n`];
  return build(id, head.concat(...lines.map((l) => [...l, '\n'])));
}
function nursingMixed(id: string): Doc {
  const lines = Array.from({ length: int(4, 8) }, () => pick(nursingLowerLines)());
  return build(id, ['Nursing note\n' as Piece].concat(...lines.map((l) => [...l, '\n'])));
}
function discharge(id: string): Doc {
  const g = given();
  const f = family();
  const doc = `${given()} ${family()}`;
  return build(id, [
    'Admission Date: ', D(date()), '   Discharge Date: ', D(date()), '\n',
    'Service: ', pick(['MEDICINE', 'CARDIOLOGY', 'SURGERY']), '\n\n',
    'HISTORY OF PRESENT ILLNESS: ', ...(chance(0.5) ? ['Mr. ' as Piece, N(`${g} ${f}`)] : ['Ms. ' as Piece, N(f)]), ' is a ', A(chance(0.4) ? oldAge() : youngAge()), '-year-old ', pick(['man', 'woman']), ` with a history of ${pick(['CAD s/p CABG', 'COPD on 2L home O2', 'ESRD on HD', 'DM2 and HTN'])}, who was transferred from `, L(hospital()), ` on `, D(date()), ` with ${pick(['chest pain', 'shortness of breath', 'hypotension', 'altered mental status'])}.\n`,
    `He was started on ${pick(DRUGS)} and ${pick(DRUGS)}. Cardiology (Dr. `, N(family()), `) was consulted.\n\n`,
    'DISCHARGE MEDICATIONS: ', `${pick(['Lasix 40 mg PO daily', 'Metoprolol 25 mg PO BID', 'Heparin 5000 units SC TID'])}, ${pick(['Lisinopril 10 mg daily', 'Aspirin 81 mg daily', 'Protonix 40 mg daily'])}.\n`,
    'DISCHARGE DISPOSITION: ', pick(['Home with services', 'Extended care']), ' at ', L(hospital()), '.\n',
    'FOLLOW-UP: with ', 'Dr. ', N(doc), ' at ', L(`${town()} Clinic`), ', ', P(phone()), ', in two weeks.\n',
    'Dictated by: ', N(doc.toUpperCase()), ', M.D.  MEDQUIST36\n',
    'D: ', D(date()), '  T: ', D(date()), '  JOB#: ', ['ID', digits(5)], '\n',
  ]);
}
function callback(id: string): Doc {
  const rel = pick(RELATIONS);
  const relName = given();
  return build(id, [
    `Call-back note ${pick(['', '- '])}`, D(date()), '\n',
    `Returned call from pt's ${rel} `, N(relName), ` re: ${pick(['lab results', 'medication refill', 'appointment', 'discharge instructions'])}. `,
    `Confirmed pt identity with DOB `, D(`${int(1, 12)}/${int(1, 28)}/${int(1920, 1990)}`), ` and MRN `, ['MRN', mrn()], `.\n`,
    `${pick(['Discussed', 'Reviewed'])} ${pick(['INR 2.4', 'K 4.1', 'A1c 7.2%', 'BP log 120-140s/70-80s'])}. ${pick(['No changes.', 'Continue current dose.', 'Will route to PCP.'])}\n`,
    `${pick(['Best number', 'Call back at', 'Cell'])}: `, P(phone()), `. Pager for covering MD `, 'Dr. ', N(family()), `: `, ...pager(), `.\n`,
    `${pick(['Next appt', 'f/u'])} `, D(date()), ` at `, L(hospital()), `. -- `, N(`${given()} ${family()}`), `, RN\n`,
  ]);
}
function aiSummary(id: string): Doc {
  const name = `${given()} ${family()}`;
  return build(id, [
    `Summary: The caller, `, N(name), `, a `, A(chance(0.4) ? oldAge() : youngAge()), `-year-old ${pick(['patient', 'member'])}, called about ${pick(['a billing question', 'a prescription refill', 'symptoms after a procedure', 'scheduling a follow-up'])}. `,
    `${pick(['She', 'He', 'They'])} reported ${pick(['mild dizziness', 'swelling in the left ankle', 'no new symptoms', 'a cough for three days'])} since ${pick(['the visit', 'discharge'])} on `, D(date()), `. `,
    `${pick(['She', 'He', 'They'])} ${pick(['was seen', 'had surgery'])} at `, L(hospital()), ` by `, 'Dr. ', N(family()), `. `,
    `Current medications include ${pick(DRUGS)} and ${pick(DRUGS)}. `,
    `Callback number: `, P(phone()), `. ${pick(['Alternate contact', 'Emergency contact'])}: ${pick(RELATIONS)} `, N(`${given()}`), `.\n`,
    `Action items: ${pick(['nurse to call back within 24 hours', 'refill sent to pharmacy', 'appointment booked'])}; ${pick(['no PHI shared with third parties', 'caller verified identity', 'interpreter not needed'])}.\n`,
  ]);
}

// --- spoken requests and call-center utterances ---------------------------------------------------

const lower = (s: string) => s.toLowerCase();
const spokenForms: Array<() => Piece[]> = [
  () => [`${pick(['hello', 'hi', 'hey'])} is this `, N(lower(`${given()} ${family()}`)), ` ${pick(['', 'calling from the clinic', 'i am returning your call'])}`.trimEnd()],
  () => [`${pick(['call', 'ring', 'phone'])} `, N(lower(given())), ` ${pick(['', 'now', 'on speaker', 'at home', 'on her cell'])}`.trimEnd()],
  () => [`${pick(['email', 'send an email to', 'e-mail'])} `, N(lower(given())), ` ${pick(['about the meeting', 'that i am running late', 'the report', 'happy birthday'])}`],
  () => [`${pick(['text', 'message', 'send a text to'])} `, N(lower(given())), ` ${pick(['i will be there at six', 'call me back', 'see you tomorrow', 'ok'])}`],
  () => [`${pick(['call', 'text'])} ${pick(['mom', 'dad', 'the dentist', 'the pharmacy', 'home', 'the office', 'work', 'my doctor'])}`],
  () => [`${pick(['call', 'text'])} `, ['ORGANIZATION', pick(['pizza hut', 'walgreens', 'comcast', 'delta'])]],
  () => [`what is the weather in `, ['LOCATION', pick(['boston', 'chicago', 'london', 'paris', 'austin']), false], ` ${pick(['today', 'tomorrow', 'this weekend'])}`],
  () => [`what is the weather in the city ${pick(['today', 'tomorrow', 'this weekend'])}`],
  () => [`remind me to ${pick(['call', 'email'])} `, N(lower(`${given()}`)), ` ${pick(['at five', 'tomorrow morning', 'after lunch'])}`],
  () => [`this is `, N(lower(`${given()} ${family()}`)), ` ${pick(['calling about my bill', 'i have a question about my prescription', 'returning a call from doctor', 'and i need to reschedule'])}`],
  () => [`hi `, N(lower(given())), ` it's ${pick(['the pharmacy', 'doctor\'s office', 'the front desk'])} ${pick(['your order is ready', 'calling to confirm tomorrow', 'please call us back'])}`],
  () => [`${pick(['yes', 'yeah', 'uh'])} my ${pick(['wife', 'son', 'daughter', 'husband'])} `, N(lower(given())), ` ${pick(['picks it up', 'has the card', 'will call back', 'is with me'])}`],
  () => [`find ${pick(['a coffee shop', 'the nearest gas station'])} near ${pick(['me', 'the mall'])}`],
  () => [`find `, ['ORGANIZATION', pick(['starbucks', 'walgreens', 'target'])], ` near ${pick(['me', 'the mall'])}`],
  () => [`set up a meeting with `, N(lower(`${given()} ${family()}`)), ` ${pick(['on friday', 'next week', 'at ten'])}`],
  () => [`what's `, N(lower(given())), `'s ${pick(['email', 'number', 'address'])}`],
  () => [`i'm calling for my ${pick(['mother', 'father', 'aunt'])} `, N(lower(`${given()} ${family()}`)), ` her date of birth is `, D(pick(['march third nineteen forty', 'june twelfth nineteen thirty two', 'october first fifty one'])), ``],
  () => [`${pick(['good morning', 'hello'])} you've reached ${pick(['the billing office', 'member services', 'the clinic'])} my name is `, N(lower(given())), ` how can i help`],
];
const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Digits said one by one, "oh" for zero now and then, "double" for a repeat now and then. */
function sayDigits(n: number): string {
  const ds = Array.from({ length: n }, () => int(0, 9));
  const out: string[] = [];
  for (let k = 0; k < ds.length; k++) {
    if (k + 1 < ds.length && ds[k] === ds[k + 1] && chance(0.3)) {
      out.push(`double ${ONES[ds[k]!]}`);
      k++;
    } else out.push(ds[k] === 0 && chance(0.5) ? 'oh' : ONES[ds[k]!]!);
  }
  return out.join(' ');
}
const STREETS = ['maple', 'river', 'hawthorne', 'lincoln', 'oak', 'cedar', 'willow', 'washington', 'park', 'elm'];
const STREET_TYPES = ['street', 'avenue', 'drive', 'road', 'lane', 'court', 'way'];
const ORDINAL_DAYS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'fifteenth', 'twentieth', 'twenty first', 'twenty third'];
const YEARS_SAID = ['nineteen forty two', 'nineteen fifty one', 'nineteen sixty', 'nineteen seventy eight', 'nineteen eighty four', 'two thousand two'];
const monthSaid = () => MONTHS[int(0, 11)]!.toLowerCase();
/** Call-center utterances with identifiers said aloud (the kinds a member services call holds). */
const callForms: Array<() => Piece[]> = [
  () => [`my member id is `, ['HEALTH_PLAN', sayDigits(int(8, 10))]],
  () => [`${pick(['yeah', 'sure', 'okay'])} it's `, ['PHONE', sayDigits(10)], ` ${pick(['', 'that is my cell', 'best number to reach me'])}`.trimEnd()],
  () => [`you can call me back at `, ['PHONE', sayDigits(10)]],
  () => [`date of birth `, D(`${monthSaid()} ${pick(ORDINAL_DAYS)} ${pick(YEARS_SAID)}`)],
  () => [`i was born on `, D(`${monthSaid()} ${pick(ORDINAL_DAYS)} ${pick(YEARS_SAID)}`)],
  () => [`i live at `, ['ADDRESS', `${sayDigits(int(2, 4))} ${pick(STREETS)} ${pick(STREET_TYPES)}`], ` in `, L(lower(town()))],
  () => [`the last four of my social are `, ['SSN', sayDigits(4)]],
  () => [`my email is `, ['EMAIL', `${lower(given())} dot ${lower(family()).replace(/'/g, '')} at ${pick(['gmail', 'yahoo', 'outlook'])} dot com`]],
  () => [`the claim number is `, ['ID', `${pick(['c', 'k', 'b'])} ${sayDigits(int(6, 8))}`]],
  () => [`my doctor is doctor `, N(lower(family())), ` at `, L(lower(hospital()))],
  () => [`i'm `, A(oldAge()), ` years old`],
  () => [`i need to ${pick(['refill my lisinopril', 'check on my claim', 'change my pharmacy', 'ask about my bill'])} ${pick(['please', 'today', 'if that is possible'])}`],
  () => [`${pick(['okay', 'thank you', 'great'])} ${pick(['is there anything else', 'have a good day', 'let me check that for you'])}`],
];

function spoken(id: string): Doc {
  if (chance(0.35)) return build(id, pick(callForms)());
  return build(id, pick(spokenForms)());
}

/**
 * Writes a generated set to server/src/modules/redaction/data/<file> after checking that every gold span is
 * non-empty and has no surrounding whitespace; returns a one-line summary (documents, lockbox, scored spans by label).
 */
export function writeDevSet(file: string, docs: Doc[]): string {
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data', file), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const scored = docs.flatMap((d) => d.spans.filter((s) => s.scored !== false && s.label !== 'ORGANIZATION'));
  const byLabel = scored.reduce<Record<string, number>>((m, s) => ({ ...m, [s.label]: (m[s.label] ?? 0) + 1 }), {});
  return `${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length}), ${scored.length} scored spans ${JSON.stringify(byLabel)}`;
}

/** FNV-1a over the id: one document in five is in the lockbox. Decided by the id, never the text. */
export function isLockbox(id: string): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 5 === 0;
}

const styles = [nursingCaps, nursingMixed, discharge, callback, aiSummary];
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data');
  rnd = prng(30);
  const clinical = Array.from({ length: 400 }, (_, k) => styles[k % styles.length]!(`clinical-${String(k + 1).padStart(4, '0')}`));
  rnd = prng(31);
  const spokenDocs = Array.from({ length: 600 }, (_, k) => spoken(`spoken-${String(k + 1).padStart(4, '0')}`));
  writeFileSync(resolve(out, 'clinical-dev.jsonl'), clinical.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(resolve(out, 'spoken-dev.jsonl'), spokenDocs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  process.stdout.write(`clinical ${clinical.length} (lockbox ${clinical.filter((d) => isLockbox(d.id)).length}), spoken ${spokenDocs.length} (lockbox ${spokenDocs.filter((d) => isLockbox(d.id)).length})\n`);
}
