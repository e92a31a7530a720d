/**
 * `npm run data:clinical-c` (R-DATA-2): writes server/src/modules/redaction/data/clinical-notes-c.jsonl,
 * a third clinical development set, written before its author read the engine's rules or lexicons and
 * apart from the generators of the first two sets (make-redaction-dev-sets.ts, make-clinical-notes-b.ts):
 * its word lists, note shapes and surrogates are its own. Deterministic: the same seed writes the same
 * bytes; formats and labels as ../shared/data/phi/README.md; the lockbox split is the same hash of the
 * id (`isLockbox`).
 *
 * What it imitates: ICU and step-down nursing progress notes of the 1990s-2000s, long and mostly
 * clinical, with PHI SPARSE (about one span per one and a half notes, as in the held-out notes Ward is
 * judged on, where every false positive costs precision):
 * - three shapes: system by system (NEURO/CV/RESP/GI/GU/ID/SKIN/SOCIAL/PLAN under several spellings),
 *   a free-running shift narrative, and a short event or update note;
 * - three cases: ALL CAPS, mixed, all lower case; heavy abbreviation and common misspellings;
 * - vitals, drips and doses, vent settings, ABGs and lab values, I/O, times ("0300", "1900-0700"),
 *   ranges ("120-130", "70-80s"), volumes ("30-40cc"), ratios ("1/2 NS", "BP 110/60"), bare years,
 *   dosage forms, and words that are names elsewhere ("art line", "frank blood", "hope to wean");
 * - surrogate PHI: family members after relation words and clinicians after titles in any case, names
 *   that are common words ("Hope", "Young", "Will"), hospitals and their short forms, towns, month/day
 *   dates ("3/14", "11/2") and "'97" years, phones with slashes or spaces, pagers, ages over 89.
 * Gold conventions: a title or relation word is not part of the name; "'97" marks "97"; a pager's word
 * and "#" are not part of its number; hospitals and towns are LOCATION; ages of 89 or under are
 * `"scored": false`. No real person or number is meant; towns are real town names used as surrogates.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(9731);
const { pick, chance, int, digits, some } = draws(rnd);
const dec = (lo: number, hi: number) => `${int(lo, hi)}.${int(0, 9)}`;

// --- surrogate identifiers (lists of this generator only) ----------------------------------------------

const GIVEN = ['Marjorie', 'Walter', 'Eleanor', 'Francis', 'Theresa', 'Raymond', 'Lucille', 'Stanley', 'Geraldine', 'Leonard', 'Bernice', 'Harold', 'Phyllis', 'Vincent', 'Muriel', 'Kevin', 'Maureen', 'Dennis', 'Colleen', 'Brendan', 'Siobhan', 'Manuel', 'Graciela', 'Tuan', 'Lan', 'Sanjay', 'Priti', 'Olga', 'Dmitri', 'Fatima', 'Kwame', 'Ngozi', 'Giuseppe', 'Carmela', 'Heather', 'Tricia', 'Jen', 'Deb', 'Kathy', 'Mike', 'Steve', 'Jim', 'Barb', 'Lou', 'Ed'];
const GIVEN_WORDS = ['Hope', 'Joy', 'Faith', 'Grace', 'Rose', 'Iris', 'Daisy', 'June', 'April', 'Will', 'Bill', 'Art', 'Mark', 'Pat', 'Gene', 'Carol', 'Glen', 'Dale', 'Cliff', 'Rob', 'Sue', 'Dot', 'Bob', 'Ray', 'Jack', 'Drew', 'Lance', 'Miles', 'Victor', 'Sterling'];
const FAMILY = ['Kowalczyk', 'Sullivan', 'Fitzpatrick', "O'Leary", 'McGrath', 'DiNapoli', 'Ferraro', 'Nguyen', 'Tran', 'Patel', 'Desai', 'Cohen', 'Goldberg', 'Petrakis', 'Andersen', 'Lindstrom', 'Okafor', 'Mensah', 'Santos', 'Medeiros', 'Pereira', 'Cabral', 'Leblanc', 'Thibault', 'Gagnon', 'Ouellette', 'Kaminski', 'Novak', 'Horvath', 'Yamamoto', 'Kim', 'Choi', 'Walsh', 'Kaplan', 'Moriarty', 'Donnelly', 'Brennan', 'Haddad', 'Nasser', 'Romano'];
const FAMILY_WORDS = ['Young', 'Banks', 'Hill', 'Wood', 'Stone', 'Bell', 'Hunt', 'Price', 'Rich', 'Lane', 'Page', 'Short', 'King', 'Long', 'Black', 'White', 'Green', 'Gray', 'Rice', 'Fine', 'Gold', 'Hart', 'Wolfe', 'Little', 'Strong', 'Moody', 'Power', 'Golden', 'Fields', 'Sharp'];
const given = () => (chance(0.62) ? pick(GIVEN) : pick(GIVEN_WORDS));
const family = () => (chance(0.6) ? pick(FAMILY) : pick(FAMILY_WORDS));

const TOWNS = ['Dracut', 'Tewksbury', 'Billerica', 'Saugus', 'Lynnfield', 'Stoneham', 'Wakefield', 'Reading', 'Andover', 'Chelmsford', 'Ipswich', 'Danvers', 'Marblehead', 'Swampscott', 'Weymouth', 'Hingham', 'Canton', 'Norwood', 'Walpole', 'Franklin', 'Milford', 'Marlboro', 'Shrewsbury', 'Auburn', 'Oxford', 'Webster', 'Ware', 'Palmer', 'Amesbury', 'Newburyport', 'Derry', 'Hooksett', 'Concord', 'Salem', 'Everett', 'Malden', 'Somerville', 'Brockton', 'Plymouth', 'Falmouth'];
/** A hospital's name in full and the short form notes write for it. */
const HOSPITALS: Array<[string, string]> = [
  ['Saugus General Hospital', 'Saugus Gen'], ['North Shore Medical Center', 'NSMC'], ['Holy Family Hospital', 'Holy Family'],
  ['Good Samaritan Medical Center', 'Good Sam'], ["St. Vincent's Hospital", "St. Vincent's"], ['Mount Carmel Hospital', 'Mt Carmel'],
  ['Lakeside Regional Hospital', 'LRH'], ['Norwood Hospital', 'Norwood Hosp'], ['Webster Memorial Hospital', 'WMH'],
  ['Amesbury Community Hospital', 'ACH'], ['Falmouth Hospital', 'Falmouth'], ["St. Margaret's Hospital", "St. Margaret's"],
  ['Brockton Hospital', 'Brockton Hosp'], ['Concord Hospital', 'Concord Hosp'], ['Beacon Hill Medical Center', 'BHMC'],
  ['Whitman Rehabilitation Hospital', 'Whitman Rehab'], ['Pine Ridge Nursing Center', 'Pine Ridge'], ['Harbor House Nursing Home', 'Harbor House'],
];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function monthDay(): string {
  const m = int(1, 12);
  const d = int(1, 30);
  return pick([`${m}/${d}`, `${m}/${d}`, `${m}/${d}`, `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`, `${MON[m - 1]} ${d}`, `${m}/${d}/${pick(['97', '98', '99', '01', '03'])}`]);
}
function phone(): string {
  const a = pick(['617', '781', '978', '508', '603']);
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`${a}/${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `${a} ${b}-${c}`, `${b} ${c}`, `${b}-${c}`, `(${a}) ${b}-${c}`]);
}
const pagerNo = () => pick([`${int(1, 9)}-${digits(4)}`, digits(4), digits(5), `${digits(3)}-${digits(4)}`]);

// --- PHI events: each a phrase with one or two spans -------------------------------------------------------

const N = (s: string): Piece => ['NAME', s];
const L = (s: string): Piece => ['LOCATION', s];
const D = (s: string): Piece => ['DATE', s];
const P = (s: string): Piece => ['PHONE', s];
const A = (n: number): Piece => (n > 89 ? ['AGE', String(n)] : ['AGE', String(n), false]);
const REL = ['wife', 'husband', 'hus', 'son', 'dtr', 'daughter', 'dau', 'sister', 'bro', 'brother', 'mother', 'mom', 'dad', 'niece', 'nephew', 'grandson', 'granddaughter', 'HCP', 'friend', 'girlfriend', 'fiance', 'cousin'];
const TITLE = ['Dr.', 'Dr', 'dr', 'DR', 'Dr.', 'resident', 'NP', 'fellow', 'attending'];

const socialPHI: Array<() => Piece[]> = [
  () => [`${pick(REL)} `, N(given()), ` in to visit, ${pick(['updated on pt status', 'questions answered', 'very supportive', 'tearful at bedside'])}.`],
  () => [`${pick(REL)} `, N(given()), ` called x${int(2, 3)} o/n, updated.`],
  () => [`pt's ${pick(REL)}, `, N(given()), `, here most of shift.`],
  () => [`family (${pick(REL)} `, N(given()), ` & ${pick(REL)}) in at ${pick(['1900', '2000', '1530', '1100'])}, met w/ team.`],
  () => [`${pick(REL)} `, N(`${given()} ${family()}`), ` is HCP, ${pick(['aware of plan', 'wants full code for now', 'will call in am'])}.`],
  () => [`${pick(REL)} `, N(given()), ` can be reached at `, P(phone()), `.`],
  () => [`pls call ${pick(REL)} at `, P(phone()), ` w/ any changes.`],
  () => [`lives in `, L(pick(TOWNS)), ` w/ ${pick(['wife', 'husband', 'dtr', 'son'])}, ${pick(['indep at baseline', 'ambulates w/ walker', 'was driving until recently'])}.`],
  () => [`family driving in from `, L(pick(TOWNS)), `, expected ${pick(['tonight', 'in am', 'around 2200'])}.`],
  () => [`${pick(REL)} `, N(given()), ` from `, L(pick(TOWNS)), ` called, updated by RN.`],
];
const clinicianPHI: Array<() => Piece[]> = [
  () => [`${pick(TITLE)} `, N(family()), ` aware.`],
  () => [`${pick(TITLE)} `, N(family()), ` notified of ${pick(['K+ 3.1', 'hct 24', 'sbp 80s', 'uo < 20cc/hr', 'temp 101.8'])}, ${pick(['repleted', 'no new orders', 'to see pt', 'bolus ordered'])}.`],
  () => [`d/w ${pick(['Dr.', 'Dr', 'dr'])} `, N(family()), ` (${pick(['renal', 'cards', 'ID', 'surgery', 'GI'])}), ${pick(['will follow', 'recs appreciated', 'to see in am'])}.`],
  () => [`resident `, N(`${given()} ${family()}`), ` paged re: ${pick(['bp', 'low uo', 'agitation', 'desat'])}.`],
  () => [`MD paged ${pick(['@', 'at'])} ${pick(['pgr', 'beeper', 'bpr', 'pager'])} `, P(pagerNo()), `, ${pick(['no call back yet', 'returned call', 'aware'])}.`],
  () => [`covering ${pick(['Dr', 'Dr.'])} `, N(family()), ` (${pick(['pgr', 'beeper #', 'pager'])} `, P(pagerNo()), `) ${pick(['aware', 'at bedside'])}.`],
];
const placePHI: Array<() => Piece[]> = [
  () => { const h = pick(HOSPITALS); return [`transferred from `, L(chance(0.5) ? h[0] : h[1]), ` ${pick(['for cath', 'for higher level of care', 'on ' + pick(['dopa', 'neo', 'levo'])])}.`]; },
  () => [`awaiting bed at `, L(pick(HOSPITALS)[1]), `, ${pick(['screen done', 'pending insurance', 'family agreeable'])}.`],
  () => [`d/c to `, L(pick(HOSPITALS)[0]), ` when stable.`],
  () => [`pt came from `, L(pick(HOSPITALS)[1]), ` ${pick(['ED', 'ICU', 'floor'])} via ${pick(['ALS', 'med flight', 'BLS'])}.`],
  () => [`old records requested from `, L(pick(HOSPITALS)[1]), `.`],
];
const datePHI: Array<() => Piece[]> = [
  () => [`hx: CABG '`, D(String(int(85, 99))), `, ${pick(['DM2', 'HTN', 'CRI', 'COPD on home O2'])}.`],
  () => [`s/p MI in '`, D(String(int(88, 99))), `.`],
  () => [`last BM `, D(monthDay()), `.`],
  () => [`PICC placed `, D(monthDay()), `, ${pick(['tip in SVC', 'flushes well'])}.`],
  () => [`admitted `, D(monthDay()), ` w/ ${pick(['urosepsis', 'chf exac', 'gi bleed', 'pna'])}.`],
  () => [`blood cx from `, D(monthDay()), ` ${pick(['ngtd', 'gpc in clusters', 'pending'])}.`],
  () => [`ETT changed on `, D(monthDay()), ` for cuff leak.`],
];
const agePHI = (): Piece[] => [`${pick(['pt is a', 'pt is', ''])} `.trimStart(), A(chance(0.5) ? int(90, 101) : int(34, 89)), ` ${pick(['yo', 'y/o', 'yr old', 'YO'])} ${pick(['m', 'f', 'man', 'woman', 'male', 'female'])} admitted w/ ${pick(['resp failure', 'sepsis', 'chf', 'ugib', 'mental status changes'])}.`];

