/**
 * `npm run data:clinical-b` (R-DATA-2): writes server/src/modules/redaction/data/clinical-notes-b.jsonl,
 * a second clinical development set written apart from the engine and from the first set's generator
 * (make-redaction-dev-sets.ts), so that it measures how the engine does on clinical text it was not
 * written against. Deterministic: the same seed writes the same bytes; formats and labels as
 * ../shared/data/phi/README.md; the lockbox split is the same hash of the id (`isLockbox`).
 *
 * What differs from the first set on purpose:
 * - eight note styles of other authors: free-running nursing shift notes in capitals, terse lower-case
 *   notes, discharge summaries with headers, telephone encounters, respiratory care notes, social work
 *   and case management notes, resident progress notes (SOAP), short addenda and event notes;
 * - surrogate identifiers from lists written here and nowhere else: other given and family names
 *   (names that are words too: "Amber", "Rusty", "Penny", "Meadows", "Parks", "Frost"), other towns,
 *   other facilities and their short forms ("PRMC", "Whittier", "Maple Crest"), other date, phone
 *   and pager forms, and years of two other ranges;
 * - the clinical vocabulary that looks like PHI and is not: abbreviations, drugs, devices, states,
 *   ranges and volumes, shift times, vent settings, scores, bare years, and words that are also names
 *   used as words ("amber urine", "frank blood", "brown stool", "young man", "hope to extubate").
 * No real person, place of care or number is meant; towns are real town names used as surrogates.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(3030);
const { pick, chance, int, digits, some } = draws(rnd);
/** One of several alternatives, each a list of pieces. */
const oneOf = (...alternatives: Piece[][]): Piece[] => pick(alternatives);

// --- surrogate identifiers ------------------------------------------------------------------------

