/**
 * `npm run data:clinical-d` (R-DATA-2): writes server/src/modules/redaction/data/clinical-notes-d.jsonl,
 * a fourth clinical development set of ICU and nursing progress notes, written before the engine was
 * run on it and apart from the three earlier generators: its note shapes, wording and surrogate lists
 * are its own, and its names and places are chosen mostly outside the engine's lexicon files
 * (`data/lexicons/*.txt`; the share that is inside them is printed), so that the set measures whether
 * the rules generalise rather than whether a list holds the name. Deterministic (seeded); formats and
 * labels as ../shared/data/phi/README.md; the lockbox split is the same hash of the id (`isLockbox`).
 *
 * What it imitates: de-identified ICU nursing notes as nurses type them, telegraphic and abbreviated,
 * in nine shapes (system by system under several spellings of the heads, Data/Action/Response focus
 * notes, free shift narratives, admission notes with a history, respiratory care notes, SOAP notes,
 * transfer notes, family-meeting notes, short addenda), each in ALL CAPS, mixed or all lower case:
 * vitals and ranges ("HR 80-90s", "SBP 120-130"), volumes and rates ("1500cc", "30-40cc/hr"), drips and
 * titrations, vent settings, ABGs and labs, I/O, shift times ("1900-0700", "7p-7a"), bare years, drugs,
 * devices and eponyms (Foley, Swan, Dobhoff, Yankauer, Trendelenburg), places inside the hospital ("to
 * CT", "from OSH", "to rehab"). PHI about one span a note: relatives and clinicians after relation words
 * and titles in every case ("wife MARTHA", "son joe", "dr brown", "resident ann lee"), "Mr./Mrs." and
 * the patient, names without a cue before a parenthesised relation or a role ("Joe (son)", "Sue RN"),
 * names that are common words ("Young", "Banks", "Hope", "Rose", "Grant"), invented names; hospitals,
 * their short forms and two- or three-letter abbreviations after "to", "at", "from", "transfer to",
 * nursing homes and rehabs, towns; month/day dates without a year ("3/14", "11/2"), apostrophe years
 * ("CABG '97"), some dates with a year; phones with slashes, spaces, dots or brackets; pager and beeper
 * numbers; MRNs; ages (over 89 scored, others `"scored": false`).
 * Gold conventions as the earlier sets: a title, relation word, "Mr." or "Mrs." is not part of the name;
 * "'97" marks "97"; a pager's word and "#" are not part of its number; hospitals, homes and towns are
 * LOCATION; weekdays are `"scored": false` DATE. Surrogates only: no real patient or number is meant.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(20261207);
const { pick, chance, int, digits } = draws(rnd);
const dec = (lo: number, hi: number) => `${int(lo, hi)}.${int(0, 9)}`;

// --- surrogates: lists of this generator -----------------------------------------------------------------

const GIVEN = ['Thelma', 'Agnes', 'Mildred', 'Wilbur', 'Clarence', 'Eugene', 'Winifred', 'Alphonse', 'Delphine', 'Rosalind', 'Ignatius', 'Casimir', 'Bogdan', 'Radek', 'Zofia', 'Wieslawa', 'Teodoro', 'Anselmo', 'Marisol', 'Yesenia', 'Xiomara', 'Thuy', 'Phuong', 'Huong', 'Minh', 'Quang', 'Anand', 'Deepa', 'Sunita', 'Rakesh', 'Oluwaseun', 'Chidi', 'Adaeze', 'Tendai', 'Abebe', 'Hagop', 'Armen', 'Anahit', 'Nikos', 'Eleni', 'Stavros', 'Ingrid', 'Sven', 'Leif', 'Aoife', 'Niamh', 'Ciaran', 'Oisin', 'Fergus', 'Lorraine', 'Dolores', 'Bernadette', 'Rosemarie', 'Norbert', 'Lucien', 'Armand', 'Yvette', 'Ginette', 'Reginald', 'Cornelius', 'Ozzie', 'Vern', 'Merle', 'Elmer', 'Orville', 'Myrtle', 'Hazel', 'Marvin', 'Delores', 'Shirley', 'Darlene', 'Tammy', 'Kristen', 'Shauna', 'Trent', 'Dwayne', 'Jamal', 'Keisha', 'Tyrone', 'Latoya', 'Sergei', 'Yuri', 'Svetlana', 'Kenji', 'Akiko', 'Haruto', 'Wen', 'Jian', 'Li', 'Mohammed', 'Samira', 'Yusuf', 'Ines', 'Joao', 'Fernanda'];
const GIVEN_WORDS = ['Hope', 'Rose', 'Grant', 'Sunny', 'Rusty', 'Misty', 'Crystal', 'Candy', 'Honey', 'Precious', 'Destiny', 'Heath', 'Clay', 'Chip', 'Buck', 'Skip', 'Sandy', 'Brandy', 'Penny', 'Ginger', 'Amber', 'Mercy', 'Patience', 'Royal', 'Rocky', 'Bud', 'Cookie', 'Lady', 'Sonny', 'Sky'];
const FAMILY = ['Szczepanski', 'Wojcik', 'Zielinski', 'Oyelaran', 'Adeyemi', 'Nwosu', 'Thorvaldsen', 'Halvorsen', 'Bergstrom', 'Lindqvist', 'Papadopoulos', 'Karamanlis', 'Vasquez', 'Quintanilla', 'Arellano', 'Villanueva', 'Dufresne', 'Boudreau', 'Marchetti', 'Lombardi', 'Esposito', 'Caruso', 'Pham', 'Truong', 'Huynh', 'Vo', 'Iyer', 'Raghavan', 'Chaudhry', 'Siddiqui', 'Abernathy', 'Whitcomb', 'Pettigrew', 'Hollingsworth', 'Ainsworth', 'Callahan', 'Flaherty', 'Gallagher', 'Mulcahy', 'Dunleavy', 'Kasprzak', 'Hakobyan', 'Petrosyan', 'Mirzoyan', 'Tanaka', 'Nakamura', 'Watanabe', 'Zhang', 'Liu', 'Huang', 'Obi', 'Mwangi', 'Kiplagat', 'Delacroix', 'Fontaine', 'Rasmussen', 'Jorgensen', 'Kuznetsov', 'Volkov', 'Baptista', 'Figueroa', 'Ybarra', 'Tucci', 'DeLuca', 'McAllister', 'MacKenzie', 'Pendergast', 'Ruggiero', 'Sorensen', 'Yilmaz'];
const FAMILY_WORDS = ['Young', 'Banks', 'Hope', 'Rose', 'Grant', 'Gamble', 'Church', 'Penny', 'Cash', 'Bliss', 'Speed', 'Story', 'Root', 'Temple', 'Pike', 'Burden', 'Coffin', 'Bone', 'Brown', 'Wise', 'Sweet', 'Rich', 'Bush', 'Fox', 'Cook', 'Carpenter', 'Mason', 'Baker', 'Gross', 'Hurt'];
const SYL = ['zo', 'bra', 'kel', 'tun', 'ami', 'vos', 'dre', 'quo', 'lin', 'sha', 'mek', 'oru', 'pel', 'tas', 'yar', 'nim', 'gro', 'fel', 'ush', 'riv'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
function given(): string {
  const r = rnd();
  return r < 0.6 ? pick(GIVEN) : r < 0.85 ? pick(GIVEN_WORDS) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.55 ? pick(FAMILY) : r < 0.85 ? pick(FAMILY_WORDS) : invented();
}
const fullName = () => `${given()} ${family()}`;

const TOWNS = ['Chicopee', 'Athol', 'Gardner', 'Fitchburg', 'Taunton', 'Attleboro', 'Wareham', 'Mashpee', 'Pittsfield', 'Holyoke', 'Agawam', 'Ludlow', 'Greenfield', 'Northampton', 'Rutland', 'Bennington', 'Keene', 'Nashua', 'Lewiston', 'Bangor', 'Biddeford', 'Woonsocket', 'Pawtucket', 'Cranston', 'Waterbury', 'Meriden', 'Torrington', 'Scranton', 'Altoona', 'Utica', 'Elmira', 'Orange', 'Sandwich', 'Harvard', 'Hull', 'Bourne', 'Sharon', 'Florence', 'Truro', 'Dennis'];
const townSuffix = ['ville', 'boro', 'ford', ' Center', 'field', 'ham'];
const town = () => (chance(0.8) ? pick(TOWNS) : invented() + pick(townSuffix));
const SAINTS = ['Agnes', 'Jude', 'Luke', 'Brigid', 'Anselm', 'Raphael', 'Clare', 'Vincent'];
/** Short forms that are clinical abbreviations too ("SDH", "ICH") are drawn again: the gold would contradict itself. */
const CLINICAL_SHORT = new Set(['SDH', 'ICH', 'SAH', 'CHF', 'GCS', 'AMS', 'BMS', 'CMH', 'PMH', 'OGH', 'HH', 'OH']);
/** A facility in full with the short forms notes write for it. */
function facility(): [full: string, short: string] {
  for (;;) {
    const f = facilityDraw();
    if (!CLINICAL_SHORT.has(f[1].toUpperCase())) return f;
  }
}
function facilityDraw(): [full: string, short: string] {
  const t = town();
  const f = family();
  const ini = (s: string) => s.split(/\s+/).map((w) => w[0]).join('').toUpperCase();
  const r = int(0, 8);
  if (r === 0) return [`${t} Hospital`, chance(0.5) ? `${t} Hosp` : `${t[0]}H`];
  if (r === 1) return [`${t} General Hospital`, chance(0.5) ? `${t} General` : `${t[0]}GH`];
  if (r === 2) return [`${f} Memorial Hospital`, chance(0.5) ? `${f} Memorial` : `${f[0]}MH`];
  if (r === 3) { const s = pick(SAINTS); return [`St. ${s}'s Hospital`, chance(0.5) ? `St ${s}'s` : `S${s[0]}H`]; }
  if (r === 4) return [`${t} Regional Medical Center`, `${t[0]}RMC`];
  if (r === 5) return [`${t} Rehab`, `${t} Rehab`];
  if (r === 6) return [`${f} Nursing Home`, `${f} NH`];
  if (r === 7) return [`${t} Medical Center`, chance(0.5) ? `${t} Med Ctr` : `${ini(t)}MC`];
  return [`${f} House`, `${f} House`];
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
function monthDay(): string {
  const m = int(1, 12);
  const d = int(1, 28);
  return pick([`${m}/${d}`, `${m}/${d}`, `${m}/${d}`, `${m}/${d}`, `${m}-${d}`, `${MON[m - 1]} ${d}`, `${MON[m - 1]}. ${d}th`, `${m}/${d}/${pick(['04', '05', '2005', '2006'])}`]);
}
const apYear = () => String(pick([int(71, 99), int(0, 6)])).padStart(2, '0');
function phone(): string {
  const a = pick(['413', '508', '774', '401', '860', '207']);
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`${a}/${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `${a}.${b}.${c}`, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${b}-${c}`, `${b} ${c}`, `${a}/${b}${c}`]);
}
const pagerNo = () => pick([digits(5), `${int(1, 9)}-${digits(4)}`, `${digits(2)}-${digits(3)}`, digits(4), `${digits(3)} ${digits(4)}`]);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// --- PHI phrases ---------------------------------------------------------------------------------------------