// --- clinical text that is no PHI -----------------------------------------------------------------------------

const range = (lo: number, hi: number, step: number) => { const a = int(lo, hi); return `${a}-${a + step * int(1, 3)}`; };
const DRIPS = ['heparin', 'propofol', 'fentanyl', 'versed', 'dopamine', 'dobutamine', 'neo', 'levophed', 'levo', 'nipride', 'ntg', 'insulin', 'dilt', 'amio', 'lasix', 'esmolol', 'precedex', 'pitressin'];
const MEDS = ['lopressor', 'captopril', 'lasix', 'kcl', 'mag sulfate', 'ca gluconate', 'vanco', 'zosyn', 'flagyl', 'levaquin', 'cipro', 'ancef', 'ativan', 'haldol', 'morphine', 'dilaudid', 'tylenol', 'colace', 'senna', 'dulcolax', 'protonix', 'pepcid', 'lovenox', 'coumadin', 'digoxin', 'nexium', 'albuterol', 'atrovent', 'solumedrol', 'decadron'];
const FORMS = ['tab', 'supp', 'elixir', 'neb', 'MDI', 'SL', 'PR', 'IVP', 'IVPB', 'po', 'per ngt', 'gtts'];
const drip = () => `${pick(DRIPS)} ${pick(['gtt', 'drip', 'gtt'])} ${pick(['@', 'at'])} ${pick([`${int(1, 20)}mcg/kg/min`, `${int(500, 1600)}u/hr`, `${int(1, 10)}u/hr`, `${dec(0, 3)}mcg/kg/min`, `${int(10, 200)}mcg/min`, `${int(5, 50)}cc/hr`])}`;
const med = () => `${pick(MEDS)} ${pick([`${int(1, 80)}mg`, `${int(10, 40)}meq`, `${int(1, 4)}gm`, `${int(1, 2)} ${pick(['tab', 'amp', 'unit'])}`])} ${pick(FORMS)}${pick(['', ' x1', ' x2', ' q6h', ' prn', ' qd', ' bid'])}`;
const TIMES = ['0000', '0100', '0200', '0300', '0400', '0500', '0600', '0800', '1000', '1200', '1400', '1600', '1800', '2000', '2200', '2300'];