const GIVEN = ['Agnes', 'Bernadette', 'Cornelius', 'Delphine', 'Eamon', 'Florencia', 'Gideon', 'Hortense', 'Ignatius', 'Jolene', 'Kasimir', 'Leocadia', 'Mortimer', 'Nadia', 'Oswaldo', 'Perpetua', 'Quentin', 'Rosalind', 'Saoirse', 'Thaddeus', 'Ursula', 'Vito', 'Wilhelmina', 'Xiomara', 'Yusuf', 'Zbigniew', 'Lorraine', 'Dolores', 'Marvin', 'Gladys', 'Wendell', 'Trudy', 'Clifford', 'Eileen', 'Norma', 'Herbert', 'Bao', 'Thuy', 'Oluwaseun', 'Chidi', 'Aurelio', 'Consuelo', 'Tadeusz', 'Halina', 'Svetlana', 'Arjun', 'Deepa', 'Kenji', 'Ines', 'Fergus'];
const GIVEN_WORDS = ['Amber', 'Rusty', 'Penny', 'Ruby', 'Hazel', 'Ivy', 'Holly', 'Crystal', 'Sandy', 'Buck', 'Chip', 'Skip', 'Bud', 'Misty', 'Sunny', 'Autumn', 'Patience', 'Honor', 'Chance', 'Rocky', 'Dusty', 'Melody', 'Frank', 'Hope', 'Dawn', 'Hunter', 'Mason', 'Royal', 'Brandy', 'Pearl'];
const FAMILY = ['Abernathy', 'Bertolini', 'Czerwinski', 'Delacroix', 'Eriksen', 'Gallagher', 'Hakimi', 'Iwasaki', 'Jankowski', 'Kaczmarek', 'Lindqvist', 'Mbeki', 'Nakashima', 'Oyelaran', 'Papadopoulos', 'Quintero', 'Rasmussen', 'Szabo', 'Thibodeaux', 'Umarov', 'Vasquez', 'Wojcik', 'Yilmaz', 'Zielinski', 'Ferreira', 'Achterberg', 'Bjornstad', 'Castellanos', 'Dimitrov', 'Eze', 'Fontaine', 'Grzelak', 'Halvorsen', 'Ibarra', 'Jovanovic', 'Kuznetsov', 'Lachance', 'MacPherson', 'Nwachukwu', 'Pellegrino', 'Okonkwo', 'Boudreau', 'Costa', 'Dunleavy', 'Gutierrez', 'Hennessey', 'Lindgren', 'Mahoney', 'Phan', 'Truong'];
const FAMILY_WORDS = ['Young', 'Banks', 'Hope', 'Carpenter', 'Fisher', 'Baker', 'Mason', 'Cook', 'Parks', 'Meadows', 'Brooks', 'Wells', 'Marsh', 'Snow', 'Winter', 'Church', 'Hall', 'Swift', 'Rivers', 'Fox', 'Wolf', 'Lamb', 'Crane', 'Frost', 'Brown', 'Gross', 'Savage', 'Sterling', 'Goodwin', 'Fairweather'];
const SYL = ['bal', 'cor', 'dre', 'esk', 'fim', 'gor', 'hal', 'ine', 'jul', 'kav', 'lom', 'mur', 'nes', 'ope', 'qua', 'ros', 'sil', 'tam', 'urb', 'vel', 'wyn', 'yar', 'zel', 'ani'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
function given(): string {
  const r = rnd();
  return r < 0.55 ? pick(GIVEN) : r < 0.85 ? pick(GIVEN_WORDS) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.55 ? pick(FAMILY) : r < 0.85 ? pick(FAMILY_WORDS) : invented();
}
const TOWNS = ['Haverhill', 'Chicopee', 'Pittsfield', 'Gloucester', 'Attleboro', 'Leominster', 'Methuen', 'Framingham', 'Woburn', 'Revere', 'Peabody', 'Fitchburg', 'Taunton', 'Natick', 'Dedham', 'Braintree', 'Wareham', 'Bangor', 'Nashua', 'Keene', 'Rutland', 'Pawtucket', 'Woonsocket', 'Danbury', 'Utica', 'Elmira', 'Scranton', 'Altoona', 'Concord', 'Florence', 'Orange', 'Athol', 'Holyoke', 'Lawrence', 'Saugus', 'Billerica', 'Chelmsford', 'North Adams', 'East Longmeadow', 'South Hadley'];
const town = () => pick(TOWNS);
/** Facility names in full, each with the short form a note writes for it. */
const FACILITIES: Array<[full: () => string, short: string]> = [
  [() => 'Pemberton Regional Medical Center', 'PRMC'],
  [() => 'Good Shepherd Hospital', 'GSH'],
  [() => 'Sacred Heart Medical Center', 'SHMC'],
  [() => 'Holy Cross Hospital', 'HCH'],
  [() => 'Bayridge Hospital', 'BRH'],
  [() => 'Haverhill Regional', 'HRMC'],
  [() => 'Whittier Rehab', 'Whittier'],
  [() => 'Maple Crest Nursing Home', 'Maple Crest'],
  [() => 'Briarwood Skilled Nursing', 'Briarwood'],
  [() => 'Cliffside Manor', 'Cliffside'],
  [() => 'Stonegate Rehabilitation Center', 'Stonegate'],
  [() => 'Our Lady of Grace Hospital', 'OLG'],
  [() => `${pick(['Keene', 'Rutland', 'Utica', 'Nashua', 'Altoona'])} Community Hospital`, 'KCH'],
  [() => `${pick(['Mercy', 'Lakeview', 'Brookhaven', 'Fairlawn'])} Hospital`, 'Mercy'],
  [() => 'St. Agnes', 'St. Agnes'],
  [() => "St. Francis'", 'SFH'],
  [() => 'Kessler Institute', 'Kessler'],
];
const facility = () => pick(FACILITIES)[0]();
const facilityShort = () => pick(FACILITIES)[1];
const CLINICS = ['Pemberton Family Practice', 'Riverside Cardiology', 'Northgate Health Center', 'Elm Hill Dialysis', 'Harborview Oncology'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const year = () => (chance(0.5) ? int(2019, 2024) : int(2150, 2170));
const ord = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;
/** A month and day without a year: "3/14", "11/2", "Oct 3", "March 14th", "10-3". */
function monthDay(): string {
  const m = int(1, 12);
  const d = int(5, 28);
  return pick([
    () => `${m}/${d}`,
    () => `${m}/${d}`,
    () => `${m}/${d}`,
    () => `${MON[m - 1]} ${d}`,
    () => `${MONTHS[m - 1]} ${ord(d)}`,
    () => `${d} ${MON[m - 1]}`,
    () => `${m}-${d}`,
  ])();
}
function fullDate(): string {
  const m = int(1, 12);
  const d = int(1, 28);
  const y = year();
  const p2 = (n: number) => String(n).padStart(2, '0');
  return pick([
    () => `${m}/${d}/${y}`,
    () => `${p2(m)}/${p2(d)}/${y}`,
    () => `${m}/${d}/${String(y).slice(2)}`,
    () => `${d}-${MON[m - 1]}-${y}`,
    () => `${MONTHS[m - 1]} ${d}, ${y}`,
    () => `${y}-${p2(m)}-${p2(d)}`,
    () => `${MON[m - 1]}. ${d}, ${y}`,
  ])();
}
function phone(): string {
  const a = pick(['413', '508', '603', '802', '978', '401', '860', '207']);
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`${a}/${b}-${c}`, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `(${a})${b}-${c}`, `(${a}) ${b}-${c}`, `${b}-${c}`, `${a}.${b}.${c}`]);
}
/** A pager or beeper number after its word; a "#" before it is not part of it. */
function pager(caps = false): Piece[] {
  const word = pick(['pager', 'pgr', 'beeper', 'bpr', 'p#', 'page']);
  const w = caps ? word.toUpperCase() : word;
  const n = pick([`${int(1, 9)}-${digits(4)}`, digits(5), digits(4), `${digits(3)}-${digits(4)}`]);
  return chance(0.3) && word !== 'p#' ? [`${w} #`, P(n)] : [`${w} `, P(n)];
}
const oldAge = () => String(int(90, 103));
const anyAge = () => String(chance(0.45) ? int(90, 103) : int(38, 89));
const mrn = () => pick([digits(7), digits(8), `${digits(2)}-${digits(3)}-${digits(3)}`]);

const N = (s: string): Piece => ['NAME', s];
const D = (s: string): Piece => ['DATE', s];
const L = (s: string): Piece => ['LOCATION', s];
const P = (s: string): Piece => ['PHONE', s];
/** Ages of 89 or under are no Safe Harbor identifier: neither required nor penalised. */
const A = (s: string): Piece => (Number(s) > 89 ? ['AGE', s] : ['AGE', s, false]);

