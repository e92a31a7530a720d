/**
 * `npm run data:clinical-e` (R-DATA-2): writes server/src/modules/redaction/data/clinical-notes-e.jsonl,
 * a fifth clinical development set, written and measured before any rule was tuned for it and apart from
 * the four earlier generators: its note kinds, wording and surrogate lists are its own, so that the set
 * measures whether the rules carry over to other authors and other kinds of clinical text. Deterministic
 * (seeded); formats and labels as ../shared/data/phi/README.md; the lockbox split is the same hash of the
 * id (`isLockbox`).
 *
 * What it imitates, none of it the nursing shapes of clinical-notes-b/-c/-d:
 * - ICU physician progress notes of the kind de-identification corpora hold ("Pt is a 76 y/o M with ...",
 *   "24 Hour Events", infusions in mcg/kg/min, vital-sign rows with ranges in braces, vent settings,
 *   lab rows, "Assessment and Plan" by system, ICU care and code status, "Communication:");
 * - physician sign-outs: one line a patient, "LAST, First" or "Bed 7 OAK" heads, ages with a sex
 *   ("94F"), to-do lists, "if needed call son at ...";
 * - radiology reports (portable chest, CT head, KUB, line checks) and echo reports, with comparisons
 *   to month/day dates, findings called to a clinician, signatures;
 * - social-work and case-management notes (who the patient lives with, where, agencies, insurers,
 *   homes and rehabs screened, phones of relatives);
 * - family-meeting notes (who was present, by role and name), and procedure notes (lines, tubes).
 * PHI in awkward places: names in lower case and ALL CAPS after relation words and titles, names that
 * are common words ("Moss", "Lake", "Love", "Reed", "Chase", "Noble"), "LAST, First" heads, signatures
 * ("-- jen k, RN"), hospitals in full and by short form ("Brockton Hosp", "SVH", "Mercy"), nursing
 * homes and rehabs; month/day dates ("3/14", "14-Mar", "Mar 14th", "the 14th"), date ranges ("3/12-3/14"),
 * apostrophe years ("MI in '98"); pager numbers ("p 3-4567", "pgr 12345"); ages over 89 ("a 93 yo",
 * "91F", "age 96"); phones with slashes, spaces, dots and extensions; MRNs.
 * Gold conventions as the earlier sets: a title, relation word or role is not part of the name; in
 * "LAST, First" each part is its own NAME span; "'98" marks "98"; a pager's word and "#" are not part of
 * its number; hospitals, homes, rehabs and towns are LOCATION; insurers and agencies ORGANIZATION
 * (neutral); a radiology clip number is ID (an accession number, as de-identification corpora mark it); weekdays
 * and ages of 89 or under `"scored": false`; bare years and times are not PHI.
 * Surrogates only: no real patient, clinician or number is meant; towns are real names used as surrogates.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexiconOverlap } from './make-clinical-notes-d.ts';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(5150_2026);
const { pick, chance, int, digits, some } = draws(rnd);
const dec = (lo: number, hi: number, places = 1) => `${int(lo, hi)}.${digits(places)}`;

// --- surrogates: lists of this generator ------------------------------------------------------------------

const GIVEN = ['Ambrose', 'Beatrix', 'Cosimo', 'Dagny', 'Ezra', 'Fiona', 'Gertrude', 'Horace', 'Imelda', 'Jerzy', 'Kunal', 'Ludmila', 'Magnus', 'Nkechi', 'Odalys', 'Pietro', 'Rosario', 'Soledad', 'Tobias', 'Ulrike', 'Valentina', 'Wendell', 'Yolanda', 'Zoltan', 'Arturo', 'Benedetta', 'Cyril', 'Dympna', 'Errol', 'Fenella', 'Gaetano', 'Hyacinth', 'Isidore', 'Jadwiga', 'Kalinda', 'Lavinia', 'Mordecai', 'Nanette', 'Orla', 'Prudence', 'Quincy', 'Rafferty', 'Seamus', 'Thi', 'Vuong', 'Duc', 'Lakshmi', 'Venkat', 'Babajide', 'Folake', 'Kofi', 'Ama', 'Tsegaye', 'Mehmet', 'Aylin', 'Goran', 'Milena', 'Jiri', 'Vaclav', 'Ilse', 'Gunnar', 'Bjorn', 'Annika', 'Maeve', 'Declan', 'Padraig', 'Evelyn', 'Irene', 'Gus', 'Al', 'Sal', 'Tina', 'Bev', 'Fran', 'Mo', 'Jen', 'Liz', 'Deb', 'Nancy', 'Rich'];
const GIVEN_WORDS = ['Hope', 'Faith', 'Joy', 'Rose', 'Violet', 'Sage', 'River', 'Storm', 'Summer', 'Autumn', 'Winter', 'Star', 'Dawn', 'Dusty', 'Sunny', 'Major', 'King', 'Duke', 'Earl', 'Chance', 'Justice', 'Liberty', 'Harmony', 'Blue', 'Pepper', 'Cricket', 'Tiny', 'Hunter', 'Page', 'Bishop'];
const FAMILY = ['Przybylski', 'Wisniewski', 'Kowalski', 'Grabowski', 'Adebayo', 'Okoro', 'Eze', 'Asante', 'Boateng', 'Haile', 'Gebremariam', 'Demir', 'Ozturk', 'Novotny', 'Dvorak', 'Horak', 'Lindahl', 'Sandberg', 'Ekstrom', 'Brannigan', 'Cronin', 'Hegarty', 'Kilbride', 'Moynihan', 'Nolan', 'Quigley', 'Rafferty', 'Tierney', 'Battaglia', 'Colangelo', 'Giordano', 'Mancuso', 'Pacheco', 'Saldana', 'Zavala', 'Cordero', 'Nascimento', 'Rocha', 'Tavares', 'Bui', 'Dang', 'Ly', 'Krishnan', 'Venkataraman', 'Bhattacharya', 'Mehta', 'Ansari', 'Qureshi', 'Thibodeau', 'Lavoie', 'Pelletier', 'Gauthier', 'Whitfield', 'Ashcroft', 'Bramwell', 'Pemberton', 'Fairbanks', 'Kowalczuk', 'Lundgren', 'Stroud', 'Yoon', 'Park', 'Oh', 'Cho', 'Ng', 'Wu', 'Xu', 'Ma', 'Hu', 'Ko'];
const FAMILY_WORDS = ['Moss', 'Lake', 'Love', 'Reed', 'Chase', 'Noble', 'Friend', 'Best', 'Small', 'Salt', 'Hood', 'Hand', 'Cross', 'Lord', 'Street', 'Way', 'Field', 'Hay', 'Stout', 'Bland', 'Worth', 'Daily', 'Goode', 'Able', 'Heart', 'Pitts', 'Peck', 'Plum', 'Poole', 'Dean', 'Nurse', 'Doctor', 'Ward', 'Bed', 'Fever', 'Swallow', 'Sleep', 'Hart', 'Head', 'Foot'];
const SYL = ['ka', 'vel', 'tor', 'mi', 'sun', 'dra', 'pon', 'esh', 'lu', 'gar', 'bi', 'nok', 'zan', 'rel', 'oto', 'fu', 'quin', 'ast', 'mor', 'yel'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
const given = () => { const r = rnd(); return r < 0.62 ? pick(GIVEN) : r < 0.87 ? pick(GIVEN_WORDS) : invented(); };
const family = () => { const r = rnd(); return r < 0.55 ? pick(FAMILY) : r < 0.87 ? pick(FAMILY_WORDS) : invented(); };

const TOWNS = ['Brockton', 'Quincy', 'Weymouth', 'Braintree', 'Dedham', 'Norwood', 'Waltham', 'Lowell', 'Lawrence', 'Haverhill', 'Methuen', 'Peabody', 'Lynn', 'Revere', 'Malden', 'Medford', 'Everett', 'Chelsea', 'Framingham', 'Natick', 'Milford', 'Leominster', 'Marlborough', 'Plymouth', 'Falmouth', 'Hyannis', 'Salem', 'Beverly', 'Gloucester', 'Newburyport', 'Winchester', 'Concord', 'Lincoln', 'Washington', 'Franklin', 'Clinton', 'Canton', 'Holden', 'Dover', 'Milton'];
const town = () => (chance(0.85) ? pick(TOWNS) : invented() + pick(['ton', 'bury', ' Falls', 'dale', 'port']));
const SAINTS = ['Elizabeth', 'Anne', 'Margaret', 'Joseph', 'Francis', 'Catherine', 'Mary', 'Patrick'];
const VIRTUES = ['Mercy', 'Good Samaritan', 'Holy Family', 'Providence', 'Faulkner', 'Sturdy', 'Caritas'];
/** Short forms that are clinical abbreviations too: drawn again, the gold would contradict itself. */
const CLINICAL_SHORT = new Set(['MH', 'GH', 'CH', 'SH', 'PH', 'BH', 'MMC', 'HH', 'LH', 'NH', 'AH', 'FH']);
const ini = (s: string) => s.split(/\s+/).map((w) => w[0]).join('').toUpperCase();
/** A facility in full with a short form notes write for it. */
function facility(): [full: string, short: string] {
  for (;;) {
    const t = town();
    const r = int(0, 9);
    const f: [string, string] =
      r === 0 ? [`${t} Hospital`, pick([`${t} Hosp`, `${t}`, `${t[0]}H`])]
      : r === 1 ? [`${t} Medical Center`, pick([`${ini(t)}MC`, `${t} MC`, `${t}`])]
      : r === 2 ? (() => { const s = pick(SAINTS); return [`St. ${s}'s Medical Center`, pick([`St ${s}'s`, `S${s[0]}MC`, `St. ${s.slice(0, 4)}`])] as [string, string]; })()
      : r === 3 ? (() => { const v = pick(VIRTUES); return [`${v} Hospital`, pick([v, `${ini(v)}H`])] as [string, string]; })()
      : r === 4 ? [`${t} Valley Hospital`, `${t[0]}VH`]
      : r === 5 ? [`${family()} Manor`, pick([`${family()} Manor`, 'the Manor'])]
      : r === 6 ? [`${t} Rehabilitation Hospital`, pick([`${t} Rehab`, `${ini(t)}RH`])]
      : r === 7 ? [`${t} Skilled Nursing`, `${t} SNF`]
      : r === 8 ? [`${family()} Pavilion`, `${family()} Pav`]
      : [`${t} Community Hospital`, `${t} Community`];
    // "the Manor" has no name in it: keep the named form for both.
    if (f[1] === 'the Manor') f[1] = f[0];
    if (!CLINICAL_SHORT.has(f[1].toUpperCase())) return f;
  }
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ord = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;
function monthDay(): string {
  const m = int(1, 12);
  const d = int(1, 28);
  return pick([`${m}/${d}`, `${m}/${d}`, `${m}/${d}`, `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`, `${d}-${MON[m - 1]}`, `${MON[m - 1]} ${ord(d)}`, `${MONTHS[m - 1]} ${d}`, `${m}/${d}/${pick(['03', '2004', '04'])}`, `${MON[m - 1]}-${d}`]);
}
const apYear = () => String(pick([int(62, 99), int(0, 5)])).padStart(2, '0');
function phone(): string {
  const a = pick(['617', '781', '978', '508', '339', '857']);
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`${a}/${b}-${c}`, `${a}/${b} ${c}`, `${a} ${b} ${c}`, `${a} ${b}-${c}`, `(${a})${b}-${c}`, `${a}.${b}.${c}`, `${a}-${b}-${c} x${int(2, 499)}`, `${b}-${c}`, `${b} ${c}`, `1-${a}-${b}-${c}`]);
}
const pagerNo = () => pick([`${int(1, 9)}-${digits(4)}`, digits(5), digits(4), `${digits(3)}-${digits(4)}`, `${int(1, 9)}${digits(4)}`]);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tues', 'Wed', 'Thurs', 'Fri'];