const neuro = (): string[] => [
  pick(['alert & oriented x3', 'a&ox3', 'sedated on propofol', 'lethargic but arousable to voice', 'opens eyes to painful stim', 'mae, follows commands', 'perrla 3mm brisk', 'pupils 2mm sluggish', 'gcs 10t', 'restless/agitated at times', 'intubated/sedated, withdraws x4', 'confused, pulling at lines']),
  pick([`medicated w/ ${med()}`, `${drip()}`, 'no sz activity noted', 'sleeping in naps', `ativan ${int(1, 2)}mg iv given @ ${pick(TIMES)} w/ good effect`, 'soft wrist restraints on for safety', 'oob to chair x1 w/ assist of 2', 'moves all ext weakly', 'denies pain', `c/o incisional pain ${int(3, 8)}/10, medicated`]),
  pick(['', 'cont to monitor', 'neuro checks q2h', 'will wean sedation in am', 'hope to lighten sedation']),
];
const cv = (): string[] => [
  `hr ${range(60, 110, 10)}${pick(['', 's'])} ${pick(['nsr', 'st', 'sr w/ occ pvcs', 'afib', 'a-paced', 'sb'])}`,
  `${pick(['sbp', 'bp', 'nbp', 'abp'])} ${pick([range(90, 140, 10), `${int(90, 150)}/${int(40, 80)}`, `${int(8, 13)}0s-${int(13, 17)}0s`])}`,
  pick([drip(), `${drip()}, weaned to off @ ${pick(TIMES)}`, `${med()}`, `k ${dec(3, 4)}, repleted w/ kcl ${int(20, 60)}meq`, `mag ${dec(1, 2)}, given 2gm`, 'no ectopy', 'pulses palp x4', 'pp dopplerable', `cvp ${range(6, 14, 2)}`, `pad ${int(14, 28)} pcwp ${int(12, 24)} co ${dec(3, 6)} ci ${dec(1, 3)} svr ${int(800, 1600)}`, `${pick(['art line', 'a-line', 'aline'])} ${pick(['dampened, flushed', 'R radial, good waveform', 'placed L fem'])}`, `swan ${pick(['@ 50cm', 'pulled back 2cm', 'dc\'d'])}`, 'edema 2+ le', 'cap refill < 3 sec', 'hct stable']),
  pick(['', `hct ${dec(24, 33)}`, `${int(1, 2)}u prbc given`, `inr ${dec(1, 3)}`, 'ekg done']),
];
const resp = (): string[] => [
  pick([`${pick(['ac', 'simv', 'a/c', 'cmv'])} ${int(450, 700)}x${int(10, 18)} peep ${int(5, 10)} fio2 ${pick(['40%', '.40', '50%', '.5', '60%'])}`, `psv ${int(5, 15)}/${int(5, 8)}`, `cpap+ps ${int(5, 10)}/${int(5, 8)}`, `${int(2, 6)}l nc`, `${pick(['40', '50', '70'])}% cool neb`, 'nrb', `bipap ${int(10, 14)}/${int(4, 6)}`, 'ra']),
  `${pick(['sats', 'spo2', 'sat', 'o2 sat'])} ${pick([range(90, 96, 1) + '%', `${int(92, 100)}%`, `${int(88, 94)}-high 90s`])}`,
  pick([`abg ${dec(7, 7)}${digits(1)}/${int(30, 60)}/${int(60, 140)}`, `ls ${pick(['clear', 'coarse', 'diminished at bases', 'w/ exp wheezes', 'crackles bibasilar'])}`, `sx for ${pick(['thick tan', 'mod amt thin white', 'sm amt blood tinged', 'copious yellow', 'rusty'])} secretions`, 'ett 7.5 @ 22 lip', `rr ${range(12, 26, 2)}`, `cxr ${pick(['unchanged', 'w/ ll infiltrate', 'improved', 'shows ptx resolved'])}`, 'ct to -20 sx, no air leak', 'pleurovac draining serosang', `albuterol/atrovent nebs q${pick(['4', '6'])}h`, 'sbt in am', 'tol trach collar x2h']),
  pick(['', 'will cont to wean as tol', 'rt aware', 'plan to extubate in am if abg ok']),
];
const gi = (): string[] => [
  pick(['abd soft, nt/nd', 'abd distended, firm', 'abd obese, +bs', 'bs hypoactive', 'abd soft, +bs x4 quads']),
  pick([`tf ${pick(['promote', 'jevity', 'impact', 'nepro'])} @ ${int(20, 80)}cc/hr, residuals ${range(10, 60, 10)}cc`, 'npo', 'clears, tol well', 'ogt to lcws, draining bilious', `ngt to lis, ${int(100, 600)}cc out`, `${pick(['lg', 'sm', 'mod'])} ${pick(['brown', 'golden brown', 'green', 'maroon', 'black tarry'])} ${pick(['soft', 'liquid', 'formed'])} stool`, 'guaiac neg', 'frank blood per rectum x1', 'no bm this shift', 'flexiseal in place', 'peg w/ site clean']),
  pick(['', 'protonix iv', `fs ${range(110, 220, 20)}, covered per riss`, `bs ${int(90, 290)}, ${int(2, 8)}u reg insulin sc`, 'lft\'s pending']),
];
const gu = (): string[] => [
  pick(['foley', 'foley cath', 'foley patent', 'voiding qs', 'condom cath', 'incont of urine']),
  `${pick(['uo', 'u/o', 'urine'])} ${pick([`${range(20, 80, 10)}cc/hr`, `${int(15, 60)}-${int(6, 9)}0s cc/hr`, `${int(300, 1600)}cc this shift`, 'qs'])}`,
  pick([`${pick(['clear yellow', 'amber', 'cloudy', 'dark amber', 'tea colored', 'pink tinged'])} urine`, `bun/cr ${int(10, 80)}/${dec(0, 5)}`, `lasix ${int(20, 80)}mg iv w/ good diuresis`, `i/o ${pick(['+', '-', ''])}${int(200, 2400)}cc`, `24 hr i/o ${dec(1, 4)}l/${dec(1, 4)}l`, 'cvvh running, removing 100cc/hr', 'hd in am']),
];
const idLine = (): string[] => [
  `${pick(['tmax', 'tm', 't max', 'temp'])} ${pick(['99.2', '100.4', '101.5', '98.6', '38.3', '102.1', '97.8'])}${pick(['', 'po', 'ax', 'r'])}`,
  pick([`on ${pick(MEDS.slice(6, 12))}${chance(0.5) ? '/' + pick(MEDS.slice(6, 12)) : ''}`, `wbc ${dec(4, 22)}`, 'pan cx sent', 'cx pending', 'mrsa in sputum, on precautions', 'vre in urine', 'c-diff neg x1']),
  pick(['', 'afebrile', 'tylenol prn', 'cooling blanket on']),
];
const skin = (): string[] => [
  pick(['intact', 'grossly intact', 'coccyx w/ stage ii, duoderm applied', 'heels boggy, on boots', 'reddened sacrum', 'multiple ecchymoses', 'sternal incision c/d/i', 'lt groin site w/o hematoma']),
  pick(['turned q2h', 'on kinair bed', 'pneumoboots on', 'triadyne bed', 'oral care done', 'bathed']),
];
const planLine = (): string[] => [
  pick(['cont to monitor', 'cont current mgmt', 'wean vent as tol', 'wean pressors to maintain map > 60', 'f/u am labs', 'keep k > 4, mag > 2', 'possible extubation in am', 'oob to chair', 'transfer to floor when bed avail', 'support pt/family', 'cmo if no improvement per family']),
  pick(['', 'will call md w/ changes', 'f/u cx results', 'may need reintubation', 'npo after mn for peg', `cath lab in am${chance(0.3) ? ' ' + pick(['@ 0800', '1st case']) : ''}`]),
];
const lines = (): string[] => [
  pick(['r ij tlc', 'l sc cordis', 'picc r arm', 'piv x2', 'r radial aline', 'l fem swan', 'hd cath r ij']),
  pick(['sites c/d/i', 'dsg changed', 'flushes well', 'transduces well', 'redressed, no s/s infection']),
  pick(['', `ivf d5 1/2ns @ ${int(50, 125)}cc/hr`, `ns @ kvo`, `lr @ ${int(75, 150)}cc/hr`, `ivf 1/2 ns w/ 20 kcl @ ${int(60, 100)}`, 'tpn/lipids infusing']),
];
const heme = (): string[] => [
  pick([`hct ${dec(22, 34)}`, `plt ${int(40, 300)}k`, `inr ${dec(1, 4)}`, `ptt ${int(28, 90)}`]),
  pick(['no s/s bleeding', `${int(1, 3)}u ffp given`, 'heparin held for procedure', 'sq heparin', `vit k ${int(1, 10)}mg sc`, 'plts 1 pack given pre line']),
];
const history = (): string => pick([`hx of cva in ${int(1985, 2003)}`, `dx'd w/ dm in ${int(1980, 2002)}`, `pmh: htn, chf (ef ${int(15, 55)}%), cri`, `h/o afib on coumadin since ${int(1992, 2004)}`, 'pmh: copd, etoh abuse, pud', `s/p ${pick(['cabg x3', 'avr', 'l bka', 'turp', 'r thr'])} ${int(2, 9)} yrs ago`, 'hx unknown, no records']);
const SYSTEMS: Array<[labels: string[], make: () => string[]]> = [
  [['NEURO', 'Neuro', 'neuro', 'N', 'Neuro/MS'], neuro], [['CV', 'C/V', 'cv', 'Cardiac', 'CVS'], cv],
  [['RESP', 'Resp', 'resp', 'Pulm', 'R'], resp], [['GI', 'Gi', 'gi', 'GI/abd'], gi], [['GU', 'Gu', 'gu', 'Renal', 'GU/renal'], gu],
  [['ID', 'Id', 'id', 'ID/Temp'], idLine], [['SKIN', 'Skin', 'skin', 'Integ'], skin],
  [['HEME', 'Heme', 'heme'], heme], [['LINES', 'Lines', 'access', 'Access'], lines],
];
const SOCIAL_PLAIN = ['family in to visit, updated', 'no calls from family', 'wife called, updated', 'dtr in, questions answered', 'family meeting tomorrow w/ team', 'full code', 'dnr/dni per family', 'sw following', 'pt lives alone', 'hcp aware of plan'];
const HEADERS = ['NPN 7P-7A', 'NURSING PROGRESS NOTE 1900-0700', 'Nursing Note 0700-1900', 'npn 7a-7p', 'MICU NSG NOTE', 'CCU Nursing Progress Note', 'SICU NPN 1900-0700', 'Nsg Admit Note', 'NPN', 'Nursing progress note 3p-11p', 'Step-down nsg note 11-7'];