const N = (s: string): Piece => ['NAME', s];
const L = (s: string): Piece => ['LOCATION', s];
const D = (s: string): Piece => ['DATE', s];
const P = (s: string): Piece => ['PHONE', s];
const M = (s: string): Piece => ['MRN', s];
const A = (n: number): Piece => (n > 89 ? ['AGE', String(n)] : ['AGE', String(n), false]);
const REL = ['wife', 'husband', 'son', 'daughter', 'dtr', 'sister', 'brother', 'mother', 'niece', 'nephew', 'grandson', 'granddaughter', 'friend', 'neighbor', 'HCP', 'sister-in-law', 'son-in-law', 'cousin', 'partner', 'stepson', 'ex-wife', 'pt\'s wife', 'pt\'s son'];
const DOC = ['Dr.', 'Dr', 'dr', 'DR.', 'Dr.', 'dr.'];
const ROLE = ['resident', 'intern', 'fellow', 'attending', 'NP', 'PA', 'covering resident', 'cards fellow', 'renal fellow', 'surgical resident', 'night float'];
const relName = (): Piece[] => [`${pick(REL)} `, N(chance(0.2) ? fullName() : given())];
const docName = (): Piece[] => chance(0.75) ? [`${pick(DOC)} `, N(family())] : [`${pick(ROLE)} `, N(chance(0.5) ? fullName() : given())];