// --- PHI pieces -------------------------------------------------------------------------------------------

const N = (s: string): Piece => ['NAME', s];
const L = (s: string): Piece => ['LOCATION', s];
const D = (s: string): Piece => ['DATE', s];
const P = (s: string): Piece => ['PHONE', s];
const M = (s: string): Piece => ['MRN', s];
const O = (s: string): Piece => ['ORGANIZATION', s];
const A = (n: number): Piece => (n > 89 ? ['AGE', String(n)] : ['AGE', String(n), false]);
const age = () => (chance(0.4) ? int(90, 104) : int(24, 89));
/** A name as typed in a mixed-case note: now and then all lower case or all capitals. */
const typed = (s: string) => (chance(0.22) ? (chance(0.5) ? s.toLowerCase() : s.toUpperCase()) : s);
const REL = ['wife', 'husband', 'son', 'daughter', 'sister', 'brother', 'mother', 'father', 'niece', 'nephew', 'grandson', 'granddaughter', 'fiance', 'girlfriend', 'boyfriend', 'companion', 'stepdaughter', 'daughter in law', 'brother-in-law', 'aunt', 'godson', 'HCP', 'health care proxy', 'guardian', 'landlord', 'roommate'];
const TITLE = ['Dr.', 'Dr', 'dr.', 'dr', 'DR'];
const ROLE = ['MICU resident', 'night float', 'PGY-2', 'covering intern', 'NP', 'PA-C', 'renal attending', 'ID fellow', 'surgery chief', 'anesthesia', 'RT', 'charge RN', 'SW', 'case manager', 'chaplain', 'interpreter', 'PCP'];
const relName = (): Piece[] => [`${pick(REL)} `, N(typed(chance(0.25) ? `${given()} ${family()}` : given()))];
const docName = (): Piece[] => (chance(0.7) ? [`${pick(TITLE)} `, N(typed(family()))] : [`${pick(ROLE)} `, N(typed(chance(0.5) ? `${given()} ${family()}` : given()))]);
const pager = (): Piece[] => [pick(['p', 'p#', 'pgr ', 'pager ', 'beeper ', 'bp ', '#']).replace(/^p$/, 'p '), P(pagerNo())];

