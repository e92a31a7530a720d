/**
 * `npm run data:clinical-g` (R-DATA-2, issue 30): writes server/src/modules/redaction/data/clinical-notes-g.jsonl,
 * a seventh clinical development set, written and committed, and measured once, before its author read
 * the engine's detectors or lexicon files or the earlier generators' frames. Frames, heads and surrogate
 * lists are its own. Deterministic (seeded); formats and labels as ../shared/data/phi/README.md; the
 * lockbox split is the same hash of the id (`isLockbox`).
 *
 * What it imitates, in six kinds of note:
 * - ICU nursing progress notes in the manner of the MIMIC-II era: "Pt", "c/o", "s/p", "y/o", "w/", mixed-case
 *   abbreviations, run-on lines or heads ("Neuro:", "CV-", "resp;"), numbers with units, drips and their
 *   titrations, vent settings, ABGs, I/O totals ("24hr I/O +2456cc"), shift times ("1900-0700", "7a-7p");
 * - social-work assessments (family, living situation, insurers and agencies, a PCP, a sign-off with an
 *   extension);
 * - case-management and discharge-planning notes (referrals to rehabs and nursing facilities, towns,
 *   phones with extensions, faxes, pagers "pgr 4-1234", "beeper");
 * - physician ICU event notes ("Called to bedside at 0230 for ...", a resident's sign-off with a pager);
 * - family-meeting notes (who was present: "dtr Susan", "son JOE", "wife mary", clinicians by role);
 * - short addenda and telephone notes.
 * Notes are in mixed case, ALL CAPS or lower case; names inside a mixed-case note are also written in
 * capitals or lower case on their own.
 * PHI (surrogates only): relatives after relation words, clinicians after titles and roles, patients
 * after "Mr."/"Mrs.", signatures; names that are words and words of the ward ("Walker", "Chambers",
 * "Cross", "Field", "Bell", "Brown", "Green", "Hope", "Faith", "Will", "May") and surnames that are eponyms
 * ("Hickman", "Doppler", "Babinski"); hospitals in full and by their initials after "to", "at", "from",
 * "transfer to", the same hospital named again by its initials; rehabs, nursing and assisted-living
 * facilities; towns (some that are words: "Reading", "Orange", "Sharon", "Hull"); month/day dates without
 * a year ("3/14", "03/07", "Oct 3", "11-2"), dates with a two-digit year, date ranges, "'97" years; ages
 * over 89 ("92 y/o", "94yo", "91F", "age 96"); phones with slashes, spaced groups, brackets and extensions,
 * faxes, pagers and beepers; MRNs.
 * Vocabulary that looks like PHI and is none: drugs, devices, eponyms of things ("Foley", "Swan",
 * "JP drain", "Hickman line", "Doppler", "Babinski", "Trendelenburg", "call bell", "walker"), ranges
 * ("120-130", "30-40cc"), shift times, fractions that are scores ("4/5", "6/10", "2/6 SEM"), blood
 * pressures, vent settings ("PSV 10/5"), lab rows, colours of fluids ("brown stool"), "will", "hope to".
 * Gold conventions as the earlier sets: a title, relation word or role is not part of the name; "'97"
 * marks "97"; a pager's word and "#" are not part of its number, a phone's extension is (an extension alone
 * is `"scored": false`); facilities and
 * towns are LOCATION; insurers and agencies ORGANIZATION (neutral); weekdays and ages of 89 or under
 * `"scored": false`; hospital units ("MICU", "7 North"), "OSH", "rehab", bare years and times carry no
 * span. Towns are real names used as surrogates; no real patient, clinician or number is meant.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexiconOverlap } from './make-clinical-notes-d.ts';
import { build, draws, prng, writeDevSet, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(7_2026_1207);
const { pick, chance, int, digits, some } = draws(rnd);

// --- surrogates: lists of this generator ----------------------------------------------------------------

const GIVEN = ['Beverly', 'Carol', 'Judith', 'Janice', 'Roberta', 'Sheila', 'Yvonne', 'Delores', 'Florence', 'Muriel', 'Rosemary', 'Annette', 'Bonnie', 'Marlene', 'Sylvia', 'Irene', 'Estelle', 'Lillian', 'Vera', 'Ida', 'Ethel', 'Frances', 'Winifred', 'Cynthia', 'Deborah', 'Denise', 'Paula', 'Regina', 'Suzanne', 'Tina', 'Wendy', 'Jill', 'Kim', 'Lisa', 'Renee', 'Dennis', 'Douglas', 'Russell', 'Wayne', 'Gordon', 'Francis', 'Vincent', 'Arthur', 'Howard', 'Ralph', 'Norman', 'Kenneth', 'Philip', 'Carl', 'Warren', 'Fred', 'Chester', 'Maurice', 'Lucien', 'Aurelio', 'Fernando', 'Rogelio', 'Xiomara', 'Yolanda', 'Marisol', 'Thuy', 'Lan', 'Quang', 'Duc', 'Vikram', 'Anand', 'Lakshmi', 'Oleg', 'Natasha', 'Boris', 'Yitzhak', 'Miriam', 'Esther', 'Kwabena', 'Abena', 'Chidi', 'Jamal', 'Tanisha', 'Rashida', 'Brianna', 'Tyler', 'Cody', 'Dustin', 'Chad', 'Heidi', 'Kara', 'Dottie', 'Bev', 'Fran', 'Marge', 'Hank', 'Sal', 'Mo', 'Ed', 'Ken', 'Rich', 'Deb', 'Joe', 'Susan', 'Mary', 'Pete'];
const GIVEN_WORDS = ['Hope', 'Faith', 'Joy', 'Grace', 'Rose', 'May', 'June', 'April', 'Dawn', 'Mercy', 'Charity', 'Precious', 'Blossom', 'Sunny', 'Star', 'Autumn', 'Summer', 'Ginger', 'Sugar', 'Will', 'Mark', 'Frank', 'Bill', 'Rich', 'Art', 'Cliff', 'Dean', 'Gene', 'Herb', 'Chase', 'Pierce', 'Miles', 'Wade', 'Reed', 'Sterling', 'Major', 'King', 'Earl', 'Duke'];
const FAMILY = ['Kelleher', 'Driscoll', 'Hanrahan', 'Finnegan', 'Moriarty', 'Costigan', 'Gallagher', 'Mulcahy', 'Iannuzzi', 'Marchetti', 'Capobianco', 'Giordano', 'Pacheco', 'Rebelo', 'Sousa', 'Tavares', 'Dang', 'Truong', 'Ly', 'Quach', 'Bui', 'Zhou', 'Leung', 'Chan', 'Reddy', 'Menon', 'Chatterjee', 'Kapoor', 'Weinstein', 'Feldman', 'Blum', 'Sokolov', 'Volkov', 'Morozova', 'Bergeron', 'Thibodeau', 'Gagnon', 'Pelletier', 'Arsenault', 'Washington', 'Jenkins', 'Coleman', 'Adeyemi', 'Boateng', 'Nwosu', 'Ramirez', 'Castillo', 'Delgado', 'Ortiz', 'Kowalczyk', 'Wisniewski', 'Dabrowski', 'Lindqvist', 'Halvorsen', 'Brandt', 'Zimmerman', 'Yilmaz', 'Nassar', 'Saleh', 'Karamanlis', 'Duffy', 'Quinlan', 'Tierney'];
/** Surnames that are words, many of them words of the ward too ("walker", "chambers", "brown stool"). */
const FAMILY_WORDS = ['Walker', 'Chambers', 'Cross', 'Field', 'Hall', 'Bell', 'Short', 'Small', 'Long', 'Brown', 'Green', 'White', 'Black', 'Gray', 'Rose', 'Grant', 'Carpenter', 'Fisher', 'Hunter', 'Parks', 'Moss', 'Bond', 'Street', 'Noble', 'Sweet', 'Best', 'Bright', 'Early', 'Swift', 'Good', 'Berry', 'Bloom', 'Love', 'Joy', 'Wade', 'Pool', 'Gates', 'House', 'Hart', 'Foot', 'Head', 'Cope', 'Still', 'Story', 'Mayo', 'Lively', 'Goodwin', 'Friend', 'Dollar'];
/** Surnames that name things in an ICU (a line, a test, a reflex, a sign, a drain). */
const FAMILY_EPONYMS = ['Hickman', 'Doppler', 'Babinski', 'Jackson', 'Pratt', 'Allen', 'Homan', 'Kerley', 'Whipple', 'Nissen', 'Romberg', 'Glasgow', 'Foley', 'Swan', 'Ganz'];
const TOWNS = ['Haverhill', 'Methuen', 'Dracut', 'Tewksbury', 'Chelmsford', 'Billerica', 'Woburn', 'Revere', 'Saugus', 'Peabody', 'Danvers', 'Swampscott', 'Nahant', 'Everett', 'Dedham', 'Braintree', 'Weymouth', 'Hingham', 'Scituate', 'Marshfield', 'Taunton', 'Fall River', 'Attleboro', 'Natick', 'Leominster', 'Fitchburg', 'Athol', 'Palmer', 'Monson', 'Westborough', 'Shrewsbury', 'Amesbury', 'Newburyport', 'Ipswich', 'Rowley', 'Pepperell', 'Groton', 'Ayer', 'Nashua', 'Salem NH', 'Derry', 'Pawtucket', 'Woonsocket'];
/** Towns that are words or given names. */
const TOWN_WORDS = ['Reading', 'Orange', 'Sharon', 'Hull', 'Ware', 'Wales', 'Holland', 'Florence', 'Chester', 'Warren', 'Hope Valley', 'Mansfield', 'Lincoln', 'Concord', 'Harvard', 'Bath'];
const SAINTS = ['Anne', 'Elizabeth', 'Francis', 'Vincent', 'Joseph', 'Luke', 'Jude', 'Margaret', 'Raphael'];
const SYL = ['qua', 'ren', 'dil', 'mo', 'tes', 'vak', 'lo', 'bim', 'sa', 'ker', 'ji', 'nov', 'ath', 'ul', 'pri', 'zo', 'fen', 'gar', 'el', 'tu'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
const given = () => { const r = rnd(); return r < 0.6 ? pick(GIVEN) : r < 0.9 ? pick(GIVEN_WORDS) : invented(); };
const family = () => { const r = rnd(); return r < 0.5 ? pick(FAMILY) : r < 0.78 ? pick(FAMILY_WORDS) : r < 0.9 ? pick(FAMILY_EPONYMS) : invented(); };
const town = () => (chance(0.78) ? pick(TOWNS) : pick(TOWN_WORDS));
/** A name as typed inside a mixed-case note: mostly capitalised, sometimes in capitals or lower case. */
function typed(s: string): string {
  const r = rnd();
  return r < 0.6 ? s : r < 0.8 ? s.toUpperCase() : s.toLowerCase();
}
const N = (s: string): Piece => ['NAME', typed(s)];
const L = (s: string): Piece => ['LOCATION', s];

// Hospitals: a full name and the initials a note uses for it afterwards ("Merrimack Valley Hospital", "MVH").
const HOSP_HEADS = ['Merrimack Valley', 'North Shore', 'South Shore', 'Good Samaritan', 'Holy Family', 'Holy Redeemer', 'Mercy', 'Heywood', 'Anna Jaques', 'Morton', 'Sturdy', 'Clinton', 'Nashoba Valley', 'Henry Heywood', 'Caritas Norwood', 'Metro West', 'Blackstone Valley', 'Quincy', 'Whidden', 'Melrose-Wakefield'];
const HOSP_TAILS = ['Hospital', 'Medical Center', 'General Hospital', 'Regional Medical Center', 'Memorial Hospital', 'Community Hospital'];
function hospital(): [full: string, short: string] {
  const r = rnd();
  const head = r < 0.45 ? pick(HOSP_HEADS) : r < 0.8 ? town() : r < 0.9 ? `St. ${pick(SAINTS)}'s` : `${family()}`;
  const full = head.startsWith('St.') && chance(0.5) ? head : `${head} ${pick(HOSP_TAILS)}`;
  const short = full.replace(/'s\b/g, '').split(/[\s-]+/).filter((w) => w !== 'of').map((w) => (w === 'St.' ? 'S' : w[0]!)).join('').toUpperCase();
  return [full, short];
}
const FAC_FORMS: Array<() => string> = [
  () => `${town()} Rehab`,
  () => `${town()} Nursing and Rehab Center`,
  () => `${family()} Manor`,
  () => `${pick(['Pine Knoll', 'Brookside', 'Fairlawn', 'Maplewood', 'Stonehedge', 'Blueberry Hill', 'Willow Crest', 'Harbor House', 'Sachem', 'Oak Hill', 'Birchwood', 'Cedar View'])} ${pick(['Rehab', 'Nursing Center', 'Nursing Home', 'Healthcare', 'Skilled Nursing'])}`,
  () => `Wingate at ${town()}`,
  () => `Life Care Center of ${town()}`,
  () => `Kindred ${town()}`,
  () => `the ${family()} House`,
  () => `${town()} Assisted Living`,
];
const facility = () => pick(FAC_FORMS)();
const ORGS = ['MassHealth', 'Medicare', 'Tufts Health Plan', 'Harvard Pilgrim', 'BCBS', 'Neighborhood Health Plan', 'Elder Services of the Merrimack Valley', 'Greater Lynn Senior Services', 'VNA of Greater Lowell', 'Hospice of the North Shore', 'Meals on Wheels', 'Fallon Community Health', 'Senior Whole Health', 'Evercare'];

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function monthDay(): string {
  const m = int(1, 12);
  const d = int(1, 30);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return pick([`${m}/${d}`, `${m}/${d}`, `${m}/${d}`, `${p2(m)}/${p2(d)}`, `${MON[m - 1]} ${d}`, `${MON[m - 1]}. ${d}`, `${MONTHS[m - 1]} ${d}`, `${m}-${d}`, `${m}/${d}/${p2(int(0, 99))}`, `${MONTHS[m - 1]} ${d}th`]);
}
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tues', 'Wed', 'Thurs', 'Fri', 'Sat', 'Sun'];
const twoDigitYear = () => String(int(0, 99)).padStart(2, '0');
const area = () => `${int(2, 9)}${digits(2)}`;
function phone(): string {
  const a = area();
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  const base = pick([`${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `(${a}) ${b} ${c}`, `${a}/${b}/${c}`, `${b}-${c}`, `${b} ${c}`, `${a}.${b}.${c}`]);
  return chance(0.15) ? `${base} ${pick(['x', 'ext ', 'ext. ', 'x '])}${digits(int(3, 4))}` : base;
}
/** A pager's number: "4-1234", "41234", "#12345" ("#" outside the span). */
const pagerNumber = () => pick([`${int(1, 9)}-${digits(4)}`, `${int(1, 9)}-${digits(4)}`, digits(5), `${digits(3)}-${digits(4)}`, digits(4)]);
const PAGER_WORDS = ['pgr', 'pager', 'beeper', 'bpr', 'p', 'pg', 'page at', 'pager #', 'beeper #', 'p#'];
const oldAge = () => String(int(90, 103));
const youngAge = () => String(int(19, 89));
const mrn = () => pick([digits(7), digits(8), `${digits(3)}-${digits(2)}-${digits(2)}`, `${digits(2)}-${digits(3)}-${digits(3)}`]);

// --- per-note state: the note's hospital, named again by its initials ---------------------------------------

let noteHospital: [string, string] | undefined;
function hosp(): Piece[] {
  noteHospital = hospital();
  return [L(noteHospital[0])];
}
function hospShort(): Piece[] {
  const h = noteHospital ?? hospital();
  noteHospital = h;
  return [L(h[1])];
}

// --- the template language: "{key}" in a frame is one of these; everything else is plain text -----------

const REL = ['wife', 'husband', 'dtr', 'daughter', 'son', 'sister', 'brother', 'niece', 'nephew', 'grandson', 'granddaughter', 'sister-in-law', 'daughter-in-law', 'son-in-law', 'friend', 'neighbor', 'HCP', 'partner', 'sis', 'bro', 'step-son', 'cousin', 'fiance'];
const TITLES = ['Dr.', 'Dr', 'dr', 'DR.', 'Dr.'];
const ROLES = ['resident', 'intern', 'fellow', 'NP', 'PA', 'attending', 'RN', 'charge RN', 'renal fellow', 'ID fellow', 'surgery resident', 'CT surgery PA', 'covering MD', 'night float', 'SW', 'CM', 'chaplain', 'PT'];

const keys: Record<string, () => Piece[]> = {
  rel: () => [pick(REL)],
  rn: () => [N(given())],
  rfull: () => [N(chance(0.5) ? `${given()} ${family()}` : given())],
  dr: () => [pick(TITLES), ' ', N(family())],
  drfull: () => [pick(TITLES), ' ', N(chance(0.5) ? `${given()} ${family()}` : family())],
  team: () => [pick(['fellow', 'resident', 'attending', 'NP', 'team', 'PA']), ' ', N(chance(0.4) ? `${given()} ${family()}` : family())],
  role: () => { const r = pick(ROLES); return [r, ' ', N(chance(0.45) ? `${given()} ${family()}` : given())]; },
  full: () => [N(`${given()} ${family()}`)],
  first: () => [N(given())],
  last: () => [N(family())],
  mr: () => [pick(['Mr.', 'Mrs.', 'Ms.', 'Mr', 'Mrs']), ' ', N(family())],
  hosp,
  hshort: hospShort,
  // "the" before a home's name is no part of it ("the Driscoll House").
  fac: () => { const f = facility(); return f.startsWith('the ') ? ['the ', L(f.slice(4))] : [L(f)]; },
  dial: () => [L(`${town()} ${pick(['Dialysis', 'Dialysis Center', 'Kidney Center'])}`)],
  town: () => [L(town())],
  org: () => [['ORGANIZATION', pick(ORGS)]],
  md: () => [['DATE', monthDay()]],
  wd: () => [['DATE', pick(WEEKDAYS), false]],
  yy: () => ["'", ['DATE', twoDigitYear()]],
  old: () => { const a = oldAge(); return pick<Piece[]>([[['AGE', a], ' y/o'], [['AGE', a], 'yo'], [['AGE', a], ' year old'], [['AGE', a], pick(['F', 'M'])], ['age ', ['AGE', a]], [['AGE', a], ' yo'], [['AGE', a], ' y.o.']]); },
  age: () => { const a = youngAge(); return pick<Piece[]>([[['AGE', a, false], ' y/o'], [['AGE', a, false], 'yo'], [['AGE', a, false], ' year old'], [['AGE', a, false], pick(['F', 'M'])], [['AGE', a, false], ' yo']]); },
  oldn: () => [['AGE', oldAge()]],
  rels: () => [pick(['dtrs', 'daughters', 'sons', 'sisters', 'brothers', 'nieces', 'grandsons', 'granddaughters'])],
  mdrange: () => { const m = int(1, 11); const d = int(1, 28); return pick<Piece[]>([[['DATE', `${m}/${d}`], '-', ['DATE', `${m}/${d + int(1, 3)}`]], [['DATE', `${m}/${d}`], '-', ['DATE', `${m + 1}/${int(1, 28)}`]], [['DATE', `${MON[m - 1]} ${d}`], '-', ['DATE', `${d + int(1, 3)}`]]]); },
  anyAge: () => (chance(0.3) ? keys.old!() : keys.age!()),
  ph: () => [['PHONE', phone()]],
  fax: () => [pick(['fax', 'Fax', 'FAX', 'fax #', 'f']), ' ', ['PHONE', phone()]],
  pg: () => { const w = pick(PAGER_WORDS); return [w, w.endsWith('#') ? '' : ' ', ['PHONE', pagerNumber()]]; },
  // An extension alone ("LCSW, x890") is neutral: clinical-notes-e leaves it unmarked, this set marked it at first.
  ext: () => [['PHONE', digits(int(3, 4)), false]],
  pgn: () => [['PHONE', pagerNumber()]],
  mrnn: () => [['MRN', mrn()]],
  mom: () => [pick(['Mom', 'Dad', 'Ma', 'Mother', 'Pop', 'He', 'She'])],
  mrn: () => [pick(['MR#', 'MRN', 'unit #', 'MR #', 'Med Rec #']), ' ', ['MRN', mrn()]],
  // vocabulary that looks like PHI and is none
  hr: () => [`${pick(['HR', 'hr', 'HR', 'P'])} ${int(6, 12)}0-${int(10, 14)}0s`],
  sbp: () => { const lo = int(8, 13); return [`${pick(['SBP', 'sbp', 'BP', 'SBPs'])} ${lo}0-${lo + int(1, 3)}0${pick(['s', '', 's'])}`]; },
  bp: () => [`${int(85, 170)}/${int(40, 95)}`],
  vol: () => [`${int(1, 6)}0-${int(4, 9)}0${pick(['cc', 'cc/hr', 'ml/hr', 'cc'])}`],
  shift: () => [pick(['1900-0700', '0700-1900', '7p-7a', '7a-7p', '1500-2300', '2300-0700', '0700-1500', '19-07', '7a-3p'])],
  time: () => [pick(['0100', '0200', '0230', '0300', '0345', '0400', '0500', '0530', '0600', '2100', '2200', '2330', '1400', '1015', '1630'])],
  pain: () => [`${int(0, 10)}/10`],
  drip: () => [pick(['neo', 'levophed', 'levo', 'dopa', 'dopamine', 'propofol', 'fentanyl', 'versed', 'heparin', 'insulin', 'nitro', 'nipride', 'esmolol', 'dilt', 'amio', 'precedex', 'vasopressin', 'lasix', 'milrinone', 'dobutamine'])],
  io: () => [pick([`+${int(2, 30)}00cc`, `-${int(2, 15)}00cc`, `${int(1, 4)}.${digits(1)}L/${int(1, 3)}.${digits(1)}L`, `${int(8, 30)}00/${int(5, 25)}00`, `+${int(1, 5)}.${digits(1)}L`])],
};
function T(frame: string): Piece[] {
  const out: Piece[] = [];
  for (const part of frame.split(/(\{\w+\})/)) {
    if (!part) continue;
    const m = /^\{(\w+)\}$/.exec(part);
    if (!m) { out.push(part); continue; }
    const g = keys[m[1]!];
    if (!g) throw new Error(`no key ${m[1]}`);
    out.push(...g());
  }
  return out;
}

// --- nursing progress notes: frames per system, plain (no PHI) and with PHI ----------------------------------

interface Frames { heads: string[]; plain: string[]; phi: string[] }
const NEURO: Frames = {
  heads: ['Neuro', 'NEURO', 'neuro', 'Neuro/MS', 'N'],
  plain: [
    'Pt A+Ox3, MAE, follows commands. PERRL 3mm brisk.',
    'Sedated on propofol {vol} then titrated to 30mcg/kg/min, opens eyes to voice, not following commands consistently. RASS -2.',
    'Pt restless at times overnight, pulling at lines, haldol 2mg IV x2 w/ fair effect, soft wrist restraints on.',
    'c/o HA {pain}, tylenol 650mg PO given w/ relief.',
    'Grasps strong bilat, strength 4/5 LUE, 3/5 LLE, 5/5 on R.',
    'GCS 10T. Pupils 2mm sluggish. Cough/gag intact. +Babinski on L.',
    'Fentanyl gtt @ 50mcg/hr, versed @ 2mg/hr, pt appears comfortable, nods appropriately to questions.',
    'Alert, calm and cooperative. Denies pain. OOB to chair x2 hrs, tol well.',
    'CIWA 12-15 overnight, ativan 1mg IV q2h prn, last dose at {time}.',
    'Pain controlled w/ dilaudid PCA 0.2mg q10min, using appropriately, pain {pain} at rest, {pain} w/ turning.',
    'Will cont to monitor neuro status q1h, neuro checks unchanged.',
    'Hope to lighten sedation in am for neuro exam.',
    'Pt oriented to person only, pleasantly confused, reoriented frequently. Sundowning after {time}.',
    'MAE weakly, unable to lift legs off bed. Neg Romberg per PT earlier.',
    'Precedex @ 0.4mcg/kg/hr, pt arousable, following simple commands, calm.',
    'Seizure precautions maintained, no sz activity noted. Dilantin level 14.2.',
    'Pt c/o incisional pain {pain}, percocet 1 tab w/ good effect, states pain now {pain}.',
    'Neuro unchanged from previous shift. Speech clear, nonfocal.',
  ],
  phi: [
    'Per {rel} {rn} pt is HOH at baseline and uses hearing aids, which are at bedside.',
    'Pt oriented to self only, calling out for {rel} {rn} frequently, calms w/ reassurance.',
    '{dr} in to eval for new L sided weakness, CT head neg, plan MRI in am.',
    'Neuro {team} aware of change in MS, {pg}.',
    'Pt states "I want to go home to {town}," easily redirected.',
    'Pt knows he is at the hospital, thinks it is {md}, otherwise oriented.',
  ],
};
const CV: Frames = {
  heads: ['CV', 'C/V', 'cv', 'Cardiac', 'CARDIAC'],
  plain: [
    '{hr} NSR, no ectopy noted. {sbp}.',
    'AFib w/ RVR 120-140s at {time}, lopressor 5mg IV x3, now rate 90-100s.',
    'Neo gtt titrated 0.5-1.5mcg/kg/min to keep MAP >60, currently at 0.8.',
    'Levophed @ 0.08mcg/kg/min, weaned to 0.04 by {time}, MAPs 65-75.',
    'K 3.4 repleted w/ 40meq KCL PO. Mg 1.7, 2gm mag sulfate IV given.',
    'Aline R radial w/ good waveform, cuff pressures 10-15 pts higher. BP {bp}.',
    'Swan PA 45/22, CVP 12-14, CO 4.2, CI 2.3, SVR 1100.',
    'Pedal pulses by doppler bilat, feet cool to touch, cap refill <3 sec.',
    'Heparin gtt @ 1100u/hr, PTT 68.2 at {time}, next PTT due 0800.',
    'Hct 24.8, transfused 1u PRBC over 2hrs, post Hct pending.',
    'Edema 2+ bilat LE, 1+ UE, generalized anasarca.',
    'SBP dropped to 80s after propofol bolus, 500cc NS bolus given w/ good response, {sbp}.',
    'Nitro gtt @ 1mcg/kg/min for SBP >140, {sbp} since.',
    'Paced at 80 via epicardial wires, VVI, underlying rhythm SB 50s. Wires capped.',
    'Heart sounds S1S2, 2/6 SEM at LSB. Denies CP.',
    'Dilt gtt 10mg/hr, HR 90-110 AF. Amio load started at {time}.',
    'Neg Homan sign bilat, pneumoboots on.',
    'Troponin 0.12 -> 0.34, CK 410. EKG unchanged, cards aware.',
  ],
  phi: [
    'Cardiology {team} aware, no new orders. Recheck lytes at {time}.',
    'Baseline EF 25% per records from {hosp}.',
    'Hx CAD s/p CABG {yy}, AVR {yy}, PPM placed {md}.',
    'Echo done {md} showed EF 30-35%, mod MR.',
    '{dr} notified of HR 140s, ordered lopressor 5mg IV, given at {time}.',
    'Pt s/p MI in {yy} w/ stent to LAD at {hshort}.',
  ],
};
const RESP: Frames = {
  heads: ['Resp', 'RESP', 'resp', 'Pulm', 'Respiratory'],
  plain: [
    'Vent AC 500x14, PEEP 5, FiO2 40%. ABG 7.41/38/102/24.',
    'Remains on CPAP+PSV 10/5, 40%, RR 18-24, TV 400-500s.',
    'LS coarse bilat, diminished at bases. Sx q2-3h for mod amt thick tan secretions.',
    'Extubated at {time} to 4L NC, sats 94-97%, strong cough.',
    'RSBI 62 this am, SBT x30min tol well, back to AC for rest overnight.',
    'Sats 88-92% on 6L NC + 50% face tent, CXR shows bilat infiltrates, Kerley B lines.',
    'Albuterol/atrovent nebs q4h by RT. Wheezes post neb improved.',
    'Trach #8 Portex, site clean, on trach mask 35% FiO2, humidified.',
    'Cuff leak present. Plan to extubate in am if ok w/ team.',
    'Pt c/o SOB at {time}, RR 30s, lasix 40mg IV given w/ 800cc UO, resp status improved.',
    'Vent changes: PEEP increased to 10, FiO2 weaned 60 to 50%. ABG 7.32/48/78.',
    'Bipap 12/5 overnight, pt tolerating, sats mid 90s.',
    'Suctioned via ETT for small amts white secretions. ETT 7.5 secured at 23 at lip.',
    'BS clear upper lobes, crackles at bases. IS x10/hr encouraged, pulling 750.',
    'CT to -20 sx, no airleak, draining serosang 20-30cc/hr.',
  ],
  phi: [
    'Pulm {team} in to bronch at {time}, BAL sent.',
    '{dr} aware of increased O2 requirement, CXR done.',
    'Pt intubated at {hosp} on {md} for resp failure, transferred here intubated.',
    'Home O2 2L via {org}.',
  ],
};
const GI: Frames = {
  heads: ['GI', 'gi', 'GI/Nutr', 'Abd'],
  plain: [
    'Abd soft, distended, +BS. No BM this shift. Colace/senna given.',
    'TF Impact w/ fiber @ 40cc/hr via OGT, goal 60, residuals <30cc.',
    'NPO after MN for possible ERCP in am.',
    'Dobhoff placed, position confirmed by KUB. Flexiseal draining loose brown stool 300cc.',
    'Tol clear liquids, advance diet as tol.',
    'LFTs trending up, ALT 245, AST 310, Tbili 3.2.',
    'OGT to LCWS draining 200cc bilious.',
    'Guaiac neg black stool x1, Hct stable. Protonix gtt @ 8mg/hr.',
    'Pt tolerating POs, ate 50% of dinner. Nausea x1, zofran 4mg IV w/ effect.',
    'Ostomy w/ small amt green liquid stool, stoma pink and moist.',
    'Abd firm, pt c/o cramping {pain}, KUB done, surg aware.',
  ],
  phi: [
    'GI {team} aware of melena, plan EGD in am.',
    'Pt had Whipple at {hosp} in {yy}, per {rel} {rn}.',
  ],
};
const GU: Frames = {
  heads: ['GU', 'gu', 'Renal', 'GU/Renal'],
  plain: [
    'Foley patent draining clear yellow urine {vol}.',
    'UO marginal 15-20cc/hr, lasix 20mg IV w/ fair response.',
    'Cr 2.1 up from 1.8, renal following. BUN 48.',
    'CVVH running, fluid removal goal -100cc/hr, replacement fluid per protocol.',
    'I/O: {io} this shift, 24hr I/O {io}, LOS +8.4L.',
    'I/O since MN {io}.',
    'Foley d/cd at {time}, due to void by {time}.',
    'Amber urine, sediment noted, UA/UCx sent.',
    'HD today, 2.5L removed, tolerated well. R IJ quinton site D+I.',
  ],
  phi: [
    'Renal {team} aware of UO, no new orders.',
    'Pt usually dialyzed at {dial} MWF, per {rel}.',
  ],
};
const ID: Frames = {
  heads: ['ID', 'id', 'Inf'],
  plain: [
    'Tmax 101.4 po, cultured x2, UA/UCx sent. WBC 14.2.',
    'On vanco 1gm IV q12h, zosyn 3.375gm q6h. Vanco trough 18.2.',
    'Afebrile, WBC 9.8. MRSA screen sent.',
    'C diff neg x1, 2nd sample pending. Contact precautions maintained.',
    'Tmax 99.8, BCx 2/4 GPC in clusters from {md}.',
    'Abx: cefepime day 4/7, flagyl day 2.',
  ],
  phi: [
    'ID {team} following, recs to d/c zosyn.',
  ],
};
const SKIN: Frames = {
  heads: ['Skin', 'SKIN', 'skin', 'Integ'],
  plain: [
    'Coccyx stage II, duoderm applied. Turned q2h, on kinair bed.',
    'Sternal incision OTA, CDI. L leg EVH site w/ small amt serous drainage.',
    'Multiple ecchymosis on arms. Skin otherwise intact.',
    'JP drain x2 to bulb suction, 30cc serosang total.',
    'Heels boggy, waffle boots on. Skin tear L forearm, xeroform and kerlix.',
    'Hickman line site C/D/I, dsg changed.',
    'Pt repositioned q2h, HOB >30, reverse Trendelenburg for skin/resp.',
  ],
  phi: [
    'Wound care RN {first} in to see coccyx, recs followed.',
  ],
};
const ENDO: Frames = {
  heads: ['Endo', 'ENDO', 'endo'],
  plain: [
    'FS BS 140-180s, insulin gtt @ 3u/hr per protocol.',
    'RISS coverage, BS 212 at 2100 covered w/ 6u humalog.',
    'BS 60 at {time}, 1 amp D50 given, recheck 132.',
    'Lantus 20u at HS, FS qid.',
  ],
  phi: [],
};
const SOCIAL: Frames = {
  heads: ['Social', 'SOCIAL', 'social', 'Soc', 'Family'],
  plain: [
    'No calls from family this shift.',
    'Pt is full code. Family aware of plan of care.',
    'Family in to visit, updated at bedside, questions answered.',
    'Pt lives alone, indep w/ ADLs prior to admit. SW following.',
    'Pt is DNR/DNI, code status confirmed w/ HCP.',
  ],
  phi: [
    '{rel} {rn} in to visit this evening, updated by RN and {dr}.',
    '{rel} {rn} called x2 overnight, updated on condition. Can be reached at {ph}.',
    'Family in to visit - {rel} {rn} and {rel} {rn}. Questions answered.',
    'Pt is full code. HCP is {rel} {rn} ({ph}).',
    'Pt lives w/ {rel} in {town}, indep w/ ADLs prior to admit.',
    "Pt's {rel} {rfull} is HCP, lives in {town}, cell {ph}.",
    '{rel} {rn} wants to be called w/ any changes, home # {ph}, work {ph}.',
    'SW following, family mtg planned for {wd} {md} at 1400.',
    '{rel} {rn} called from {town}, will be in tomorrow. Phone {ph}.',
    'Pt wife {rn} and son {rn} visited, very supportive.',
    '{rel} {rn} here all evening, spoke w/ {dr} re: plan.',
    'Pt is a retired mill worker from {town}, married to {rn} x60 yrs.',
  ],
};
const PLAN: Frames = {
  heads: ['Plan', 'PLAN', 'plan', 'Dispo', 'A/P'],
  plain: [
    'Cont current plan, monitor hemodynamics, wean vent as tol.',
    'Plan transfer to floor when bed avail.',
    'Cont to wean neo to keep MAP >60. Check lytes at {time}. Support pt/family.',
    'Cont abx, f/u cultures, pulm toilet, advance TF to goal.',
    'Awaiting rehab screening, CM aware.',
    'Maintain safety, fall precautions, call bell within reach.',
  ],
  phi: [
    'Awaiting rehab screen, {fac} to eval on {md}.',
    'Plan to return to {fac} when medically stable.',
    'Pt to be transferred back to {hshort} in am, report to be called to RN there.',
    'Dispo: ? rehab vs {fac}, CM aware.',
    'Transfer to {hshort} pending bed, accepting {dr}.',
    'Plan for trach/PEG {md}, then screen for LTAC ({fac}).',
  ],
};
const SYSTEMS = [NEURO, CV, RESP, GI, GU, ID, SKIN, ENDO, SOCIAL, PLAN];

let lengthFactor = 1;
const sentences = (f: Frames, p: number, lo: number, hi: number): Piece[] => {
  const out: Piece[] = [];
  const n = Math.max(1, Math.round(int(lo, hi) * lengthFactor));
  const plain = some(f.plain, n, n);
  for (let i = 0; i < n; i++) {
    const usePhi = f.phi.length > 0 && chance(p);
    out.push(...(i ? [' '] : []), ...T(usePhi ? pick(f.phi) : (plain[i] ?? pick(f.plain))));
  }
  return out;
};
const ADMIT = [
  'Pt is a {anyAge} w/ hx CAD, DM2, HTN, s/p CABG {yy}, transferred from {hshort} for cath.',
  'Pt is {oldn} y/o F admitted from {fac} on {md} w/ urosepsis, hypotension.',
  '{anyAge} woman from {fac} found unresponsive by staff, intubated in ED at {hosp}, transferred here {md}.',
  'Pt is a {anyAge} s/p fall at home in {town}, + ETOH, SDH on CT.',
  'Briefly, {anyAge} w/ COPD on home O2, admitted {md} w/ resp distress, intubated in EW.',
  '{mr} is a {anyAge} admitted for GI bleed, EGD {md} showed duodenal ulcer.',
  'Pt is a {anyAge} w/ ESRD on HD, CHF (EF 20%), PVD, admitted w/ hyperkalemia.',
  'Pt transferred from {hosp} on {md} w/ STEMI, s/p cath w/ stent to RCA.',
  'Pt is a {anyAge} w/ ETOH abuse, pancreatitis, admitted via EW.',
];
const NURSE_HEADS = ['NPN {shift}', 'Nursing Progress Note {shift}', 'MICU NSG NOTE', 'CCU Nursing Progress Note', 'T/SICU NPN {shift}', 'NSG PROGRESS NOTE', 'Nursing note, {shift}', 'MICU/SICU NURSING PROGRESS NOTE', 'Respiratory/Nursing note', ''];
function signOff(): Piece[] {
  return pick<() => Piece[]>([
    () => [],
    () => [],
    () => T('{full}, RN'),
    () => T('-- {first} RN'),
    () => T('{first} {last} RN/BSN'),
    () => T('see flowsheet for details. {full} RN'),
  ])();
}
/** An ICU nursing progress note: heads on their lines, or run together in one paragraph. */
function nursing(p: number): Piece[] {
  const ps: Piece[] = [];
  const head = pick(NURSE_HEADS);
  if (head) ps.push(...T(head), '\n');
  if (chance(0.6)) ps.push(...T(pick(ADMIT)), '\n');
  const runOn = chance(0.35);
  const sep = pick([':', ':', '-', ';', ' -', ':']);
  const systems = SYSTEMS.filter((f) => f === NEURO || f === CV || f === RESP || chance(0.75));
  systems.forEach((f, i) => {
    ps.push(...(i ? [runOn ? ' ' : '\n'] : []), `${pick(f.heads)}${sep} `, ...sentences(f, p, 1, 3));
  });
  const s = signOff();
  if (s.length) ps.push('\n', ...s);
  return ps;
}
/** A shift narrative without heads: times and events. */
function narrative(p: number): Piece[] {
  const ps: Piece[] = [];
  if (chance(0.5)) ps.push(...T(pick(NURSE_HEADS) || 'NPN'), '\n');
  const pool = some(SYSTEMS, 4, 7);
  const parts: Piece[][] = pool.map((f) => sentences(f, p * 1.5, 1, 2));
  const starts = ['At {time} ', 'Around {time} ', '{time}: ', '', '', 'Overnight ', 'This am '];
  parts.forEach((x, i) => ps.push(...(i ? [' '] : []), ...(chance(0.3) ? T(pick(starts)) : []), ...x));
  const s = signOff();
  if (s.length) ps.push('\n', ...s);
  return ps;
}

// --- social work, case management, events, family meetings, addenda ------------------------------------------

const SW_OPEN = [
  'Social Work Initial Assessment',
  'SOCIAL WORK NOTE',
  'SW Follow-up',
  'Social Work: psychosocial assessment',
  'Clinical Social Work Progress Note',
];
const SW_BODY = [
  'Pt is a {oldn} y/o widow from {town}, admitted {md} from {fac} w/ pneumonia.',
  'Pt is a {anyAge}, married, lives w/ his wife {rn} in a 2 family home in {town}.',
  'Met w/ pt\'s {rel} {rfull} and {rel} {rn} at bedside for 45 min.',
  'SW met with family in the MICU family room. Present: {rel} {rn}, {rel} {rn}.',
  'Pt was living alone in an apartment in {town}, w/ VNA 2x/wk through {org}.',
  '{rn} ({rel}) is HCP; proxy form on chart. Contact: {ph} (h), {ph} (c).',
  "Pt's PCP is {drfull} at {hosp}.",
  'Insurance: {org} and {org}. Pt receives SSDI.',
  'Pt has an elder services case manager, {full}, at {org}, {ph}.',
  'Family reports pt was "sharp as a tack" until {md}, then decline.',
  'Pt is a veteran, served in Korea; VA benefits being explored.',
  'Family is Catholic and asking for the priest; chaplain {first} paged.',
  'Pt\'s faith is important to her and family requests sacrament of the sick.',
  'Coping: {rel} tearful, overwhelmed, expresses hope that pt will recover. Support provided.',
  'Pt has hx ETOH abuse, last drink {md} per {rel}. AA in {town} in the past.',
  'Guardianship may be needed, no HCP; {rel} {rn} lives out of state ({town}).',
  'Pt\'s {rel} {rn} works at {hosp} and will be primary contact.',
  'Transportation: {rel} drives; pt used The Ride.',
  'Pt and wife moved here from {town} in {yy}.',
  'Plan: SW will cont to follow for support and d/c planning.',
  'Emotional support provided, family given SW contact info.',
  'Referral to {org} for home services made.',
  'Pt is alert but confused, unable to participate in assessment.',
  'Will follow up w/ family re: long term planning.',
  'Pt\'s family is supportive and involved; no safety concerns identified.',
  'Discussed role of SW and provided emotional support to pt.',
  'Pt denies SI/HI, reports mood as "ok", sleep poor in unit.',
  'Pt has no advance directives on file; discussed HCP form, pt to consider.',
  'No financial concerns voiced at this time.',
];
const SW_SIGN = [
  '{full}, LICSW {pg}',
  '{full}, LCSW, x{ext}',
  '{first} {last} MSW, {pg}',
  'SW {first}, {pg}',
  '{full}, MSW / ext. {ext}',
];
function socialWork(): Piece[] {
  const ps: Piece[] = [...T(pick(SW_OPEN)), '\n'];
  const body = some(SW_BODY, Math.round(4 * lengthFactor), Math.round(8 * lengthFactor) + 1);
  body.forEach((b, i) => ps.push(...(i ? [chance(0.6) ? ' ' : '\n'] : []), ...T(b)));
  ps.push('\n', ...T(pick(SW_SIGN)));
  return ps;
}
const CM_OPEN = ['Case Management Note', 'CM/DC Planning', 'D/C PLANNING NOTE', 'Discharge Planning', 'Case Mgmt', 'RN Case Manager note'];
const CM_BODY = [
  'Referrals faxed to {fac}, {fac} and {fac}.',
  '{fac} accepted pt, bed available {md}.',
  'Spoke w/ admissions at {fac}, {full}, {ph}, fax {ph}.',
  'Admissions coordinator {first} at {fac} ({ph}) to screen pt {wd}.',
  '{rel} {rn} prefers {fac} as it is close to her home in {town}.',
  'Insurance {org}, auth # pending, CM to call {org} at {ph}.',
  'Pt screened by {fac} liaison on {md}, not accepted at this time, needs 24hr care.',
  'Family touring {fac} and {fac} this wknd.',
  'Anticipate d/c to rehab {mdrange} if stable.',
  'Pt was at {fac} from {md} to {md}, then home w/ VNA.',
  'Pt needs LTAC for vent wean; {fac} and {fac} (Kindred) referred.',
  'Ambulance booked for {time}, paperwork faxed to {fax}.',
  'CM can be reached at {pg} or {ph}.',
  'Will need walker and commode at home; DME ordered via {org}.',
  'Pt to return to {hosp} for f/u w/ {dr} on {md}, {ph}.',
  'Pt had been at {hosp} ({hshort}) {md} to {md} w/ CHF.',
  'Pt transferred to {hshort} on {md} for cardiac surgery eval.',
  'Home services: VNA 3x/wk, PT/OT, HHA; family to provide 24hr supervision.',
  'Dtr {rn} ({ph}) and son {rn} ({ph}) in agreement with plan.',
  'Per PT pt needs max assist x2, recommends rehab. OT eval pending.',
  'Awaiting bed at {fac}. Called {ph}, left msg for {first}.',
  'Discussed w/ team at rounds, pt medically ready for d/c {wd}.',
  'Pt not yet medically stable for d/c; CM will follow.',
  'PT/OT consults placed, screening for acute rehab vs SNF.',
  'Pt uses a walker at baseline, needs assist of 1 for transfers.',
  'Pt has 3 skilled days remaining; Medicare A qualifying stay met.',
  'Pt needs IV abx x6wks via PICC, will need infusion company.',
  'Chart reviewed, d/c planning needs assessed.',
];
const CM_SIGN = ['{full} RN, CM {pg}', '{full}, RN BSN Case Manager, beeper {pgn}', 'CM {first} {last} x{ext}', '{full} / CM / {ph}', '{first} (CM) {pg}'];
function caseManagement(): Piece[] {
  const ps: Piece[] = [...T(pick(CM_OPEN)), '\n'];
  const body = some(CM_BODY, Math.round(3 * lengthFactor), Math.round(7 * lengthFactor) + 1);
  body.forEach((b, i) => ps.push(...(i ? [chance(0.5) ? ' ' : '\n'] : []), ...(chance(0.2) ? ['- '] : []), ...T(b)));
  ps.push('\n', ...T(pick(CM_SIGN)));
  return ps;
}
const EV_OPEN = ['MICU Event Note', 'Resident Event Note', 'Night float event note', 'Critical Care Event Note', 'MICU ATTENDING ADDENDUM', 'Event:'];
const EV_BODY = [
  'Called to bedside at {time} for hypotension, SBP 70s, HR 120s.',
  'Pt given 2L NS bolus, started on levophed via R IJ, MAP now 65-70.',
  'Called by RN for desat to 82% on AC 450x16, PEEP 8, FiO2 60%.',
  'ABG 7.21/58/61, vent changed to AC 450x22, PEEP 12, FiO2 100%.',
  'CXR showed R PTX, CT placed by surgery at {time} w/ improvement.',
  'Pt went into VT at {time}, 1 shock 200J, ROSC after 2 min CPR, amio bolus + gtt.',
  'K 6.4, given calcium gluconate, insulin/D50, kayexalate; repeat K 5.2.',
  'Pt self-extubated at {time}, placed on NRB, sats 95%, did not require reintubation.',
  'HCT 21 from 27, 2u PRBC ordered, GI paged, protonix gtt started.',
  'Family notified - spoke with {rel} {rn} by phone at {ph}.',
  'Discussed with {rel} {rfull} who agrees w/ plan, DNR confirmed.',
  'Case d/w attending {drfull}.',
  'Attempted to call {rel} {rn} at {ph}, left message.',
  'Pt transferred from {hosp} ({hshort}) on {md} w/ pna.',
  'Per {hshort} records pt had similar episode {md}.',
  'Pt is {oldn} y/o, DNR/DNI per HCP.',
  'Pt expired at {time}. Family at bedside. {dr} (attending) notified. ME declined case.',
  'Autopsy declined by {rel} {rn}. Organ bank notified.',
  'Will cont to monitor closely, recheck lactate at {time}.',
  'Hope for extubation tomorrow if stable.',
  'Blood cx x2, UA, CXR sent; started vanco/zosyn.',
  'SBP 80-90s, MAP 55-60, UO 10-20cc/hr x3h. CVP 6.',
];
const EV_SIGN = ['{drfull}, PGY-2, {pg}', '{full} MD {pg}', '{first} {last}, MD', 'MICU resident {full} / {pg}', '{drfull} / night float / {pg}', '- {full}, MD (attending)'];
function events(): Piece[] {
  const ps: Piece[] = [...T(pick(EV_OPEN)), '\n'];
  const body = some(EV_BODY, Math.round(3 * lengthFactor), Math.round(6 * lengthFactor) + 1);
  body.forEach((b, i) => ps.push(...(i ? [chance(0.6) ? ' ' : '\n'] : []), ...T(b)));
  ps.push('\n', ...T(pick(EV_SIGN)));
  return ps;
}
const FM_OPEN = ['Family Meeting Note', 'FAMILY MEETING', 'Family mtg', 'Family Meeting {md}', 'MICU family meeting note'];
const FM_PRESENT = ['{rel} {rn}', 'wife {rn}', 'son {rn}', 'dtr {rn}', '{rel} {rfull}', '{rn} ({rel})', '{rels} {rn} and {rn}'];
const FM_STAFF = ['{dr} (MICU attending)', 'RN {first}', 'SW {full}', '{role}', 'chaplain {first}', '{drfull} (palliative care)', 'attending {dr}'];
const FM_BODY = [
  'Discussed pt\'s poor prognosis, multiorgan failure, worsening despite max support.',
  'Family understands pt would not want prolonged life support.',
  '{rel} {rn} states "{mom} would never want to live like this."',
  'Decision made to change code status to DNR/DNI, cont current care, no escalation.',
  'Family requests time for {rel} {rn} to arrive from {town}, expected {wd}.',
  'Plan to make CMO on {md} once family present.',
  'Questions answered. Family thanked team for care.',
  'Family hopeful, want full aggressive care for now; will readdress {md}.',
  '{rel} {rn} is HCP and spokesperson; can be reached at {ph}.',
  'Pt was at {fac} since {md}; {rel} feels pt had been declining since then.',
  'Also present by phone: {rel} {rn} ({ph}).',
  'Meeting lasted 60 min, >50% counseling.',
  'Reviewed hospital course: sepsis, ARDS, ARF on CVVH, now day 14 on vent.',
  'Options discussed: trach/PEG and LTAC vs comfort measures.',
  'Family will discuss among themselves and let team know by tomorrow.',
  'Pt unable to participate, intubated and sedated.',
  'Pt\'s {rel} asked whether pt can go back to {fac} w/ hospice.',
  'HCP form reviewed, original kept at {fac}.',
];
function familyMeeting(): Piece[] {
  const ps: Piece[] = [...T(pick(FM_OPEN)), '\n', pick(['Present: ', 'Present - ', 'In attendance: ', 'Attendees: '])];
  const who = [...some(FM_PRESENT, 2, 4), ...some(FM_STAFF, 1, 3)];
  who.forEach((w, i) => ps.push(...(i ? [', '] : []), ...T(w)));
  ps.push('.\n');
  const body = some(FM_BODY, Math.round(3 * lengthFactor), Math.round(6 * lengthFactor) + 1);
  body.forEach((b, i) => ps.push(...(i ? [chance(0.6) ? ' ' : '\n'] : []), ...T(b)));
  ps.push('\n', ...T(pick([...EV_SIGN, ...SW_SIGN])));
  return ps;
}
const SHORT = [
  'Addendum: {rel} {rn} called at {time}, updated on pt\'s condition. Phone {ph}.',
  'Addendum: pt transferred to {hshort} via {org} ambulance at {time}, report called to RN {first} at {ph}.',
  'Nursing addendum {time}: {dr} aware of SBP 80s, 250cc NS bolus given, SBP now 90-100s.',
  'Spoke with {rel} {rfull} by phone, all questions answered. Will call back {wd}.',
  'Pt\'s {rel} {rn} in from {town}, requesting update from team; {dr} paged {pg}.',
  'Family phone #s: {rel} {rn} {ph}, {rel} {rn} {ph}.',
  'Pt received from {hosp} at {time} via ambulance, on 4L NC, {hr}, {sbp}. MR# {mrnn}.',
  'Late entry for {md}: {rel} {rn} brought in pt\'s glasses and dentures.',
  'Addendum: lytes repleted, K 3.9, Mg 2.1. I/O {io}. Pain {pain}.',
  'Telephone note: {mr}\'s {rel} {rn} called asking about visiting hours; given unit number.',
  'Pt is {oldn}yo, very HOH, speaks Portuguese only; {rel} {rn} interprets ({ph}).',
  'Addendum: hand grasps 4/5 bilat, pain {pain}, HR 100-110, UO 30-40cc/hr over shift {shift}.',
];
function shortNote(p: number): Piece[] {
  const ps: Piece[] = [];
  const n = int(1, 3);
  for (let i = 0; i < n; i++) ps.push(...(i ? ['\n'] : []), ...T(pick(SHORT)));
  if (chance(0.4)) ps.push(' ', ...sentences(pick(SYSTEMS), p, 1, 2));
  const s = signOff();
  if (s.length) ps.push('\n', ...s);
  return ps;
}

// --- notes ---------------------------------------------------------------------------------------------------

type Case = 'upper' | 'mixed' | 'lower';
function setCase(pieces: Piece[], c: Case): Piece[] {
  const f = (s: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);
  return pieces.map((p) => (typeof p === 'string' ? f(p) : p.length === 3 ? [p[0], f(p[1]), false] : [p[0], f(p[1])]));
}
const KINDS: Array<[weight: number, make: (p: number) => Piece[], upper: number, lower: number]> = [
  [34, nursing, 0.3, 0.15], [12, narrative, 0.25, 0.2], [10, socialWork, 0.05, 0.1], [11, caseManagement, 0.1, 0.1],
  [14, events, 0.1, 0.15], [8, familyMeeting, 0.1, 0.1], [11, shortNote, 0.25, 0.2],
];
const COUNT = 400;
function note(k: number): Doc {
  const id = `clinical-g-${String(k + 1).padStart(4, '0')}`;
  // How often a nursing sentence carries PHI: none in a fifth of the notes, as in real shift notes.
  const p = chance(0.2) ? 0 : pick([0.03, 0.06, 0.1, 0.15, 0.2]);
  lengthFactor = pick([0.6, 1, 1, 1.4, 2]);
  noteHospital = undefined;
  let w = rnd() * KINDS.reduce((n, s) => n + s[0], 0);
  const [, make, upper, lower] = KINDS.find((s) => (w -= s[0]) < 0) ?? KINDS[0]!;
  const r = rnd();
  const merged: Piece[] = [];
  for (const x of make(p)) if (typeof x === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] = (merged[merged.length - 1] as string) + x; else merged.push(x);
  return build(id, setCase(merged, r < upper ? 'upper' : r < upper + lower ? 'lower' : 'mixed'));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const summary = writeDevSet('clinical-notes-g.jsonl', Array.from({ length: COUNT }, (_, k) => note(k)));
  process.stdout.write(`clinical-notes-g ${summary}; ${lexiconOverlap([...GIVEN, ...GIVEN_WORDS, ...FAMILY, ...FAMILY_WORDS, ...FAMILY_EPONYMS, ...TOWNS, ...TOWN_WORDS], false)}\n`);
}