const familyPHI: Array<() => Piece[]> = [
  () => [...relName(), ` in to visit ${pick(['this evening', 'at 1900', 'most of day', 'briefly'])}, ${pick(['updated on POC', 'questions answered', 'very appropriate', 'tearful, support given'])}.`],
  () => [...relName(), ` called ${pick(['x2', 'overnight', 'at 0200', 'this am'])} for update.`],
  () => [`spoke w/ `, ...relName(), ` by phone, ${pick(['aware of plan', 'will be in tomorrow', 'agrees w/ DNR'])}.`],
  () => [N(given()), ` (${pick(['wife', 'son', 'dtr', 'HCP', 'niece'])}) at bedside, ${pick(['updated', 'staying overnight', 'helped w/ care'])}.`],
  () => [...relName(), ` is HCP, phone `, P(phone()), `.`],
  () => [`contact ${pick(REL)} `, N(given()), ` at `, P(phone()), ` ${pick(['w/ changes', 'if any questions', 'day or night'])}.`],
  () => [`${pick(['family', 'wife', 'son'])} requests call at `, P(phone()), ` w/ any change in status.`],
  () => [`Mr${pick(['.', ''])} `, N(family()), ` ${pick(['resting comfortably', 'more alert this shift', 'pulled at ETT x1'])}.`],
  () => [`Mrs${pick(['.', ''])} `, N(family()), ` ${pick(['c/o pain 6/10, medicated', 'slept in naps', 'anxious overnight'])}.`],
  () => [`pt lives w/ ${pick(['wife', 'husband', 'dtr', 'son'])} in `, L(town()), `, ${pick(['indep w/ ADLs', 'uses walker', 'retired machinist', 'former smoker'])}.`],
  () => [`family from `, L(town()), `, ${pick(['will be in tomorrow', 'driving in tonight', 'staying at hotel'])}.`],
  () => [`${pick(['visited by', 'seen by'])} ${pick(['priest', 'chaplain', 'pastor'])} ${pick(['Fr.', 'Rev.', 'Fr'])} `, N(family()), `.`],
];
const staffPHI: Array<() => Piece[]> = [
  () => [...docName(), ` ${pick(['aware', 'made aware', 'notified', 'at bedside'])}.`],
  () => [...docName(), ` notified of ${pick(['SBP 80s', 'HR 130s', 'UO 15cc/hr x2h', 'K 3.1', 'temp 101.6', 'desat to 86%'])}, ${pick(['NS bolus 500cc ordered', 'no new orders', 'will see pt', 'KCL 40meq ordered'])}.`],
  () => [`paged ${pick(DOC)} `, N(family()), ` at ${pick(['pgr', 'beeper', 'pager', 'bpr'])} `, P(pagerNo()), ` re: ${pick(['low UO', 'BP', 'agitation', 'new afib'])}.`],
  () => [`${pick(['covering MD', 'house officer', 'on call resident'])} paged ${pick(['@', 'at', 'to'])} ${pick(['pgr #', 'beeper #', 'pager ', 'x'])}`, P(pagerNo()), `, ${pick(['returned call', 'no answer, repaged', 'aware'])}.`],
  () => [`report ${pick(['given to', 'called to', 'rec\'d from'])} `, N(given()), ` ${pick(['RN', 'rn', 'RN on 7 West', 'in PACU'])}.`],
  () => [`per `, N(given()), ` ${pick(['in pharmacy', 'from IV team', 'RT', 'in blood bank'])}, ${pick(['dose adjusted', 'will recheck', 'units on hold'])}.`],
  () => [`d/w ${pick(DOC)} `, N(family()), ` ${pick(['(cards)', '(renal)', '(ID)', 'from neuro', 'of GI'])}, ${pick(['recs appreciated', 'will f/u in am', 'agrees w/ plan'])}.`],
  () => [`seen by ${pick(ROLE)} `, N(fullName()), `, ${pick(['orders written', 'CXR ordered', 'no changes'])}.`],
];
const placePHI: Array<() => Piece[]> = [
  () => { const h = facility(); return [`transferred from `, L(chance(0.5) ? h[0] : h[1]), ` ${pick(['for cath', 'for further mgmt', 'intubated', 'on dopa'])}.`]; },
  () => [`${pick(['transfer to', 'd/c to', 'to go to', 'screened for'])} `, L(facility()[1]), ` ${pick(['when stable', 'pending bed', 'in am', 'once off pressors'])}.`],
  () => [`pt ${pick(['came', 'was sent', 'arrived'])} from `, L(facility()[1]), ` ${pick(['ED', 'ICU', 'via ALS', 'by medflight'])}.`],
  () => [`${pick(['records', 'old films', 'old EKG'])} requested from `, L(facility()[chance(0.5) ? 0 : 1]), `.`],
  () => [`resident of `, L(facility()[0]), `, ${pick(['baseline confused', 'bedbound', 'amb w/ walker'])}.`],
  () => [`originally presented at `, L(facility()[1]), ` w/ ${pick(['CP', 'SOB', 'fever/rigors', 'melena', 'AMS'])}.`],
];
const datePHI: Array<() => Piece[]> = [
  () => [`PMH: CABG '`, D(apYear()), `, ${pick(['HTN', 'NIDDM', 'CRI', 'PVD'])}.`],
  () => [`s/p ${pick(['MI', 'AVR', 'CVA', 'L TKR', 'appy', 'PPM'])} in '`, D(apYear()), `.`],
  () => [`${pick(['admitted', 'intubated', 'extubated', 'trached'])} on `, D(monthDay()), `.`],
  () => [`last BM `, D(monthDay()), `.`],
  () => [`${pick(['PICC', 'TLC', 'aline', 'foley'])} ${pick(['placed', 'changed', 'inserted'])} `, D(monthDay()), `.`],
  () => [`sputum cx from `, D(monthDay()), ` ${pick(['growing GNR', 'pending', 'neg'])}.`],
  () => [`${pick(['vanco', 'zosyn', 'levaquin', 'flagyl'])} started `, D(monthDay()), `, day ${int(2, 9)}.`],
  () => [`family mtg set for `, D(monthDay()), ` ${pick(['at 1400', 'w/ team', 'in am'])}.`],
  () => [`family meeting planned ${pick(['for', 'on'])} `, ['DATE', pick(WEEKDAYS), false], `.`],
];
const otherPHI: Array<() => Piece[]> = [
  () => [`${pick(['pt is a', 'pt is', 'pt'])} `, A(chance(0.55) ? int(90, 103) : int(38, 89)), ` ${pick(['yo', 'y/o', 'YO', 'yr old'])} ${pick(['M', 'F', 'male', 'female', 'w/m', 'w/f'])} w/ ${pick(['CHF exacerbation', 'urosepsis', 'resp failure', 'GIB', 'SAH'])}.`],
  () => [`${pick(['MR#', 'MRN', 'unit #', 'MR #'])} `, M(pick([digits(7), digits(8), `${digits(3)}-${digits(2)}-${digits(2)}`])), ` ${pick(['on labels corrected', 'verified w/ blood bank', 'checked x2'])}.`],
  () => [`pt ${pick(['turned', 'will be'])} `, A(int(90, 101)), ` ${pick(['today', 'next wk'])}, ${pick(['family brought cake', 'very pleasant'])}.`],
];