const commPHI: Array<() => Piece[]> = [
  () => [`Communication: with ${pick(REL)} `, N(typed(given())), ` ${pick(['at bedside', 'by phone', 'in family mtg'])}.`],
  () => [`Communication: ${pick(['family', 'HCP', 'daughter'])} updated, `, ...relName(), ` (`, P(phone()), `).`],
  () => [`d/w `, ...docName(), ` (`, ...pager(), `), ${pick(['agrees', 'will see today', 'recs to follow'])}.`],
  () => [`${pick(['spoke with', 'called', 'left msg for'])} `, ...relName(), ` at `, P(phone()), `.`],
  () => [`PCP: `, ...[chance(0.5) ? `Dr. ` : ''], N(`${given()} ${family()}`), `, ${pick(['ph', 'tel', 'office'])} `, P(phone()), `.`],
  () => [`Seen and examined with `, ...docName(), `; ${pick(['agree with above', 'plan as above', 'discussed with team'])}.`],
  () => [`${pick(['family meeting', 'mtg w/ family', 'goals of care discussion'])} ${pick(['planned for', 'on', 'set for'])} `, pick<Piece>([D(monthDay()), ['DATE', pick(WEEKDAYS), false]]), ` ${pick(['at 2pm', 'w/ Palliative', 'with ' + pick(REL)])}.`],
  () => [`Code status: ${pick(['Full code', 'DNR/DNI', 'DNR, ok to intubate'])} (confirmed with `, ...relName(), `).`],
  () => [`${pick(['Mr.', 'Mrs.', 'Ms.', 'Mr', 'Ms'])} `, N(typed(family())), ` ${pick(['remains intubated', 'more awake today', 'tolerated SBT', 'is CMO'])}.`],
];
const histPHI: Array<() => Piece[]> = [
  () => [`PMH: ${pick(['MI', 'CABG', 'AVR', 'CVA', 'colectomy', 'L THR', 'lap chole'])} in '`, D(apYear()), `, ${pick(['HTN', 'DM2', 'CKD', 'AF on coumadin'])}.`],
  () => [`${pick(['transferred from', 'admitted to', 'initially seen at', 'presented to'])} `, L(chance(0.5) ? facility()[0] : facility()[1]), ` ${pick(['ED', 'on', 'with'])} `, D(monthDay()), ` ${pick(['with fever', 'after fall', 'w/ SOB', 'for CP'])}.`],
  () => [`${pick(['Pt is a', 'pt is a', 'This is a', 'Pt is an'])} `, A(age()), ` ${pick(['y/o', 'yo', 'year old', 'YO', 'y.o.'])} ${pick(['M', 'F', 'man', 'woman', 'gentleman', 'lady'])} ${pick(['from', 'who lives in', 'of'])} `, L(town()), ` with ${pick(['COPD', 'ESRD on HD', 'metastatic ca', 'CHF', 'dementia'])}.`],
  () => [`${pick(['baseline', 'at baseline', 'prior to adm'])} lives at `, L(facility()[0]), `, ${pick(['ambulates w/ walker', 'bed to chair', 'independent'])}.`],
  () => [`${pick(['Intubated', 'Extubated', 'Trached', 'Admitted', 'Reintubated'])} `, D(monthDay()), `; ${pick(['HD #', 'ICU day ', 'POD '])}${int(2, 18)}.`],
  () => [`${pick(['BCx', 'Sputum cx', 'UCx', 'C diff'])} `, D(monthDay()), ` ${pick(['NGTD', 'pending', 'GPC in clusters', 'neg'])}.`],
  () => [`${pick(['Abx:', 'ABX'])} ${pick(['vanc', 'cefepime', 'meropenem', 'zosyn'])} ${pick(['', 'started '])}`, D(monthDay()), ` - `, D(monthDay()), `.`],
  () => [`${pick(['MRN', 'MR#', 'Unit No', 'med rec #'])} `, M(pick([digits(7), digits(8), `${digits(3)}-${digits(2)}-${digits(2)}`, `${digits(2)}-${digits(5)}`])), `.`],
  () => [`${pick(['turned', 'turns', 'will be'])} `, A(int(90, 101)), ` ${pick(['next week', 'on ' + pick(WEEKDAYS), 'this month'])}.`],
];
const phiPools = [commPHI, histPHI];
const phi = (): Piece[] => pick(pick(phiPools))();