/** The same pieces with every text mapped (upper or lower case keep an ASCII text's length). */
function mapCase(pieces: Piece[], f: (s: string) => string): Piece[] {
  return pieces.map((p) => (typeof p === 'string' ? f(p) : ([p[0], f(p[1]), ...p.slice(2)] as Piece)));
}
const upper = (ps: Piece[]) => mapCase(ps, (s) => s.toUpperCase());
const lower = (ps: Piece[]) => mapCase(ps, (s) => s.toLowerCase());
/** Lines of pieces joined by line breaks. */
const lines = (ls: Piece[][]): Piece[] => ls.flatMap((l) => [...l, '\n']);

const REL_CAPS = ['WIFE', 'HUSBAND', 'DTR', 'DAUGHTER', 'SON', 'SISTER', 'BROTHER', 'NIECE', 'GRANDSON', 'HCP', 'FRIEND', 'BF', 'GF', 'SIL', 'NEPHEW'];
const REL_LOWER = ['wife', 'husband', 'dtr', 'daughter', 'son', 'sister', 'bro', 'niece', 'grandson', 'granddaughter', 'hcp', 'friend', 'daughter-in-law', 'partner', 'stepson'];

// --- clinical vocabulary ----------------------------------------------------------------------------

const PRESSORS = ['NEO', 'LEVO', 'LEVOPHED', 'VASOPRESSIN', 'DOPAMINE', 'DOBUTAMINE'];
const SEDATION = ['PROPOFOL', 'PRECEDEX', 'FENTANYL', 'VERSED', 'ATIVAN'];
const ABX = ['VANCO', 'ZOSYN', 'CEFEPIME', 'FLAGYL', 'CIPRO', 'LEVAQUIN', 'MEROPENEM', 'CEFTRIAXONE'];
const hr = () => `${int(6, 9)}0-${int(9, 11)}0S`;
const sbp = () => `${int(9, 12)}0-${int(13, 16)}0`;
const uo = () => pick([`${int(2, 4)}0-${int(4, 8)}0CC/HR`, `${int(15, 60)}CC/HR`, `~${int(8, 20)}00CC FOR SHIFT`]);

// --- style 1: free-running nursing shift notes in capitals --------------------------------------------