// --- clinical text that is no PHI -------------------------------------------------------------------------------

const range = (lo: number, hi: number, step: number) => { const a = int(lo, hi); return `${a}-${a + step * int(1, 3)}`; };
const decade = (lo: number, hi: number) => { const a = int(lo, hi); return pick([`${a}0s`, `${a}0-${a + 1}0s`, `${a}0s-${a + 1}0s`, `high ${a}0s`, `low ${a}0s`]); };
const TIMES = ['0000', '0130', '0200', '0315', '0400', '0530', '0600', '0745', '0900', '1100', '1230', '1400', '1515', '1700', '1930', '2100', '2245'];
const time = () => pick([pick(TIMES), `${int(1, 11)}${pick(['am', 'pm', 'a', 'p'])}`, `${int(1, 11)}:${pick(['00', '30', '15'])}`]);
const DRIPS = ['Propofol', 'Fentanyl', 'Versed', 'Neo', 'Levophed', 'Dopamine', 'Dobutamine', 'Milrinone', 'Vasopressin', 'Heparin', 'Insulin', 'Nitro', 'Nipride', 'Esmolol', 'Diltiazem', 'Amiodarone', 'Precedex', 'Natrecor', 'Integrilin', 'Lasix', 'Ativan', 'Morphine'];
const drip = () => `${pick(DRIPS)} ${pick(['gtt', 'drip', 'gtt'])} ${pick([`${int(1, 25)}mcg/kg/min`, `${int(400, 1800)}u/hr`, `${int(1, 12)}u/hr`, `${dec(0, 4)}mcg/kg/min`, `${int(10, 180)}mcg/min`, `${int(5, 40)}cc/hr`, `${int(1, 10)}mg/hr`])}${pick(['', `, titrated ${range(1, 5, 1)}mcg/kg/min to keep MAP >${pick(['60', '65'])}`, `, weaned off at ${pick(TIMES)}`, ', increased x2', `, titrating for SBP ${range(100, 140, 10)}`])}`;
const MEDS = ['Lopressor', 'Captopril', 'Lasix', 'KCL', 'Mag sulfate', 'Vanco', 'Zosyn', 'Flagyl', 'Levaquin', 'Cipro', 'Bactrim', 'Diflucan', 'Ativan', 'Haldol', 'Seroquel', 'Morphine', 'Dilaudid', 'Tylenol', 'Percocet', 'Colace', 'Senna', 'Dulcolax', 'Lactulose', 'Protonix', 'Carafate', 'Reglan', 'Zofran', 'Lovenox', 'Coumadin', 'Plavix', 'Digoxin', 'Albuterol', 'Atrovent', 'Solumedrol', 'Hydrocortisone', 'Dilantin', 'Keppra', 'Thiamine', 'Kayexalate', 'Narcan', 'Ambien', 'Trazodone', 'Klonopin', 'Humalog', 'Lantus', 'NPH'];
const med = () => `${pick(MEDS)} ${pick([`${int(1, 100)}mg`, `${int(10, 40)}meq`, `${int(1, 4)}gm`, `${int(2, 10)}u`, `${int(1, 2)} tab`])}${pick(['', ' IV', ' PO', ' SQ', ' IVP', ' PR', ' per NGT'])}${pick(['', ' x1', ' q6h', ' prn', ' ATC', ' at ' + pick(TIMES)])}`;
const EPONYMS = ['Foley', 'Swan', 'Dobhoff', 'Yankauer', 'Posey vest', 'Bair hugger', 'Kinair bed', 'Hickman', 'Quinton cath', 'JP', 'Pleurevac', 'Ambu', 'Kerlix', 'Xeroform', 'Duoderm', 'Jevity', 'Nepro', 'Impact', 'Promote', 'Flexiseal', 'Passy-Muir valve', 'Shiley', 'Portex', 'Miami J collar', 'Aspen collar', 'Ted hose', 'Venodynes'];