// --- clinical text that is no PHI ----------------------------------------------------------------------------

const TIMES = ['0015', '0200', '0345', '0430', '0600', '0715', '0830', '1000', '1145', '1300', '1420', '1600', '1755', '1900', '2030', '2215', '23:40', '06:10', '10:45', '4:15 PM', '7:30 AM'];
const INFUSIONS = ['Propofol', 'Fentanyl (Concentrate)', 'Midazolam (Versed)', 'Norepinephrine', 'Phenylephrine', 'Vasopressin', 'Dopamine', 'Dobutamine', 'Milrinone', 'Heparin Sodium', 'Insulin - Regular', 'Nitroglycerin', 'Esmolol', 'Diltiazem', 'Amiodarone', 'Dexmedetomidine', 'Furosemide (Lasix)', 'Cisatracurium', 'Epinephrine', 'Nicardipine'];
const infusion = () => `${pick(INFUSIONS)} - ${pick([`${dec(0, 2, 2)} mcg/Kg/min`, `${int(20, 80)} mcg/Kg/min`, `${int(500, 1600)} units/hour`, `${int(1, 15)} units/hour`, `${int(25, 150)} mcg/hour`, `${int(1, 8)} mg/hour`, `2.4 units/min`, `${int(10, 20)} mg/hour`])}`;
const vitals = () => {
  const hr = int(60, 120); const sb = int(90, 150); const db = int(40, 85);
  return [`Tmax: ${dec(36, 39)} C (${dec(97, 102)}), Tcurrent: ${dec(36, 38)} C`, `HR: ${hr} (${hr - int(5, 20)} - ${hr + int(5, 25)}) bpm`, `BP: ${sb}/${db}(${int(55, 95)}) {${sb - 20}/${db - 10}(${int(50, 70)}) - ${sb + 25}/${db + 15}(${int(80, 110)})} mmHg`, `RR: ${int(12, 30)} (${int(8, 14)} - ${int(24, 36)}) insp/min`, `SpO2: ${int(88, 100)}%`, `CVP: ${int(4, 18)} (${int(2, 8)} - ${int(12, 22)}) mmHg`, `Heart rhythm: ${pick(['SR (Sinus Rhythm)', 'AF (Atrial Fibrillation)', 'ST (Sinus Tachycardia)', 'V Paced'])}`];
};
const vent = () => `${pick(['Ventilator mode: CMV/ASSIST/AutoFlow', 'Ventilator mode: CPAP/PSV', 'Ventilator mode: SIMV/PSV', 'O2 Delivery Device: Endotracheal tube', 'O2 Delivery Device: Nasal cannula'])}; Vt (Set): ${int(350, 600)} (${int(350, 450)} - ${int(500, 650)}) mL; RR (Set): ${int(12, 24)}; PEEP: ${int(5, 15)} cmH2O; FiO2: ${pick(['40%', '50%', '100%', '35%'])}; RSBI: ${int(30, 140)}; PIP: ${int(18, 38)} cmH2O; Plateau: ${int(15, 32)} cmH2O; ABG: 7.${int(22, 48)}/${int(30, 62)}/${int(58, 180)}/${int(18, 32)}/${int(-6, 4)}`;
const labs = () => `${pick(['WBC', 'Hct', 'Plt', 'Cr', 'TropT', 'Glucose', 'Lactic Acid', 'INR', 'Albumin', 'LDH', 'Ca++', 'Mg++', 'PO4'])}: ${pick([dec(0, 30), `${int(90, 400)} K/uL`, `${dec(0, 4)} mg/dL`, `${dec(1, 4)} mmol/L`, `${dec(1, 3)}`, `${dec(20, 38)} %`])}${pick(['', ` (${dec(0, 30)} -> ${dec(0, 30)})`, `, ${dec(0, 30)}, ${dec(0, 30)}`])}`;
const sysPlan = (sys: string) => pick(({
  NEURO: ['sedation: propofol, goal RASS -1 to 0, daily SAT', 'CAM-ICU positive, haldol prn, avoid benzos', 'Wean fentanyl, change to prn dilaudid', 'CT head neg for bleed; neuro checks q2h', 'EEG w/o seizure activity, cont keppra 500 bid', 'delirium: frequent reorientation, sleep hygiene'],
  CV: ['off pressors since 0600, MAP goal > 65', 'levophed titrated to MAP 60-65, 0.08-0.12 mcg/kg/min', 'rate control w/ metoprolol 25 tid, HR 90-110s', 'TTE w/ EF 30-35%, mild MR', 'troponin peaked at 0.45, likely demand', 'hold ASA/statin while NPO', 'diuresis w/ lasix gtt 10 mg/hr, goal -1L'],
  RESP: ['on PSV 10/5, FiO2 40%, SBT in am', 'ARDSnet, Vt 6cc/kg IBW, plateau < 30', 'failed SBT (RSBI 140), rest overnight on AC', 'extubated to 4L NC, sats 94-96%', 'CXR w/ bibasilar opacities, likely atelectasis', 'nebs q4h, chest PT', 'trach/PEG discussed'],
  GI: ['TF at goal 60 cc/hr (Replete w/ fiber)', 'NPO for procedure, restart TF after', 'PPI for GI ppx', 'LFTs trending down', 'bowel regimen: senna/colace, miralax', 'KUB w/ nonspecific gas pattern', 'GI following for EGD'],
  GU: ['Cr 2.3 from 1.8, FENa 0.4%, prerenal', 'foley in place, UOP 30-50 cc/hr', 'renal following, CVVH at -100 cc/hr', 'replete K/Mg/Phos prn', 'free water flushes 200 q6h for Na 149'],
  ID: ['vanc/zosyn day 5, f/u cx', 'afebrile x 24h, WBC 14.2 -> 11.8', 'BCx 2/4 GPC, ID following', 'C diff neg x2, d/c flagyl', 'fungal markers pending', 'contact precautions for MRSA'],
  HEME: ['Hct stable at 27-28, transfuse < 21', 'SQ heparin for DVT ppx', 'HIT ab pending, switched to argatroban', 'plt 48K, hold heparin'],
  ENDO: ['ISS, FS 140-180s', 'insulin gtt for BG > 200', 'stress dose steroids, hydrocortisone 50 q6h', 'TSH 2.3'],
  SOCIAL: ['Full code', 'family updated daily', 'SW involved', 'HCP is daughter', 'lives alone, no services'],
} as Record<string, string[]>)[sys]!);
const SYS_HEADS: Array<[string, string[]]> = [['NEURO', ['Neuro', 'NEURO', 'Neuro:', '#Neuro']], ['CV', ['CV', 'Cardiovascular', '#CV', 'CARDIAC']], ['RESP', ['RESP', 'Pulm', 'Respiratory failure', '#Resp']], ['GI', ['GI', 'GI/FEN', 'FEN/GI']], ['GU', ['GU', 'Renal', 'ARF', 'Renal/GU']], ['ID', ['ID', 'Sepsis', 'ID/Sepsis']], ['HEME', ['Heme', 'HEME', 'Anemia']], ['ENDO', ['Endo', 'ENDO', 'DM']], ['SOCIAL', ['SOCIAL', 'Social', 'Dispo']]];
const CARE = ['ICU Care', 'Nutrition: Replete with Fiber (Full) - 55 mL/hour', 'Glycemic Control: Regular insulin sliding scale', 'Lines: Arterial Line, Multi Lumen, 18 Gauge', 'Prophylaxis: DVT: SQ UF Heparin; Stress ulcer: PPI; VAP: HOB elevation, Mouth care, Daily wake up', 'Need for restraints reviewed', 'Code status: Full code', 'Disposition: ICU', 'Total time spent: 35 minutes', 'Patient is critically ill'];
const EVENTS = ['MULTI LUMEN - START 0230', 'ARTERIAL LINE - STOP 1100', 'BRONCHOSCOPY - At 1500', 'FEVER - 101.8 F - 0400', 'EKG - At 0615', 'INVASIVE VENTILATION - START 2130', 'BLOOD CULTURED - At 0300', 'TRANSTHORACIC ECHO - At 1030', 'PAN CULTURE - At 2200', 'NON-INVASIVE VENTILATION - STOP 0900'];
const EXAM = ['General Appearance: No acute distress, Overweight / Obese', 'HEENT: PERRL, ETT in place', 'Cardiovascular: (S1: Normal), (S2: Normal), (Murmur: Systolic)', 'Peripheral Vascular: (Right radial pulse: Present), (Left DP pulse: Diminished)', 'Respiratory / Chest: (Breath Sounds: Crackles : bibasilar, Rhonchorous: )', 'Abdominal: Soft, Non-tender, Bowel sounds present', 'Extremities: Right: 2+ edema, Left: 1+ edema', 'Skin: Not assessed', 'Neurologic: Responds to: Verbal stimuli, Movement: Purposeful, Tone: Normal'];
const DX = ['septic shock from urinary source', 'hypoxemic respiratory failure', 'NSTEMI', 'upper GI bleed', 'DKA', 'COPD exacerbation', 'SAH s/p coiling', 'C diff colitis', 'acute on chronic systolic CHF', 'pancreatitis', 'aspiration PNA', 'hepatic encephalopathy'];