// --- misspellings and case --------------------------------------------------------------------------------

const MISSPELL: Record<string, string[]> = {
  secretions: ['secreations', 'secretins'], sedated: ['sedatted'], lethargic: ['lethargic', 'lethargec'], received: ['recieved'],
  tolerated: ['tollerated'], diuresis: ['diurisis', 'diuresus'], incontinent: ['incontinant'], arousable: ['arousible', 'rousable'],
  residuals: ['residules'], restraints: ['restrains'], distended: ['distented'], ecchymoses: ['echymosis', 'eccymoses'],
  pending: ['pendng'], weaned: ['weened'], wean: ['ween'], bilious: ['bilous'], labile: ['lable'], agitation: ['agitaion'],
  tol: ['tol'], extubation: ['extubtion'], infiltrate: ['infilitrate'], diminished: ['dimished', 'diminshed'],
};
function misspell(s: string): string {
  return s.replace(/[a-z]+/g, (w) => (MISSPELL[w] && chance(0.3) ? pick(MISSPELL[w]!) : w));
}
type Case = 'upper' | 'mixed' | 'lower';
function setCase(pieces: Piece[], c: Case): Piece[] {
  const f = (s: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);
  return pieces.map((p) => {
    if (typeof p === 'string') return f(misspell(p));
    return p.length === 3 ? [p[0], f(p[1]), false] : [p[0], f(p[1])];
  });
}
/** Mixed case as nurses write it: each line's first letter capitalised, the rest as written. */
const capFirst = (s: string) => s.replace(/(^|\n)([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
const clean = (xs: string[]) => xs.filter((x) => x !== '');

// --- the notes -------------------------------------------------------------------------------------------------

/** How many PHI phrases a note carries: about one span per one and a half notes over the set. */
function phiCount(): number {
  const r = rnd();
  return r < 0.58 ? 0 : r < 0.87 ? 1 : r < 0.97 ? 2 : 3;
}
function phiPhrase(): [section: 'social' | 'plan' | 'system' | 'hx', pieces: Piece[]] {
  const r = rnd();
  if (r < 0.36) return ['social', pick(socialPHI)()];
  if (r < 0.6) return ['system', pick(clinicianPHI)()];
  if (r < 0.75) return ['plan', pick(placePHI)()];
  if (r < 0.93) return ['hx', pick(datePHI)()];
  return ['hx', agePHI()];
}

function systemNote(id: string, c: Case): Doc {
  const events = Array.from({ length: phiCount() }, phiPhrase);
  const of = (k: string) => events.filter((e) => e[0] === k).flatMap((e) => [' ', ...e[1]]);
  const sep = pick([': ', ': ', '- ', ' / ', ':']);
  const joiner = pick(['. ', ', ', '; ', '. ']);
  const ps: Piece[] = [`${pick(HEADERS)}\n`];
  const hx = of('hx');
  if (hx.length || chance(0.4)) ps.push(pick(['Pt ', 'S/P ', 'Hx: ', '']) + pick(['intubated for resp failure', 'remains on pressors', 'post op day 2 cabg x3', 'admitted for r/o mi', 'copd flare']) + '. ' + history() + '.', ...hx, '\n');
  const systemExtra = events.filter((e) => e[0] === 'system');
  const systems = SYSTEMS.filter(() => chance(0.85));
  const at = systemExtra.map(() => int(0, Math.max(0, systems.length - 1)));
  systems.forEach(([labels, make], i) => {
    const body = chance(0.5) ? [...clean(make()), ...clean(make()).slice(1)] : clean(make());
    ps.push(`${pick(labels)}${sep}${[...new Set(body)].join(joiner)}.`);
    systemExtra.forEach((e, k) => { if (at[k] === i) ps.push(' ', ...e[1]); });
    ps.push('\n');
  });
  if (systems.length === 0) for (const e of systemExtra) ps.push(...e[1], '\n');
  ps.push(`${pick(['SOCIAL', 'Social', 'soc', 'Family', 'S/W'])}${sep}${pick(SOCIAL_PLAIN)}.`, ...of('social'), '\n');
  ps.push(`${pick(['PLAN', 'Plan', 'plan', 'A/P', 'P'])}${sep}${clean(planLine()).join(joiner)}.`, ...of('plan'), '\n');
  return build(id, finish(ps, c));
}

function narrativeNote(id: string, c: Case): Doc {
  const events = Array.from({ length: phiCount() }, phiPhrase);
  const bits: string[] = [history(), ...neuro(), ...cv(), ...cv(), ...resp(), ...resp(), ...gi(), ...gu(), ...lines(), ...idLine(), ...planLine()].filter((x) => x !== '' && chance(0.75));
  const ps: Piece[] = [`${pick(HEADERS)}\n`];
  const sentences: Piece[][] = bits.map((b) => [b + pick(['. ', '. ', ', ', '.  '])]);
  for (const e of events) sentences.splice(int(0, sentences.length), 0, [...e[1], ' ']);
  ps.push(...sentences.flat(), '\n');
  return build(id, finish(ps, c));
}

function eventNote(id: string, c: Case): Doc {
  const events = Array.from({ length: Math.max(phiCount(), chance(0.4) ? 1 : 0) }, phiPhrase);
  const head = pick(['Addendum', 'EVENT NOTE', 'Nsg update', 'late entry', 'Note']);
  const what = pick([
    `at ${pick(TIMES)} pt became hypotensive to sbp ${int(6, 8)}0s, ${int(250, 1000)}cc ns bolus given, neo started @ ${int(20, 100)}mcg/min`,
    `pt self extubated @ ${pick(TIMES)}, placed on ${int(40, 70)}% face tent, sats ${range(90, 95, 1)}%, abg ${dec(7, 7)}${digits(1)}/${int(35, 55)}/${int(60, 110)}`,
    `rapid afib to 140-150s, dilt ${int(10, 20)}mg iv x${int(1, 2)} w/ conversion to nsr 80s`,
    `${int(1, 2)} units prbc infusing for hct ${dec(22, 26)}, premedicated w/ tylenol ${int(325, 650)}mg po & benadryl ${int(25, 50)}mg iv`,
    `fs ${int(40, 60)} @ ${pick(TIMES)}, 1/2 amp d50 given, recheck ${int(90, 140)}`,
    `k ${dec(2, 3)} on am labs, kcl ${int(20, 40)}meq iv x${int(2, 4)} ordered`,
  ]);
  const ps: Piece[] = [`${head} ${pick(TIMES)}: ${what}.`];
  for (const e of events) ps.push(' ', ...e[1]);
  ps.push(` ${pick(['will cont to monitor.', 'see flowsheet.', 'md aware.', 'pt tol well.'])}\n`);
  return build(id, finish(ps, c));
}

function finish(ps: Piece[], c: Case): Piece[] {
  const cased = setCase(ps, c);
  if (c !== 'mixed') return cased;
  // Mixed case: capitalise each line's first letter (a string piece that starts a line).
  let atLineStart = true;
  return cased.map((p) => {
    const s = typeof p === 'string' ? p : p[1];
    const out = typeof p === 'string' ? (atLineStart ? capFirst(s) : s.replace(/\n([a-z])/g, (_m, b: string) => '\n' + b.toUpperCase())) : p;
    atLineStart = s.endsWith('\n');
    return out;
  });
}

const COUNT = 300;
function note(k: number): Doc {
  const id = `clinical-c-${String(k + 1).padStart(4, '0')}`;
  const r = rnd();
  const c: Case = r < 0.4 ? 'upper' : r < 0.75 ? 'mixed' : 'lower';
  const s = rnd();
  return s < 0.6 ? systemNote(id, c) : s < 0.85 ? narrativeNote(id, c) : eventNote(id, c);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/clinical-notes-c.jsonl');
  const docs = Array.from({ length: COUNT }, (_, k) => note(k));
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const spans = docs.reduce((n, d) => n + d.spans.filter((s) => s.scored !== false).length, 0);
  process.stdout.write(`clinical-notes-c ${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length}), ${spans} scored spans\n`);
}