const neuro = () => pick([
  `A&Ox${int(1, 3)}, MAE, follows commands`, 'sedated on propofol, opens eyes to voice', `GCS ${int(6, 15)}`, 'PERRL 3mm brisk', 'pupils 2mm sluggish bilat', 'lethargic but arousable', 'restless/agitated early in shift', 'intubated, nods appropriately', 'withdraws x4 to nailbed pressure', 'CAM ICU positive', `RASS ${pick(['-2', '-1', '0', '+1'])}`, 'no seizure activity', `${med()} for agitation w/ good effect`, 'soft wrist restraints for pulling at ETT', 'sleeping in naps', `c/o pain ${int(2, 9)}/10, ${pick(['medicated', 'repositioned'])}`, 'neuro checks q1h, unchanged', 'L sided weakness unchanged', 'hope to lighten sedation in am',
]);
const cv = () => pick([
  `HR ${decade(6, 11)} ${pick(['NSR', 'ST', 'SR', 'AF', 'SB', 'A-paced', 'V-paced'])}${pick(['', ' w/ occ PVCs', ' w/ rare PACs', ', no ectopy'])}`, `SBP ${range(90, 140, 10)}`, `BP ${int(90, 160)}/${int(40, 90)}`, `MAP ${range(55, 75, 5)}`, `NBP ${decade(9, 14)}`, drip(), drip(), `CVP ${range(4, 14, 2)}`, `Swan: PAP ${int(30, 60)}/${int(12, 30)} PCWP ${int(10, 28)} CO ${dec(3, 7)} CI ${dec(1, 4)} SVR ${int(700, 1600)}`, `aline R radial ${pick(['dampened, flushed', 'w/ good waveform', 'reading 10 higher than cuff'])}`, `K ${dec(3, 4)}, repleted w/ ${int(20, 60)}meq KCL`, `Mg ${dec(1, 2)}, 2gm mag sulfate given`, 'pulses palp x4', 'DP/PT dopplerable', `edema ${int(1, 3)}+ BLE`, 'extremities cool', `${int(1, 2)}u PRBC for HCT ${dec(22, 27)}`, 'rate controlled', `CK ${int(100, 900)}, trop ${dec(0, 3)}`, `12 lead EKG done at ${pick(TIMES)}`,
]);
const resp = () => pick([
  `A/C ${int(450, 700)}x${int(10, 20)}, PEEP ${int(5, 12)}, FiO2 ${pick(['40%', '.40', '50%', '60%', '.35'])}`, `PSV ${int(5, 18)}/${int(5, 8)}`, `CPAP ${int(5, 10)}`, `${int(2, 6)}L NC`, `${pick(['35', '40', '50', '70'])}% face tent`, `BIPAP ${int(10, 16)}/${int(4, 8)}`, `RA`, `sats ${range(90, 97, 1)}%`, `SpO2 ${pick(['mid', 'high', 'low'])} 90s`, `ABG ${7}.${int(20, 49)}/${int(28, 65)}/${int(55, 160)}/${int(18, 32)}`, `LS ${pick(['clear', 'coarse', 'diminished at bases', 'w/ exp wheeze', 'crackles at bases', 'clear upper/diminished lower'])}`, `sx for ${pick(['sm', 'mod', 'lg', 'copious'])} amt ${pick(['thick white', 'thin yellow', 'tan', 'blood tinged', 'rusty'])} secretions`, `RR ${range(12, 28, 2)}`, `RSBI ${int(40, 140)}`, `ETT ${pick(['7.0', '7.5', '8.0'])} @ ${int(21, 25)}cm at lip`, `trach #${int(6, 8)} ${pick(['Shiley', 'Portex'])}`, `CXR ${pick(['unchanged', 'improved', 'w/ RLL infiltrate', 'shows small effusions'])}`, 'CT to -20cm sx, no air leak', `IS to ${int(500, 1500)}cc`, 'nebs q4h per RT', 'SBT in am if stable', 'tol CPAP trial x2h',
]);
const gi = () => pick([
  'abd soft, NT/ND, +BS', 'abd distended, firm', 'hypoactive BS', `TF ${pick(['Jevity', 'Nepro', 'Impact', 'Promote', 'Osmolite'])} @ ${int(20, 80)}cc/hr, ${pick(['goal 70', 'at goal', 'advancing q4h'])}`, `residuals ${range(10, 80, 10)}cc`, 'NPO', 'NPO after MN for procedure', `OGT to LCWS, ${int(50, 600)}cc bilious out`, `${pick(['lg', 'sm', 'mod'])} ${pick(['soft brown', 'liquid green', 'maroon', 'melanotic', 'formed'])} stool, ${pick(['guaiac +', 'guaiac neg', 'sent for c diff'])}`, 'no BM this shift', `FS ${range(100, 240, 20)}, covered per RISS`, `BS ${int(80, 320)}, insulin gtt per protocol`, `tol clears, ${pick(['advance diet', 'no N/V'])}`, 'PEG site clean', 'flexiseal draining', 'Dobhoff placed, position confirmed by KUB',
]);
const gu = () => pick([
  `Foley draining ${pick(['clear yellow', 'amber', 'cloudy', 'tea colored', 'pink tinged'])} urine`, `UO ${range(20, 80, 10)}cc/hr`, `UO ${pick(['30-40cc/hr', '15-25cc/hr', '>100cc/hr', 'qs'])}`, `${int(600, 2400)}cc UO this shift`, `Lasix ${int(20, 120)}mg IV w/ ${int(300, 1500)}cc response`, `BUN/Cr ${int(12, 90)}/${dec(0, 6)}`, `I/O ${pick(['+', '-', ''])}${int(100, 2500)}cc`, `24hr I/O ${int(1500, 4500)}/${int(800, 3500)}`, 'CVVH running, net -100cc/hr', 'HD in am per renal', 'voiding qs via urinal', 'condom cath',
]);
const skin = () => pick([
  'intact', 'coccyx stage II, Duoderm on', 'heels boggy, elevated', 'sacral decub, wet to dry BID', 'sternal incision C/D/I', 'R groin site w/o hematoma', 'multiple ecchymoses', 'turned q2h', `on ${pick(['Kinair bed', 'air mattress', 'Roto-rest'])}`, 'Venodynes on', 'oral care q4h', 'bathed, linens changed',
]);
const idl = () => pick([
  `Tmax ${pick(['99.1', '100.4', '101.6', '102.3', '38.4', '97.9'])}`, `WBC ${dec(4, 24)}`, `on ${pick(['vanco/zosyn', 'levaquin', 'cefepime', 'flagyl', 'diflucan', 'meropenem'])}`, 'pan cultured', 'cx pending', 'MRSA precautions', 'VRE in urine, contact precautions', 'afebrile', 'tylenol prn temp', 'cooling blanket on',
]);
const lines = () => pick([
  'R IJ TLC', 'L SC cordis', `PICC ${pick(['R', 'L'])} arm`, `PIV x${int(1, 3)}`, 'R radial aline', 'L fem swan', 'HD cath R IJ', `${pick(['20g', '18g', '22g'])} PIV L FA`, 'all sites C/D/I, dsgs changed', `IVF D5 1/2NS @ ${int(50, 150)}cc/hr`, `NS @ KVO`, `LR @ ${int(75, 200)}cc/hr`, 'TPN/lipids via PICC',
]);
const history = () => pick([`PMH: HTN, DM, CHF (EF ${int(15, 55)}%), CRI`, `dx w/ COPD in ${int(1985, 2004)}`, 'PMH: ETOH abuse, HCV, varices', `h/o afib on coumadin since ${int(1990, 2005)}`, `s/p ${pick(['CABG x3', 'AVR', 'R BKA', 'TURP', 'L THR'])} ${int(2, 15)} yrs ago`, 'pmh unknown, old records not available', `smoker ${int(20, 80)} pk yr hx`]);
const plan = () => pick(['cont to monitor', 'cont current POC', 'wean vent as tol', 'wean pressors for MAP >60', 'f/u am labs', 'keep K >4, Mg >2', 'possible extubation in am', 'OOB to chair in am', 'transfer to floor when bed avail', 'support pt and family', 'CMO if no improvement', 'CT head in am', 'cath lab in am', 'call HO w/ changes', 'will cont to wean sedation', 'hope to extubate tomorrow', 'to OR in am for trach/PEG', 'to IR for drainage', 'screen for rehab', 'd/c to LTAC when stable']);
const nonPhiWords = () => pick([
  `temp rose to ${pick(['101.2', '38.9', '102'])} at ${pick(TIMES)}`, 'will cont to monitor', 'blood bank aware, 2u on hold', 'marked improvement in mental status', 'young appearing pt', 'frank blood from OGT x1', `to CT at ${pick(TIMES)}, returned w/o incident`, 'from OSH records: no allergies', 'back from IR at ' + pick(TIMES), 'to MRI this am', 'seen by PT/OT', 'SW and case mgmt following', 'RT aware', `placed in ${pick(['Trendelenburg', 'reverse Trendelenburg'])} for line placement`, `${pick(EPONYMS)} ${pick(['in place', 'changed', 'replaced', 'd/c\'d'])}`, `cheyne-stokes resp pattern noted`, `${int(1998, 2005)} echo showed EF ${int(20, 60)}%`, 'rose colored drainage from JP', 'consent for PICC obtained from HCP by phone',
]);