// --- note kinds -----------------------------------------------------------------------------------------------

type Ev = Piece[];
/** Sentences with the PHI phrases put among them at random. */
function among(sentences: Array<string | Piece[]>, events: Ev[], sep = ' '): Piece[] {
  const out: Piece[][] = sentences.map((s) => (typeof s === 'string' ? [s, sep] : [...s, sep]));
  for (const e of events) out.splice(int(0, out.length), 0, [...e, sep]);
  return out.flat();
}

function progressNote(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(['MICU', 'SICU', 'CCU', 'TSICU', 'CVICU'])} ${pick(['Progress Note', 'PROGRESS NOTE', 'Attending Note', 'Resident Progress Note'])}\n`];
  const a = age();
  ps.push(`${pick(['Pt is a', 'Pt is an', 'Chief Complaint: pt is a', 'HPI: '])} `, A(a), ` ${pick(['y/o', 'yo', 'year old'])} ${pick(['M', 'F', 'male', 'female'])} w/ ${pick(DX)} ${pick(['now HD #' + int(2, 14), 'admitted overnight', 'transferred from floor'])}.\n`);
  ps.push(`24 Hour Events:\n${some(EVENTS, 1, 3).join('\n')}\n`);
  ps.push(`Allergies: ${pick(['No Known Drug Allergies', 'Penicillins (Hives)', 'Codeine (Nausea/Vomiting)', 'Sulfa (Sulfonamides) Rash'])}\n`);
  ps.push(`Infusions:\n${Array.from({ length: int(1, 3) }, infusion).join('\n')}\n`);
  ps.push(`Flowsheet Data as of ${pick(TIMES)}\n${some(vitals(), 4, 7).join('\n')}\n${vent()}\n`);
  ps.push(`Physical Examination\n${some(EXAM, 3, 6).join('\n')}\n`);
  ps.push(`Labs / Radiology\n${Array.from({ length: int(3, 6) }, labs).join('\n')}\n`);
  ps.push(`Assessment and Plan\n`);
  const heads = some(SYS_HEADS, 4, 8);
  const where = events.map(() => int(0, heads.length));
  heads.forEach(([sys, labels], i) => {
    ps.push(`${pick(labels)}${pick([': ', ' - ', '. '])}${sysPlan(sys)}${chance(0.5) ? '; ' + sysPlan(sys) : ''}.`);
    events.forEach((e, k) => { if (where[k] === i) ps.push(' ', ...e); });
    ps.push('\n');
  });
  ps.push(`${some(CARE, 2, 5).join('\n')}\n`);
  events.forEach((e, k) => { if (where[k] === heads.length) ps.push(...e, '\n'); });
  return ps;
}

const SIGN_DX = ['urosepsis', 'GIB', 'PNA', 'CHF', 'AMS', 'DKA', 'hip fx', 'COPD', 'ESLD', 'SBO', 'stroke', 'afib RVR'];
const TODO = ['f/u AM lytes', 'check 6pm Hct', 'f/u BCx', 'repeat lactate at 2200', 'wean levo as tol', 'if SBP < 90 give 500 NS', 'am CXR', 'NPO p MN for EGD', 'restart heparin 6h after LP', 'ok to hold TF for PEG', 'trend trops', 'CIWA', 'fluid bolus prn UOP < 20'];
function signOut(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(['Sign-out', 'SIGNOUT', 'Night float signout', 'Cross-cover sign out', 'Handoff'])} ${pick(['MICU A', 'MICU B', 'Blue team', 'Gen Med 4', 'CCU'])}\n`];
  const n = int(3, 6);
  const where = events.map(() => int(0, n - 1));
  for (let i = 0; i < n; i++) {
    const a = chance(0.35) ? int(90, 99) : int(30, 89);
    const lead: Piece[] = chance(0.55)
      ? [N(family().toUpperCase()), ', ', N(typed(given())), ' ']
      : chance(0.5) ? [`Bed ${int(1, 24)} `, N(family().toUpperCase()), ' '] : [`Rm ${int(401, 1290)}: `];
    ps.push(`${chance(0.5) ? `${i + 1}. ` : '- '}`, ...lead, A(a), `${pick(['M', 'F', 'm', 'f', ' yo M', ' yo F'])} ${pick(SIGN_DX)}, ${pick(['full code', 'DNR/DNI', 'DNR', 'CMO'])}. TO DO: ${some(TODO, 1, 3).join(', ')}.`);
    events.forEach((e, k) => { if (where[k] === i) ps.push(' ', ...e); });
    if (chance(0.2)) ps.push(` If any change call ${pick(REL)} at `, P(phone()), `.`);
    ps.push('\n');
  }
  if (chance(0.5)) { const paren = chance(0.5); ps.push(`-- `, N(typed(given())), paren ? ' (' : ', ', ...pager(), paren ? ')' : '', '\n'); }
  return ps;
}