function nursingCaps(id: string): Doc {
  const head = pick(['RN NOTE 1900-0700', 'NPN 7P-7A', 'NSG NOTE 0700-1900', 'NURSING ADMIT NOTE', 'MICU NPN 7A-7P', 'CCU NSG PROGRESS NOTE 19-07']);
  const opening: Piece[][] = [
    [`PT IS A `, A(anyAge()), ` YO ${pick(['M', 'F', 'MALE', 'FEMALE'])} ${pick(['ADMITTED', 'TRANSFERRED', 'TX'])} FROM `, L(facilityShort()), ` ON `, D(monthDay()), ` W/ ${pick(['UROSEPSIS', 'RESP FAILURE', 'UGIB', 'CHF EXACERBATION', 'R HIP FX S/P FALL', 'ALTERED MS'])}.`],
    [`${pick(['HX', 'PMH'])}: ${pick(['AFIB ON COUMADIN', 'CHF (EF 25%)', 'COPD ON 2L HOME O2', 'ESRD ON HD MWF', 'DM2, HTN, HLD'])}, CABG '`, D(String(int(85, 99))), `, ${pick(['CVA 2011', 'PPM 2016', 'TKR 2009', 'BKA 2014'])}.`],
    [`ADMITTED `, D(monthDay()), ` FROM `, L(facility()), ` VIA ${pick(['AMBULANCE', 'MED FLIGHT', 'EMS'])}. `, A(oldAge()), ` Y/O, HOH, ${pick(['LIVES AT', 'FROM'])} `, L(facilityShort()), `.`],
  ];
  const body: Array<() => Piece[]> = [
    () => [`NEURO: ${pick(['ALERT', 'AWAKE', 'SEDATED', 'LETHARGIC', 'A&OX3', 'ORIENTED X1'])}, ${pick(['MAE', 'MAE WEAKLY', 'FOLLOWS SIMPLE COMMANDS', 'PERRL 3MM BRISK', 'NODS APPROPRIATELY'])}. ${pick(['CONT ON', 'REMAINS ON', 'WEANED'])} ${pick(SEDATION)} ${pick(['GTT', 'GTT @ 20MCG/KG/MIN', 'PRN', 'GTT TO OFF @ 0300'])}. RASS ${pick(['-2', '-1', '0'])}.`],
    () => [`CV: HR ${hr()} ${pick(['AFIB', 'NSR', 'ST', 'SB'])} ${pick(['W/ OCC PVCS', 'NO ECTOPY', 'RARE PACS'])}. SBP ${sbp()}. ${pick(PRESSORS)} GTT ${pick(['WEANED TO OFF', 'TITRATED 0.5-2MCG/KG/MIN', 'CONT @ 1MCG', 'INCREASED TO 3'])}. +PP BILAT.`],
    () => [`CV: SWAN R IJ, CO/CI ${int(3, 6)}.${int(0, 9)}/${int(1, 3)}.${int(0, 9)}, PCWP ${int(12, 22)}. ALINE L RADIAL, DAMPENED X1, FLUSHED. K ${int(3, 4)}.${int(0, 9)}, REPLETED W/ 40MEQ KCL.`],
    () => [`RESP: ${pick(['LS CLEAR', 'COARSE BS BILAT', 'CRACKLES @ BASES', 'DIMINISHED RLL'])}. ON ${pick(['PSV 10/5', 'PSV 12/5 40%', 'AC 500X14 PEEP 8 FIO2 50%', '4L NC', '50% COOL NEB', 'BIPAP 12/6'])}. SATS ${int(9, 9)}${int(2, 4)}-${int(96, 100)}%. SX FOR ${pick(['SM', 'MOD', 'COPIOUS'])} ${pick(['TAN', 'WHITE', 'YELLOW', 'BLOOD TINGED'])} SPUTUM.`],
    () => [`GI: ABD ${pick(['SOFT', 'FIRM', 'DISTENDED'])}, ${pick(['NT/ND', '+BS', 'HYPOACTIVE BS'])}. ${pick(['NPO', 'NPO AFTER MN FOR OR', 'TF @ GOAL 60CC/HR VIA OGT', 'TOL CLEARS', 'OGT TO LCS'])}. ${pick(['NO BM', 'BROWN STOOL GUAIAC NEG', 'LG LOOSE BM X2, C-DIFF SENT', 'FLEXISEAL IN PLACE'])}.`],
    () => [`GU: FOLEY DRAINING ${uo()} ${pick(['AMBER URINE', 'CLEAR YELLOW URINE', 'CLOUDY URINE W/ SEDIMENT'])}. ${pick(['LASIX 40MG IV @ 2200 W/ GOOD RESPONSE', 'NEG 1500CC SINCE MN', 'I/O +2100/1650', 'BUN/CR 42/2.1'])}.`],
    () => [`ID: TMAX ${int(99, 102)}.${int(0, 9)}. ON ${pick(ABX)} & ${pick(ABX)}. ${pick(['BLD CX X2 SENT', 'WBC 14.2', 'AFEBRILE', 'PAN CULTURED @ 0200'])}.`],
    () => [`SKIN: ${pick(['INTACT', 'STAGE II COCCYX, DSG CHANGED', 'ECCHYMOSIS BUE', 'R GROIN CATH SITE C/D/I, NO HEMATOMA'])}. ${pick(['OOB TO CHAIR X2HRS', 'TURNED Q2H', 'ON KINAIR BED', 'HEELS OFFLOADED'])}.`],
    () => [`LINES: ${pick(['R IJ TLC', 'L SC CVL', 'PICC R BRACHIAL', '2 PIVS'])}, ${pick(['ALINE R RADIAL', 'SWAN L IJ', 'NO ALINE'])}, FOLEY, ${pick(['OGT', 'NGT', 'DOBHOFF'])}.`],
    () => [`ENDO: FS ${int(1, 2)}${int(0, 9)}0-${int(2, 3)}${int(0, 9)}0, ON INSULIN GTT @ ${int(2, 8)}U/HR PER PROTOCOL.`],
    () => [`SOCIAL: ${pick(REL_CAPS)} `, N(given().toUpperCase()), ` ${pick(['IN TO VISIT', 'CALLED', 'UPDATED BY RN', 'AT BEDSIDE MOST OF EVE'])}${chance(0.5) ? '.' : ', HOPE TO HAVE FAMILY MTG IN AM.'}`],
    () => [`SOCIAL: ${pick(REL_CAPS)} `, N(`${given()} ${family()}`.toUpperCase()), ` IS HCP, LIVES IN `, L(town().toUpperCase()), `. CAN BE REACHED AT `, P(phone()), `.`],
    () => [`FAMILY: ${pick(REL_CAPS)} `, N(given().toUpperCase()), ` & ${pick(REL_CAPS)} `, N(given().toUpperCase()), ` IN, UPDATED ON POC. ${pick(['FULL CODE', 'DNR/DNI', 'CMO DISCUSSION PENDING'])}.`],
    () => [`${pick(['MD', 'DR', 'RESIDENT', 'NP', 'DR.'])} `, N(family().toUpperCase()), ` AWARE OF ${pick(['LOW UO', 'SBP 80S', 'TMAX', 'K 3.1', 'HCT 24'])}, ${pick(['NO NEW ORDERS', '500CC NS BOLUS GIVEN', '1 UNIT PRBC ORDERED', 'WILL REASSESS IN AM'])}.`],
    () => [`PAGED DR `, N(family().toUpperCase()), ` @ `, ...pager(true), ` RE: ${pick(['SBP 70S', 'AGITATION', 'HR 140S', 'O2 SAT 85%'])}.`],
    () => [`PLAN: ${pick(['TRANSFER TO', 'D/C TO', 'SCREENING FOR', 'AWAITING BED @'])} `, L(facilityShort().toUpperCase()), ' ', ...oneOf([pick(['WHEN BED AVAIL', 'IN AM', 'PENDING INSURANCE'])], [`${pick(['ON', 'BY'])} `, D(monthDay())]), `. ${pick(['CONT TO MONITOR', 'WEAN VENT AS TOL', 'FOLLOW LYTES', 'SBT IN AM'])}.`],
    () => [`PLAN: ${pick(['CONT PLAN OF CARE', 'WEAN PRESSORS AS TOL', 'DIURESE 1-2L NEG', 'HOPE TO EXTUBATE IN AM', 'MAY NEED TRACH/PEG'])}. ${pick(['SUPPORT PT/FAMILY', 'PT IS FULL CODE', 'WILL CONT TO FOLLOW'])}.`],
  ];
  const sig: Piece[] = chance(0.5) ? [`${pick(['-', '--', ''])}`, N(`${given()[0]}. ${family()}`.toUpperCase()), `, RN`] : [];
  const ls: Piece[][] = [[head], opening[int(0, 2)]!, ...some(body, 5, 9).map((f) => f())];
  if (sig.length > 0) ls.push(sig);
  return build(id, upper(lines(ls)));
}