type Sys = [labels: string[], make: () => string];
const SYSTEMS: Sys[] = [
  [['NEURO', 'Neuro', 'neuro', 'N/S', 'Neuro/MS', 'NEURO/PSYCH'], neuro], [['CV', 'C/V', 'Cardiac', 'CVS', 'HEMODYNAMICS'], cv],
  [['RESP', 'Resp', 'Pulm', 'Respiratory', 'PULM'], resp], [['GI', 'Gi', 'GI/Nutrition', 'ABD'], gi], [['GU', 'Renal', 'GU/Renal', 'RENAL'], gu],
  [['ID', 'Id', 'ID/Temp', 'Infectious'], idl], [['SKIN', 'Skin', 'Integ', 'Integument', 'Wound'], skin], [['LINES', 'Access', 'Lines/Access', 'IV'], lines],
];
const HEADERS = ['Nursing Progress Note', 'NPN 1900-0700', 'NPN 0700-1900', 'Nursing 7a-7p', 'Nsg 7p-7a', 'MICU NURSING PROGRESS NOTE', 'CSRU Nsg Note 1900-0700', 'SICU NPN', 'CCU Progress Note 7A-3P', 'T-SICU Nursing 11p-7a', 'Neuro ICU nursing note', 'Nursing Note', 'Nursing Addendum', 'NURSING ADMIT NOTE'];
const SOCIAL_PLAIN = ['family in to visit, updated by RN', 'no calls from family overnight', 'wife called, updated', 'full code', 'DNR/DNI', 'SW following', 'family meeting tomorrow w/ team', 'pt lives alone', 'HCP aware of plan'];

// --- notes -------------------------------------------------------------------------------------------------

/** About one span a note over the set, as sparse as de-identified ICU notes hold them. */
function phiCount(): number {
  const r = rnd();
  return r < 0.45 ? 0 : r < 0.78 ? 1 : r < 0.93 ? 2 : r < 0.98 ? 3 : 4;
}
function phi(): Piece[] {
  const r = rnd();
  return r < 0.34 ? pick(familyPHI)() : r < 0.58 ? pick(staffPHI)() : r < 0.73 ? pick(placePHI)() : r < 0.9 ? pick(datePHI)() : pick(otherPHI)();
}
const join = (xs: string[]) => { const j = pick(['. ', ', ', '; ', '. ']); return xs.join(j); };
const some = (make: () => string, lo: number, hi: number) => [...new Set(Array.from({ length: int(lo, hi) }, make))];

/** Sentences, each ending with a space, with the PHI phrases put among them at random. */
function withPhi(sentences: string[], events: Piece[][]): Piece[] {
  const out: Piece[][] = sentences.map((s) => [s]);
  for (const e of events) out.splice(int(0, out.length), 0, [...e, ' ']);
  return out.flat();
}