const RAD_STUDIES = ['CHEST (PORTABLE AP)', 'CT HEAD W/O CONTRAST', 'ABDOMEN (SUPINE & ERECT)', 'CT CHEST W/CONTRAST', 'UNILAT LOWER EXT VEINS', 'CHEST PORT. LINE PLACEMENT', 'MR HEAD W & W/O CONTRAST', 'RENAL U.S.'];
const FINDINGS = ['The endotracheal tube terminates 4 cm above the carina.', 'A right internal jugular central venous catheter ends in the mid SVC.', 'Nasogastric tube courses below the diaphragm, tip not seen.', 'There is a left retrocardiac opacity, likely atelectasis.', 'Small bilateral pleural effusions are unchanged.', 'Cardiomediastinal silhouette is stable.', 'No pneumothorax.', 'There is no intracranial hemorrhage, mass effect or shift of midline structures.', 'Chronic small vessel ischemic changes are noted.', 'Non-obstructive bowel gas pattern.', 'No evidence of deep venous thrombosis in the right lower extremity.', 'Kidneys measure 10.2 and 10.8 cm without hydronephrosis.', 'Mild pulmonary vascular congestion.', 'Swan-Ganz catheter tip in the right main pulmonary artery.'];
const IMPRESSION = ['Lines and tubes in standard position.', 'Worsening left lower lobe consolidation, aspiration vs pneumonia.', 'No acute intracranial process.', 'Interval improvement in pulmonary edema.', 'No DVT.', 'Findings concerning for ileus.'];
function radiology(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(RAD_STUDIES)}`, ...(chance(0.5) ? [`   Clip # `, ['ID', digits(6)] as Piece] : []), `\nReason: ${pick(['eval ETT placement', 'r/o PNA', 'AMS, r/o bleed', 'abd distention', 'leg swelling', 'new line'])}\n`];
  if (chance(0.6)) ps.push(`${pick(['COMPARISON', 'Comparison', 'Comparison:'])}${pick([': ', ' '])}`, ...(chance(0.8) ? [D(monthDay())] : ['None']), `.\n`);
  ps.push(`FINDINGS: ${some(FINDINGS, 2, 5).join(' ')}\n`);
  ps.push(...among([`IMPRESSION: ${some(IMPRESSION, 1, 2).join(' ')}`], events.length ? [events[0]!] : []), '\n');
  if (chance(0.5)) ps.push(`${pick(['Findings discussed with', 'Called to', 'Wet read d/w'])} `, ...docName(), ` ${pick(['by telephone', 'at ' + pick(TIMES), 'on ' + pick(['rounds', 'phone'])])}`, ...(chance(0.5) ? [pick([' on ', ', ']), D(monthDay())] : []), `.\n`);
  if (chance(0.5)) ps.push(`${pick(['DR.', 'Dr.', 'Attending:'])} `, N(`${given()} ${family()}`.toUpperCase()), '\n');
  ps.push(...events.slice(1).flatMap((e) => [...e, '\n']));
  return ps;
}
const ECHO = ['The left atrium is mildly dilated.', 'Left ventricular wall thicknesses are normal.', `Overall left ventricular systolic function is ${pick(['mildly', 'moderately', 'severely'])} depressed (LVEF = ${int(20, 45)}%).`, 'Right ventricular chamber size and free wall motion are normal.', 'The aortic valve leaflets (3) are mildly thickened.', 'Mild (1+) mitral regurgitation is seen.', 'There is moderate pulmonary artery systolic hypertension.', 'There is no pericardial effusion.', `Estimated RVSP ${int(25, 60)} mmHg.`];
function echo(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(['TRANSTHORACIC ECHO REPORT', 'Echocardiography Report', 'TTE'])}\n${pick(['Indication', 'INDICATION'])}: ${pick(['hypotension', 'new murmur', 'eval LV function', 'endocarditis'])}\nHeight: (in) ${int(58, 76)}  Weight (lb): ${int(100, 280)}  BP (mm Hg): ${int(90, 150)}/${int(40, 90)}  HR (bpm): ${int(55, 120)}\n`];
  ps.push(`Conclusions:\n${some(ECHO, 3, 6).join(' ')}\n`);
  if (chance(0.65)) ps.push(`Compared with the prior study (images reviewed) of `, D(monthDay()), `, ${pick(['LV function has improved', 'no change', 'the effusion is new'])}.\n`);
  ps.push(...events.flatMap((e) => [...e, '\n']));
  if (chance(0.6)) ps.push(`Electronically signed by `, ...(chance(0.5) ? [N(family().toUpperCase()), ', ', N(given().toUpperCase())] : [N(`${given()} ${family()}`)]), `, MD`, ...(chance(0.5) ? [pick([' on ', ' ']), D(monthDay())] : []), '\n');
  return ps;
}

const INSURERS = ['Medicare', 'MassHealth', 'Medicaid', 'BCBS', 'Tufts HP', 'Harvard Pilgrim', 'Neighborhood Health Plan', 'VA benefits'];
const AGENCIES = ['VNA', 'Elder Services', 'Meals on Wheels', 'the Council on Aging', 'APS', 'hospice'];
function socialWork(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(['Social Work Note', 'SW ASSESSMENT', 'Case Management Note', 'CM note', 'Social Work Follow-up'])}\n`];
  const s: Piece[][] = [
    [`Pt is a `, A(age()), ` ${pick(['y/o', 'yo'])} ${pick(['widowed', 'married', 'divorced', 'single'])} ${pick(['woman', 'man', 'female', 'male'])} who lives ${pick(['alone', 'with her husband', 'with his wife', 'with daughter'])} in ${pick(['a 2nd floor apt', 'a single family home', 'elder housing'])} in `, L(town()), `.`],
    [`SW met with `, ...relName(), ` ${pick(['at bedside', 'in family room', 'by phone'])}, ${pick(['who is tearful', 'who is appropriately concerned', 'who asks many questions'])}.`],
    [`Insurance: `, O(pick(INSURERS)), ...(chance(0.5) ? [' / ', O(pick(INSURERS))] : []), `.`],
    [`Services prior to adm: `, O(pick(AGENCIES)), ` ${pick(['2x/wk', 'daily', 'for med mgmt'])}.`],
    [`${pick(['Referrals sent to', 'Screened by', 'Bed offer from'])} `, L(facility()[0]), ...(chance(0.5) ? [pick([' and ', ', ', ' & ']), L(facility()[1])] : []), `.`],
    [`${pick(['HCP form on chart naming', 'Proxy is'])} `, ...relName(), `, ${pick(['cell', 'home', 'work'])} `, P(phone()), `.`],
    [`${pick(['Will follow', 'SW will continue to follow', 'CM to follow for dispo'])}; ${pick(['anticipate d/c to rehab', 'pt may need LTAC', 'family prefers home with services'])}.`],
  ];
  ps.push(...among(some(s, 3, 7), []));
  ps.push('\n', ...events.flatMap((e) => [...e, '\n']));
  ps.push(`${pick(['', '-- ', 'Signed: '])}`, N(typed(`${given()} ${family()}`)), `, ${pick(['LICSW', 'MSW', 'RN CM', 'LCSW'])}${chance(0.5) ? ' x' + digits(4) : ''}\n`);
  return ps;
}
function familyMeeting(events: Ev[]): Piece[] {
  const ps: Piece[] = [`${pick(['Family Meeting Note', 'FAMILY MEETING', 'Goals of Care Meeting'])}\n${pick(['Present', 'Attendees', 'In attendance'])}: `];
  const people: Piece[][] = [docName(), relName(), relName(), [`SW `, N(typed(given()))], [`RN `, N(typed(given()))]];
  if (chance(0.4)) people.push([N(typed(given())), ` (${pick(REL)})`]);
  some(people, 3, people.length).forEach((p, i) => ps.push(...(i ? [', '] : []), ...p));
  ps.push(`.\n${pick(['Discussed', 'We discussed', 'Team reviewed'])} ${pick(['pt\'s multiorgan failure and poor prognosis', 'the course since admission', 'options of trach/PEG vs comfort care'])}. `);
  ps.push(...among([`${pick(['Family understands', 'Family would like more time', 'Family agreed to DNR/DNI'])}.`, `${pick(['Will readdress', 'Plan to meet again', 'Palliative care to see'])} ${pick(['in 48h', 'tomorrow', 'after the weekend'])}.`], events), '\n');
  return ps;
}
function procedure(events: Ev[]): Piece[] {
  const what = pick(['Central line placement (R IJ, triple lumen)', 'Arterial line placement, L radial', 'Bronchoscopy with BAL', 'Paracentesis', 'Thoracentesis, R', 'Lumbar puncture', 'Endotracheal intubation']);
  const operator = (): Piece[] => (chance(0.6) ? [`${pick(TITLE)} `, N(typed(family()))] : [`${pick(['resident', 'fellow', 'PGY-3', 'NP'])} `, N(typed(`${given()} ${family()}`))]);
  const ps: Piece[] = [`Procedure Note: ${what}\n${pick(['Operator', 'Performed by'])}: `, ...operator(), ...(chance(0.5) ? ['; supervised by ', ...operator()] : []), `\n`];
  ps.push(`Indication: ${pick(['access', 'hemodynamic monitoring', 'r/o SBP', 'hypoxia'])}. Consent: ${pick(['obtained from', 'signed by'])} `, ...(chance(0.6) ? relName() : ['patient']), `. Time out performed. ${pick(['Ultrasound guidance used.', 'Sterile technique, chlorhexidine prep.', 'Lidocaine 1% 5 cc local.'])} ${pick(['EBL minimal.', 'No complications.', 'CXR ordered to confirm placement.'])}\n`);
  ps.push(...events.flatMap((e) => [...e, '\n']));
  return ps;
}