// --- style 2: terse notes in lower case ------------------------------------------------------------

function terseLower(id: string): Doc {
  const sentences: Array<() => Piece[]> = [
    () => [`pt ${pick(['alert', 'sleepy but arousable', 'a+ox3', 'confused, reorients', 'sedated'])}, mae, ${pick(['c/o pain 6/10 r hip', 'denies pain', 'c/o nausea', 'pain 3/10 after dilaudid'])}. `],
    () => [`medicated w/ ${pick(['dilaudid 0.5mg iv', 'oxycodone 5mg po', 'tylenol 650 pr', 'ativan 0.5mg iv'])} w/ ${pick(['relief', 'good effect', 'min relief'])}. `],
    () => [`vss. hr ${int(7, 9)}0-${int(9, 11)}0s ${pick(['st', 'nsr', 'afib'])}, bp ${int(11, 12)}0-130/${int(5, 7)}0s. `],
    () => [`tol po ${pick(['meds w/ applesauce', 'clears', 'soft diet'])}. `],
    () => [`oob to chair w/ pt, tol well. `],
    () => [`foley d/c'd @ ${pick(['1400', '0600', '0930'])}, due to void by ${pick(['2200', '1200', '1530'])}. `],
    () => [`npo since mn. `],
    () => [`u/o ${int(3, 4)}0-${int(4, 6)}0cc/hr, ${pick(['amber', 'clear yellow', 'dark amber'])}. `],
    () => [`heparin gtt @ ${int(8, 14)}00u/hr, ptt ${int(45, 95)}, ${pick(['no change', 'rate adjusted per protocol', 'next ptt @ 0400'])}. `],
    () => [`frank blood from ${pick(['ngt', 'rectum', 'foley'])} x1, dr `, N(family().toLowerCase()), ` aware. `],
    () => [`lytes repleted. k ${int(3, 4)}.${int(0, 9)}, mg ${int(1, 2)}.${int(0, 9)}. `],
    () => [`${pick(REL_LOWER)} `, N(given().toLowerCase()), ` in, ${pick(['updated by dr', 'updated by np', 'spoke w/ resident'])} `, N(family().toLowerCase()), `. `],
    () => [`${pick(REL_LOWER)} `, N(`${given()} ${family()}`.toLowerCase()), ` called from `, L(town().toLowerCase()), `, ${pick(['updated', 'will visit tmrw', 'wants call if changes'])}. `],
    () => [`plan: cont abx, screen for rehab (pt/family prefer `, L(facilityShort().toLowerCase()), ` in `, L(town().toLowerCase()), `). `],
    () => [`d/c planning: likely to `, L(facility().toLowerCase()), ` ${pick(['fri', 'early next wk', 'once insurance ok\'d'])}. `],
    () => [`last bm `, D(monthDay()), `, colace/senna given. `],
    () => [`hx cabg '`, D(String(int(88, 99))), `, ${pick(['dm2', 'htn', 'copd', 'ckd'])}, dx'd w/ ${pick(['ca', 'afib', 'chf'])} ${pick(['2012', '2018', '2007'])}. `],
    () => [`pt is `, A(oldAge()), `, lives ${pick(['alone', 'w/ dtr', 'w/ wife'])} in `, L(town().toLowerCase()), `. `],
    () => [`spo2 ${int(92, 95)}-${int(96, 99)}% on ${int(2, 4)}l nc, ${pick(['ls clear', 'crackles bases', 'diminished bilat'])}. `],
    () => [`rusty sputum, cx sent. `],
    () => [`young man in next bed loud overnight, pt slept poorly. `],
  ];
  const head = pick(['npn 7a-7p', 'nsg 1900-0700', 'rn note', 'npn 19-07', 'progress note, nsg']);
  const body = some(sentences, 6, 11).flatMap((f) => f());
  const sig: Piece[] = chance(0.5) ? [`\n- `, N(`${given()}`.toLowerCase()), ` rn`] : [];
  return build(id, lower([`${head}\n`, ...body, ...sig, '\n']));
}

// --- style 3: discharge summaries with headers ---------------------------------------------------------