function systemNote(events: Piece[][]): Piece[] {
  const sep = pick([': ', ':', ' - ', '- ', ') ']);
  const ps: Piece[] = [`${pick(HEADERS)}\n`];
  if (chance(0.45)) ps.push(`${pick(['Pt remains intubated', 'POD #2 CABG', 'Admitted w/ urosepsis', 'Pt w/ CHF exacerbation', 'S/P fall w/ SDH'])}. ${history()}.\n`);
  const where = events.map(() => int(0, SYSTEMS.length + 1));
  SYSTEMS.forEach(([labels, make], i) => {
    if (!chance(0.85)) return;
    ps.push(`${pick(labels)}${sep}${join(some(make, 3, 7))}.`);
    events.forEach((e, k) => { if (where[k] === i) ps.push(' ', ...e); });
    ps.push('\n');
  });
  ps.push(`${pick(['SOCIAL', 'Social', 'Soc', 'Family', 'Psychosocial', 'Dispo'])}${sep}${pick(SOCIAL_PLAIN)}.`);
  events.forEach((e, k) => { if (where[k] === SYSTEMS.length) ps.push(' ', ...e); });
  ps.push(`\n${pick(['PLAN', 'Plan', 'A/P', 'Plan of care'])}${sep}${join(some(plan, 1, 3))}.`);
  events.forEach((e, k) => { if (where[k] === SYSTEMS.length + 1) ps.push(' ', ...e); });
  if (chance(0.5)) ps.push(`\n${pick(['Events', 'EVENTS', 'Note'])}: ${join(some(nonPhiWords, 1, 3))}.`);
  ps.push('\n');
  return ps;
}
function darNote(events: Piece[][]): Piece[] {
  const focus = pick(['Resp status', 'Alteration in hemodynamics', 'Pain', 'Comfort', 'Safety', 'Fluid balance', 'Neuro status', 'Knowledge deficit']);
  const ps: Piece[] = [`${pick(['Focus', 'FOCUS', 'F'])}: ${focus}\n`];
  const parts = [['D', 'Data'], ['A', 'Action'], ['R', 'Response']] as const;
  const where = events.map(() => int(0, 2));
  parts.forEach(([short, long], i) => {
    const body = i === 0 ? some(() => pick([neuro, cv, resp, gi, gu])(), 4, 9) : i === 1 ? some(() => pick([plan, lines, skin, () => med()])(), 2, 5) : some(() => pick([cv, resp, neuro, plan])(), 2, 4);
    ps.push(`${pick([short, long])}: ${join(body)}.`);
    events.forEach((e, k) => { if (where[k] === i) ps.push(' ', ...e); });
    ps.push('\n');
  });
  return ps;
}
function narrative(events: Piece[][]): Piece[] {
  const s = [
    `${pick(['Pt received', 'Rec\'d pt', 'Pt recieved'])} ${pick(['in bed', 'from OR at ' + pick(TIMES), 'from ED', 'from cath lab'])}, ${neuro()}`,
    ...some(cv, 2, 5), ...some(resp, 2, 4), ...some(gi, 1, 3), ...some(gu, 1, 3), skin(), idl(), ...(chance(0.6) ? [nonPhiWords()] : []), `at ${pick(TIMES)} ${pick(['pt became hypotensive', 'HR up to 140s', 'pt desatted to 85%', 'pt pulled out OGT'])}, ${pick(['bolus given', 'MD notified', 'lopressor 5mg IV x1', 'replaced by RN'])}`, plan(),
  ].map((x) => `${x}${pick(['. ', '. ', ', ', '.  '])}`);
  return [`${pick(HEADERS)}\n`, ...withPhi(s, events), '\n'];
}
function admitNote(events: Piece[][]): Piece[] {
  const ps: Piece[] = [`${pick(['Nursing Admission Note', 'NSG ADMIT NOTE', 'Admit note'])}\n`];
  const age = chance(0.3) ? int(90, 99) : int(42, 89);
  ps.push(`${pick(['Pt is a', 'Pt is'])} `, A(age), ` ${pick(['yo', 'y/o'])} ${pick(['M', 'F', 'man', 'woman'])} w/ ${history().replace(/^PMH: /i, '')} who ${pick(['presented', 'was found down', 'developed SOB'])} ${pick(['at home', 'at rehab', 'this am'])} and was ${pick(['intubated in field', 'started on BIPAP', 'given lasix'])}. `);
  ps.push(...withPhi(some(() => pick([cv, resp, neuro, gi, gu, lines, skin])(), 6, 12).map((x) => `${x}. `), events));
  ps.push(`\n${pick(['Allergies', 'All', 'ALL'])}: ${pick(['NKDA', 'PCN', 'sulfa, codeine', 'none known'])}.\nPlan: ${join(some(plan, 1, 3))}.\n`);
  return ps;
}
function rtNote(events: Piece[][]): Piece[] {
  const s = [`${pick(['Pt remains on', 'Pt on', 'Vent settings'])} ${resp()}`, ...some(resp, 3, 7), `BS ${pick(['coarse', 'clear', 'diminished'])}`, pick(['MDIs given as ordered', 'albuterol/atrovent nebs given', 'no changes made', 'RSBI in am']), pick(['will follow', 'plan to wean as tol', 'cont present settings'])];
  return [`${pick(['Respiratory Care', 'RESPIRATORY CARE NOTE', 'Resp Care:', 'RT note'])}\n`, ...withPhi(s.map((x) => `${x}. `), events), '\n'];
}
function soapNote(events: Piece[][]): Piece[] {
  const where = events.map(() => int(0, 3));
  const ps: Piece[] = [];
  const parts: Array<[string, () => string[]]> = [['S', () => [pick(['pt c/o thirst', 'pt denies pain', 'unable to state', 'pt states "I want to go home"'])]], ['O', () => some(() => pick([cv, resp, neuro, gu, gi, idl])(), 5, 10)], ['A', () => [pick(['hemodynamically stable', 'resp status improving', 'cont to be volume overloaded', 'sepsis, improving'])]], ['P', () => some(plan, 1, 3)]];
  parts.forEach(([h, body], i) => {
    ps.push(`${h}${pick([':', ')', ' -'])} ${join(body())}.`);
    events.forEach((e, k) => { if (where[k] === i) ps.push(' ', ...e); });
    ps.push('\n');
  });
  return ps;
}
function transferNote(events: Piece[][]): Piece[] {
  const h = facility();
  const ev = [...events];
  const ps: Piece[] = [`${pick(['Transfer Note', 'NSG TRANSFER NOTE', 'transfer note'])}\n`];
  if (chance(0.6)) ps.push(`Pt to be transferred to `, L(chance(0.5) ? h[0] : h[1]), ` ${pick(['today', 'this afternoon', 'by ALS at 1400'])}. `);
  else ps.push(`Pt to be transferred to ${pick(['floor', '11R', 'step down', 'rehab'])} ${pick(['today', 'once bed available'])}. `);
  ps.push(...withPhi([`${neuro()}. `, `${cv()}. `, `${cv()}. `, `${resp()}. `, `${gi()}. `, `${gu()}. `, `${lines()}. `, `${skin()}. `], ev));
  if (chance(0.5)) ps.push(`Report called to `, N(given()), ` ${pick(['RN', 'at rehab', 'RN at receiving facility'])}${chance(0.5) ? ', ' : '. '}`, ...(chance(0.5) ? [`call back # `, P(phone()), `. `] : []));
  ps.push('\n');
  return ps;
}
function familyMeeting(events: Piece[][]): Piece[] {
  const ps: Piece[] = [`${pick(['Family Meeting', 'FAMILY MTG NOTE', 'Nursing Note: family meeting'])}\n`];
  ps.push(`Meeting held w/ ${pick(DOC)} `, N(family()), ` ${pick(['(attending)', '(MICU)', ''])}`.replace(/ $/, ''), `, SW, `, ...relName(), ` and `, ...relName(), `. `);
  ps.push(`${pick(['Pt\'s poor prognosis discussed', 'Goals of care reviewed', 'Plan for trach/PEG discussed', 'Option of CMO discussed'])}. ${pick(['Family wishes to continue full support for now', 'Decision made to make pt DNR', 'Family will discuss and let team know', 'Family agrees with CMO'])}. `);
  ps.push(...withPhi([`${cv()}. `, `${neuro()}. `, `${resp()}. `, `${plan()}. `], events), '\n');
  return ps;
}
function addendum(events: Piece[][]): Piece[] {
  const ev = events.length ? events : chance(0.5) ? [phi()] : [];
  const what = pick([
    `at ${pick(TIMES)} pt hypotensive to SBP ${int(6, 8)}0s, ${int(250, 1000)}cc NS bolus given, Neo started @ ${int(20, 100)}mcg/min`,
    `pt self extubated at ${pick(TIMES)}, placed on ${int(40, 70)}% face tent, sats ${range(90, 95, 1)}%`,
    `rapid AF 140-150s, dilt ${int(10, 20)}mg IV x${int(1, 2)}, converted to NSR 80s`,
    `${int(1, 2)}u PRBC for HCT ${dec(22, 26)}, premed w/ tylenol ${int(325, 650)}mg and benadryl ${int(25, 50)}mg`,
    `FS ${int(35, 60)} at ${pick(TIMES)}, 1 amp D50 given, recheck ${int(90, 160)}`,
    `K ${dec(2, 3)} on AM labs, KCL ${int(20, 40)}meq IV x${int(2, 4)} ordered`,
  ]);
  return [`${pick(['Addendum', 'ADDENDUM', 'Nursing addendum', 'Event note', 'late entry'])} ${pick(TIMES)}: ${what}. `, ...ev.flatMap((e) => [...e, ' ']), `${pick(['will cont to monitor.', 'see flowsheet.', 'MD aware.', 'pt tol well.'])}\n`];
}