// --- case, shapes, output -------------------------------------------------------------------------------------

function setCase(pieces: Piece[], c: 'upper' | 'mixed' | 'lower'): Piece[] {
  const f = (s: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);
  return pieces.map((p) => (typeof p === 'string' ? f(p) : p.length === 3 ? [p[0], f(p[1]), false] : [p[0], f(p[1])]));
}
const SHAPES: Array<[weight: number, make: (events: Ev[]) => Piece[], upper: number, lower: number]> = [
  [26, progressNote, 0.05, 0.05], [18, signOut, 0.3, 0.3], [14, radiology, 0.5, 0], [8, echo, 0.2, 0], [14, socialWork, 0.1, 0.2], [8, familyMeeting, 0.1, 0.15], [8, procedure, 0.1, 0.1],
];
function phiCount(): number {
  const r = rnd();
  return r < 0.4 ? 0 : r < 0.75 ? 1 : r < 0.92 ? 2 : 3;
}
const COUNT = 360;
function note(k: number): Doc {
  const id = `clinical-e-${String(k + 1).padStart(4, '0')}`;
  const events = Array.from({ length: phiCount() }, phi);
  let w = rnd() * SHAPES.reduce((n, s) => n + s[0], 0);
  const [, make, upper, lower] = SHAPES.find((s) => (w -= s[0]) < 0) ?? SHAPES[0]!;
  const r = rnd();
  return build(id, setCase(make(events), r < upper ? 'upper' : r < upper + lower ? 'lower' : 'mixed'));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/clinical-notes-e.jsonl');
  const docs = Array.from({ length: COUNT }, (_, k) => note(k));
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const spans = docs.reduce((n, d) => n + d.spans.filter((s) => s.scored !== false && s.label !== 'ORGANIZATION').length, 0);
  process.stdout.write(`clinical-notes-e ${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length}), ${spans} scored spans; ${lexiconOverlap([...GIVEN, ...GIVEN_WORDS, ...FAMILY, ...FAMILY_WORDS, ...TOWNS], false)}\n`);
}