function discharge(id: string): Doc {
  const g = given();
  const f = family();
  const attending = `${given()} ${family()}`;
  const pcp = family();
  const admit = fullDate();
  const male = chance(0.5);
  const mrOrMs = male ? 'Mr.' : 'Ms.';
  const ps: Piece[] = [
    `DISCHARGE SUMMARY\n`,
    `Patient: `, N(`${g} ${f}`), `    MRN: `, ['MRN', mrn()], `\n`,
    `Date of Admission: `, D(admit), `    Date of Discharge: `, D(fullDate()), `\n`,
    `Attending: `, N(attending), `, MD\n`,
    `PCP: Dr. `, N(pcp), `, `, L(pick(CLINICS)), `, tel `, P(phone()), `\n\n`,
    `CHIEF COMPLAINT: ${pick(['Dyspnea', 'Fall', 'Melena', 'Fever and confusion', 'Chest pain'])}\n\n`,
    `HISTORY OF PRESENT ILLNESS: ${mrOrMs} `, N(f), ` is a `, A(anyAge()), `-year-old ${male ? pick(['gentleman', 'man']) : pick(['lady', 'woman'])} with ${pick(['CAD s/p CABG in 2004', 'HFrEF (EF 20-25%)', 'COPD on home O2', 'stage IV CKD', 'AFib on apixaban'])} who presented to the `, L(pick(['Haverhill Regional', 'Good Shepherd', 'Bayridge', 'Holy Cross'])), ` ED on `, D(monthDay()), ` with ${pick(['3 days of worsening dyspnea', 'a mechanical fall', 'two episodes of melena', 'fever to 102.4'])}. ${male ? 'He' : 'She'} was ${pick(['transferred to', 'admitted to'])} the MICU ${pick(['for BiPAP', 'on neo', 'after intubation'])}.\n\n`,
    `HOSPITAL COURSE:\n`,
    `1. ${pick(['CHF', 'Respiratory failure', 'GI bleed', 'Sepsis'])}: ${pick(['diuresed with lasix 40 IV BID, net negative 1500cc/day', 'extubated on hospital day 3', 'transfused 2 units PRBC, Hct stable 28-30', 'treated with vanco/zosyn, narrowed to ceftriaxone'])}. `,
    ...oneOf(['Weight 82.1 -> 76.4 kg.'], ['Cultures negative.'], ['EGD on ', D(monthDay()), ` showed ${pick(['a clean-based ulcer', 'gastritis'])}.`]),
    `\n`,
    `2. ${pick(['AFib', 'Delirium', 'AKI', 'Hyponatremia'])}: ${pick(['rate controlled with metoprolol 25 TID', 'resolved with haldol prn and reorientation', 'Cr peaked 2.8, back to baseline 1.4', 'Na 124 -> 133 with fluid restriction'])}.\n`,
    `3. Code status: `,
    ...oneOf(['Full code'], ['DNR/DNI, confirmed with daughter ', N(given())], ['DNR, discussed with patient and wife']),
    `.\n\n`,
    `DISCHARGE MEDICATIONS: ${pick(['Lasix 40 mg PO daily', 'Metoprolol 25 mg PO TID', 'Pantoprazole 40 mg PO BID'])}, ${pick(['Apixaban 5 mg BID', 'Aspirin 81 mg daily', 'Senna 8.6 mg qhs'])}, ${pick(['Lisinopril 5 mg daily', 'Atorvastatin 80 mg qhs', 'Insulin glargine 18 units qhs'])}.\n\n`,
    `DISCHARGE DISPOSITION: ${pick(['Extended care', 'Home with VNA', 'Rehab'])} - `, L(facility()), ...oneOf([], [', ', L(town())]), `\n`,
    `CONDITION AT DISCHARGE: ${pick(['Stable', 'Fair', 'Good'])}. Ambulating with walker.\n\n`,
    `FOLLOW UP: Dr. `, N(family()), ` (${pick(['cardiology', 'GI', 'nephrology'])}) on `, D(monthDay()), ` at ${pick(['10:30', '2:15 pm', '0900'])}; call `, P(phone()), ` to confirm. Labs (chem 7, CBC) in 1 week.\n`,
    `cc: Dr. `, N(pick(['Young', 'Banks', 'Hope', 'Frost', 'Meadows', 'Church'])), `\n`,
    `Dictated by: `, N(`${given()} ${family()}`), `, ${pick(['MD', 'PA-C', 'NP'])}   D: `, D(fullDate()), `  T: `, D(fullDate()), `\n`,
  ];
  return build(id, ps);
}

// --- style 4: telephone encounters / call-back notes ----------------------------------------------------

function telephone(id: string): Doc {
  const rel = pick(['daughter', "pt's dtr", 'son', 'wife', 'husband', 'niece', 'caregiver']);
  const relName = `${given()} ${family()}`;
  const ps: Piece[] = [
    `${pick(['Telephone encounter', 'Phone note', 'TELEPHONE CALL', 'Call back'])} `, D(monthDay()), ` ${pick(['1435', '0910', '16:20', '11:05am'])}\n`,
    `Spoke with ${rel} `, N(relName), ` ${pick(['(on HIPAA form) ', '(HCP) ', ''])}at `, P(phone()), ` re: ${pick(['INR 3.8', 'K 5.6', 'BP readings 150-170s at home', 'Hgb 7.9', 'blood sugars 250-300s'])} drawn ${pick(['this am', 'yesterday'])} at `,
    ...oneOf([L('Baystate'), ' lab'], ['the ', L('Whittier'), ' lab'], [['ORGANIZATION', 'Quest'], ' in ', L('Methuen')], [L('PRMC'), ' outpatient lab']), `. `,
    `${pick(['Instructed to hold warfarin x1, then 2.5mg daily.', 'Advised to go to ED.', 'Increase lisinopril to 20mg.', 'Will recheck in am.'])} Recheck `, D(monthDay()), `.\n`,
    `Pt is `, A(anyAge()), ` and lives ${pick(['alone', 'with son', 'in assisted living'])} in `, L(town()), `; `,
    ...oneOf(['dtr checks in daily'], ['VNA 2x/wk'], ['son ', N(pick(['Chip', 'Skip', 'Bud', 'Rocky'])), ' stops by after work']), `.\n`,
    `Discussed with Dr. `, N(family()), ` (`, ...pager(), `) who agrees. `,
    `${pick(['LMOM', 'Left VM', 'No answer'])} for ${pick(['son', 'grandson', 'nephew'])} `, N(given()), ` to call back at ${pick(['our #', 'clinic'])}. `,
    `Pt's callback # `, P(phone()), `.\n`,
    `${pick(['--', '-'])} `, N(`${given()[0]}. ${family()}`), ` RN\n`,
  ];
  return build(id, chance(0.25) ? upper(ps) : ps);
}