// --- case ------------------------------------------------------------------------------------------------------

type Case = 'upper' | 'mixed' | 'lower';
function setCase(pieces: Piece[], c: Case): Piece[] {
  const f = (s: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);
  return pieces.map((p) => {
    if (typeof p === 'string') return f(p);
    // In mixed-case notes a name is sometimes typed in lower case or capitals ("wife martha", "son JOE").
    const text = c === 'mixed' && p[0] === 'NAME' && chance(0.2) ? (chance(0.5) ? p[1].toLowerCase() : p[1].toUpperCase()) : f(p[1]);
    return p.length === 3 ? [p[0], text, false] : [p[0], text];
  });
}

const SHAPES: Array<[weight: number, make: (events: Piece[][]) => Piece[]]> = [
  [30, systemNote], [12, darNote], [18, narrative], [8, admitNote], [7, rtNote], [8, soapNote], [6, transferNote], [4, familyMeeting], [7, addendum],
];
const COUNT = 400;
function note(k: number): Doc {
  const id = `clinical-d-${String(k + 1).padStart(4, '0')}`;
  const r = rnd();
  const c: Case = r < 0.35 ? 'upper' : r < 0.75 ? 'mixed' : 'lower';
  const events = Array.from({ length: phiCount() }, phi);
  let w = rnd() * SHAPES.reduce((n, s) => n + s[0], 0);
  const shape = SHAPES.find((s) => (w -= s[0]) < 0) ?? SHAPES[0]!;
  return build(id, setCase(shape[1](events), c));
}

/** How many of a generator's names and towns the engine's own lexicon files hold (printed, not hidden). */
export function lexiconOverlap(pools: string[] = [...GIVEN, ...GIVEN_WORDS, ...FAMILY, ...FAMILY_WORDS, ...TOWNS], list = true): string {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/lexicons');
  const words = new Set<string>();
  for (const f of ['given-names.txt', 'family-words.txt', 'place-parts.txt', 'brands.txt']) {
    for (const line of readFileSync(resolve(dir, f), 'utf8').split('\n')) if (!line.startsWith('#')) for (const w of line.split(/\s+/)) if (w && !w.startsWith('@')) words.add(w.toLowerCase());
  }
  const inside = pools.filter((w) => words.has(w.toLowerCase()));
  return `${inside.length} of ${pools.length} pool names in the lexicon files${list ? ` (${inside.join(', ')})` : ''}`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/clinical-notes-d.jsonl');
  const docs = Array.from({ length: COUNT }, (_, k) => note(k));
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const spans = docs.reduce((n, d) => n + d.spans.filter((s) => s.scored !== false).length, 0);
  process.stdout.write(`clinical-notes-d ${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length}), ${spans} scored spans; ${lexiconOverlap()}\n`);
}