// --- style 5: respiratory care notes ------------------------------------------------------------------

function respiratory(id: string): Doc {
  const settings = pick(['PSV 12/5 40%', 'AC 450X16 PEEP 10 FIO2 60%', 'CPAP 5 PS 8', 'SIMV 500X10/10/5', 'BIPAP 14/8 35%', 'TRACH MASK 40%']);
  const ps: Piece[] = [
    `RESP CARE NOTE: PT REMAINS ON ${settings}. RR ${int(14, 18)}-${int(20, 30)}, VT ${int(3, 4)}00-${int(4, 5)}50, MV ${int(6, 11)}.${int(0, 9)}. `,
    `BS ${pick(['COARSE', 'CLEAR', 'DIMINISHED R>L', 'EXP WHEEZES'])}. SX ${pick(['SM', 'MOD', 'LG'])} AMT ${pick(['WHITE', 'TAN', 'YELLOW', 'RUSTY'])} SECRETIONS. `,
    `${pick(['ALBUTEROL/ATROVENT MDI 6 PUFFS Q4H', 'XOPENEX NEB Q6H', 'NO NEBS ORDERED'])}. RSBI ${int(40, 120)}. ABG ${int(7, 7)}.${int(28, 46)}/${int(35, 60)}/${int(60, 140)}. `,
    `ETT ${pick(['7.5', '8.0', '7.0'])} @ ${int(21, 25)} AT LIP, CUFF PRESSURE ${int(20, 30)}. `,
    `PLAN: ${pick(['SBT IN AM IF FIO2 < 50%', 'WEAN PEEP AS TOL', 'HOPE TO EXTUBATE TODAY', 'CONT CURRENT SETTINGS'])}. WILL CONT TO FOLLOW.`,
  ];
  if (chance(0.5)) ps.push(` DISCUSSED W/ DR `, N(family().toUpperCase()), `.`);
  if (chance(0.35)) ps.push(` PT WAS ON HOME CPAP SINCE 2013, MACHINE BROUGHT IN BY ${pick(REL_CAPS)} `, N(given().toUpperCase()), `.`);
  ps.push(`\n`, N(`${given()} ${family()}`.toUpperCase()), `, RRT\n`);
  return build(id, chance(0.3) ? lower(ps) : ps);
}

// --- style 6: social work and case management notes --------------------------------------------------

function socialWork(id: string): Doc {
  const wifeG = given();
  const wifeF = family();
  const nephew = given();
  const place = facilityShort();
  const other = pick(FACILITIES.map((x) => x[1]).filter((x) => x !== place));
  const ps: Piece[] = [
    `${pick(['SW note', 'Case Management', 'Social Work Progress Note', 'CM/SW'])}: `,
    `Met with pt's ${pick(['wife', 'partner', 'sister'])}, Mrs. `, N(`${wifeG} ${wifeF}`), `, and ${pick(['nephew', 'grandson', 'neighbor'])} `, N(nephew), ` at bedside. `,
    `Pt is a `, A(anyAge()), ` y/o ${pick(['retired machinist', 'former teacher', 'Navy veteran', 'retired nurse'])} who lives with ${pick(['wife', 'partner', 'sister'])} in a ${pick(['two-family house', 'first floor apt', 'ranch house'])} in `, L(town()), `. `,
    ...oneOf(['Independent in ADLs prior to admission.'], ['Uses a walker; VNA from ', ['ORGANIZATION', pick(['Elder Services of Haverhill', 'Merrimack Valley VNA', 'Pioneer Home Care'])], ' 2x/wk.'], ['Has a home health aide 4 hrs/day.']),
    ` Discussed placement options: `, L(place), ` vs `, L(other), `. ${pick(['Wife', 'Family'])} prefers `, L(place), ` (close to home). `,
    `Referral faxed `, D(monthDay()), `. ${pick(['Awaiting bed offer.', 'Insurance auth pending.', 'Accepted, bed available Monday.'])}\n`,
    `Contact: ${pick(["wife's cell", 'home', 'HCP'])} `, P(phone()), ...oneOf([], ['; alt ', P(phone())]), `.\n`,
    `${pick(['Will follow.', 'SW to follow for d/c planning.', 'Please page with questions'])} `, ...(chance(0.5) ? pager() : []), `\n`,
    N(`${given()} ${family()}`), `, ${pick(['LICSW', 'MSW', 'RN CM'])}\n`,
  ];
  return build(id, ps);
}

// --- style 7: resident progress notes (SOAP) -------------------------------------------------------------

function progress(id: string): Doc {
  const day = int(2, 14);
  const ps: Piece[] = [
    `${pick(['MICU', 'CCU', 'SICU', 'Medicine'])} Day ${day}\n`,
    `S: o/n ${pick(['agitated, precedex gtt started at 0200', 'uneventful', 'febrile to 101.6, pan cx', 'rapid afib 140s, dilt 10mg IV x2'])}. ${pick(['Pt reports feeling better.', 'Unable to obtain, intubated/sedated.', 'C/o back pain.'])}\n`,
    `O: Tm ${int(99, 102)}.${int(0, 9)} Tc ${int(98, 99)}.${int(0, 9)} HR ${int(8, 9)}5-${int(10, 12)}0 BP ${int(10, 11)}0-135/${int(5, 6)}5-70 RR 18-24 SpO2 94-98% on ${pick(['AC 500x16/5/40%', '3L NC', 'PSV 10/5', 'RA'])}\n`,
    `I/O ${int(1, 3)}.${int(0, 9)}L/${int(1, 3)}.${int(0, 9)}L, ${pick(['neg 500', 'even', '+1.2L'])}\n`,
    `Gen: ${pick(['NAD', 'intubated, sedated', 'frail elderly, pleasant'])}. CV: ${pick(['irreg irreg', 'RRR, no m/r/g', 'distant'])}. Lungs: ${pick(['bibasilar crackles', 'CTAB', 'coarse'])}. Abd: soft, NT. Ext: ${pick(['1+ edema', 'no edema', 'warm'])}.\n`,
    `Labs: WBC ${int(4, 18)}.${int(0, 9)} Hct ${int(24, 38)}.${int(0, 9)} Plt ${int(90, 400)} Na ${int(128, 145)} K ${int(3, 5)}.${int(0, 9)} Cr ${int(0, 3)}.${int(1, 9)} INR ${int(1, 3)}.${int(0, 9)}\n`,
    `Micro: ${pick(['BCx ', 'Sputum cx from '])}`, D(monthDay()), ` ${pick(['NGTD', 'GPC in clusters', 'pending'])}.\n`,
    `A/P: `, A(anyAge()), ` yo ${pick(['M', 'F'])} w/ ${pick(['COPD', 'CHF', 'ESRD', 'cirrhosis'])} admitted `, D(monthDay()), ` with ${pick(['hypercarbic resp failure', 'septic shock from UTI', 'UGIB', 'SBP'])}.\n`,
    `# ${pick(['Resp failure', 'Shock', 'Bleed'])}: ${pick(['wean vent, SBT in AM', 'levo 0.05, wean MAP > 65', 'PPI gtt, GI to scope', 'cont abx day 4/7'])}\n`,
    `# FEN: ${pick(['TF at goal', 'NPO for procedure', 'regular diet'])}; replete lytes\n`,
    `# Dispo: `, ...oneOf(['MICU'], ['call-out to floor'], ['likely rehab at ', L(facilityShort())]),
    `\n`,
    `D/w attending Dr `, N(family()), ` and family (${pick(['son', 'daughter', 'wife'])} `, N(given()), `) updated.\n`,
    `${pick(['Resident', 'Intern', 'PGY-2'])}: `, N(`${given()} ${family()}`.toLowerCase()), `, `, ...pager(), `\n`,
  ];
  return build(id, ps);
}

// --- style 8: short addenda and event notes ----------------------------------------------------------------

function addendum(id: string): Doc {
  const forms: Array<() => Piece[]> = [
    () => [`ADDENDUM ${pick(['0415', '2330', '0150'])}: PT FOUND W/ OGT OUT, REPLACED & PLACEMENT CONFIRMED BY CXR. DR `, N(family().toUpperCase()), ` AWARE.`],
    () => [`EVENT NOTE ${pick(['0230', '1745'])}: PT DESATTED TO 82% ON 4L NC, PLACED ON NRB W/ IMPROVEMENT TO 95%. ABG 7.31/58/64. MICU RESIDENT `, N(given().toUpperCase()), ` AT BEDSIDE. BIPAP 12/5 STARTED.`],
    () => [`Addendum: received call from `, L(facility()), ` (`, P(phone()), `), pt's prior records from `, D(monthDay()), ` admission to be faxed.`],
    () => [`addendum: ${pick(['wife', 'son', 'dtr'])} `, N(given().toLowerCase()), ` called back, aware of transfer to `, L(facilityShort().toLowerCase()), ` on `, D(monthDay()), `. cell `, P(phone()), `.`],
    () => [`Late entry for `, D(monthDay()), `: pt ambulated 150 ft w/ PT, tol well. Fall risk reassessed (Morse 45).`],
    () => [`ADDENDUM: PT'S ${pick(['SISTER', 'BROTHER', 'GRANDDAUGHTER'])} `, N(`${given()} ${family()}`.toUpperCase()), ` (`, P(phone()), `) IS NEW HCP PER PAPERWORK DATED `, D(fullDate().toUpperCase()), `.`],
    () => [`Pt transferred to `, L(facility()), ` via ${pick(['ALS', 'BLS', 'Med Flight'])} at ${pick(['1340', '0915', '2010'])}. Report called to RN `, N(given()), ` at `, P(phone()), `. Belongings sent with pt.`],
    () => [`event: rapid response called @ ${pick(['2215', '0340'])} for hr 150s, bp 70-80s/40s. ${pick(['amio 150mg iv given', 'fluid bolus 1l lr', 'cardioverted 100j x1'])}. dr `, N(family().toLowerCase()), ` & icu team at bedside, pt to micu.`],
  ];
  const k = int(1, 2);
  const ls = some(forms, k, k).map((f) => f());
  return build(id, lines(ls));
}

const STYLES = [nursingCaps, terseLower, discharge, telephone, respiratory, socialWork, progress, addendum];
const COUNT = 200;

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/clinical-notes-b.jsonl');
  const docs = Array.from({ length: COUNT }, (_, k) => STYLES[k % STYLES.length]!(`clinical-b-${String(k + 1).padStart(4, '0')}`));
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  process.stdout.write(`clinical-notes-b ${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length})\n`);
}
