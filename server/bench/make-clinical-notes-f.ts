/**
 * `npm run data:clinical-f` (R-DATA-2, issue 30): writes server/src/modules/redaction/data/clinical-notes-f.jsonl,
 * a sixth clinical development set, written and committed before the engine was run on it and before its
 * author read the engine's detectors or lexicon files. Its frames, heads and surrogate lists are its own,
 * so that its first measurement says how the rules carry over to notes they were not written against.
 * Deterministic (seeded); formats and labels as ../shared/data/phi/README.md; the lockbox split is the
 * same hash of the id (`isLockbox`).
 *
 * What it imitates: ICU and step-down nursing notes of the late 1990s and 2000s, in eight shapes:
 * - system-by-system shift notes under one of seven spellings of the heads per note ("NEURO:", "Neuro-",
 *   "N:", "NEURO/MS:", "neuro:" ...), the heads on their own lines or run together in one paragraph;
 * - free-running shift narratives with times ("at 0300 pt became ...");
 * - cardiac-surgery recovery notes (POD #0 s/p CABG x3, chest tubes, epicardial wires, neo and nipride);
 * - neonatal ICU notes by numbered problem ("#1 Resp", "#2 FEN", "#4 Parenting"; "GA 29 3/7 wks");
 * - nursing admission notes with history ("CABG '97", "transferred from ... on 3/14");
 * - respiratory-care notes (vent settings, ABGs, RSBI, SBTs) with little PHI;
 * - transfer, discharge and death notes (report given to a nurse at another facility, ambulances);
 * - short event notes, addenda and family calls.
 * Each note is in ALL CAPS, lower case or mixed case; about 45 frames per system head, with drips and
 * doses, ranges ("HR 80-90s", "SBP 100-120"), shift times ("1900-0700"), "@0400", volumes ("1500cc",
 * "30-40cc/hr"), labs, vent settings and fractions that are no dates ("pain 6/10", "strength 4/5",
 * "2/6 SEM", "BCx 2/4", "TOF 2/4", "GA 29 3/7", "1/2 NS", "day 3/7").
 * PHI (surrogates only): relatives after relation words and clinicians after titles and roles in any
 * case ("wife MARTHA", "son joe", "dr brown", "resident ann lee"), names before "(daughter)" or "RN",
 * patients after "Mr."/"Mrs."/"Baby Girl", names that are words ("Young", "Banks", "Hope", "Rose", "Bell",
 * "Page", "Grace", "Frank", "Stone", "Lamb") and surnames that are eponyms of clinical things ("Foley",
 * "Fowler", "Murphy", "Swan", "Graves", "Wells"), provider initials in sign-offs ("-- JS RN", "per NP
 * K.M."); facilities in full and by short form, two- and three-letter ones after "to", "at", "from",
 * "transfer to"; towns; month/day dates without a year ("3/14", "11/2", "03/07", "Mar 4"), date ranges,
 * "'97" years; pager and beeper numbers; phones with slashes, spaces, dots and brackets; MRNs; ages over 89.
 * Gold conventions as the earlier sets: a title, relation word or role is not part of the name; "'97"
 * marks "97"; a pager's word and "#" are not part of its number; facilities and towns are LOCATION;
 * insurers, agencies and ambulance services ORGANIZATION (neutral); weekdays and ages of 89 or under
 * `"scored": false`; hospital units ("MICU", "7 North", "CSRU"), "OSH", "rehab", bare years and times carry
 * no span. Towns are real names used as surrogates; no real patient, clinician or number is meant.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexiconOverlap } from './make-clinical-notes-d.ts';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(6106_2026);
const { pick, chance, int, digits, some } = draws(rnd);
const dec = (lo: number, hi: number, places = 1) => `${int(lo, hi)}.${digits(places)}`;

// --- surrogates: lists of this generator ----------------------------------------------------------------

const GIVEN = ['Dorothy', 'Mildred', 'Eleanor', 'Bernice', 'Agnes', 'Loretta', 'Phyllis', 'Gladys', 'Edna', 'Marion', 'Theresa', 'Rita', 'Lorraine', 'Jeanette', 'Doris', 'Arlene', 'Elaine', 'Claire', 'Maureen', 'Kathleen', 'Eileen', 'Norma', 'Wanda', 'Thelma', 'Velma', 'Lucille', 'Geraldine', 'Harold', 'Walter', 'Raymond', 'Eugene', 'Leonard', 'Stanley', 'Bernard', 'Gerald', 'Salvatore', 'Domenic', 'Alfred', 'Herbert', 'Wilfred', 'Clarence', 'Lloyd', 'Roland', 'Armand', 'Normand', 'Gilles', 'Rejean', 'Manuel', 'Conceicao', 'Gustavo', 'Luz', 'Mei', 'Hoa', 'Minh', 'Ngoc', 'Sunil', 'Priya', 'Rajesh', 'Oksana', 'Svetlana', 'Dmitri', 'Yelena', 'Haim', 'Shlomo', 'Chaya', 'Tamar', 'Dov', 'Kristen', 'Jason', 'Kevin', 'Shawn', 'Tricia', 'Kerri', 'Stacey', 'Tammy', 'Keisha', 'Tyrone', 'Latoya', 'Derek', 'Colleen', 'Brendan', 'Meghan', 'Lindsay', 'Bob', 'Jim', 'Joe', 'Tony', 'Vinny', 'Dot', 'Millie', 'Peg', 'Bea', 'Ted', 'Walt', 'Len', 'Gerry', 'Kathy', 'Lou', 'Ann', 'Sue', 'Kay', 'Marty', 'Martha'];
const GIVEN_WORDS = ['Grace', 'Hope', 'Rose', 'Pearl', 'Ruby', 'Opal', 'Iris', 'Ivy', 'Holly', 'Lily', 'Daisy', 'Heather', 'Fern', 'Hazel', 'Olive', 'Ginger', 'Candy', 'Penny', 'Sandy', 'Misty', 'Crystal', 'Goldie', 'Honey', 'Angel', 'Patience', 'Constance', 'Frank', 'Mark', 'Bill', 'Will', 'Art', 'Ray', 'Gene', 'Guy', 'Buck', 'Chip', 'Cliff', 'Dale', 'Glen', 'Lance', 'Rod', 'Sonny', 'Jack', 'Bud', 'Skip', 'Rocky', 'Pat', 'Drew'];
const FAMILY = ['Sullivan', 'McCarthy', 'Donovan', 'Fitzgerald', 'Callahan', 'Doherty', 'Kavanagh', 'Mahoney', 'Shaughnessy', 'Flaherty', 'Costello', 'DiNapoli', 'Ferraro', 'Santangelo', 'Russo', 'Lombardi', 'Silva', 'Medeiros', 'Furtado', 'Amaral', 'Ferreira', 'Nguyen', 'Tran', 'Pham', 'Huynh', 'Vo', 'Chen', 'Wong', 'Lee', 'Lin', 'Patel', 'Shah', 'Desai', 'Iyer', 'Goldberg', 'Rosenthal', 'Katz', 'Shapiro', 'Levy', 'Friedman', 'Ivanov', 'Petrov', 'Kuznetsova', 'Boudreau', 'Cormier', 'LeBlanc', 'Theriault', 'Robichaud', 'Ouellette', 'Jefferson', 'Robinson', 'Okafor', 'Mensah', 'Diallo', 'Alvarez', 'Gutierrez', 'Figueroa', 'Santiago', 'Nowak', 'Zielinski', 'Olson', 'Larsen', 'Schultz', 'Hoffman', 'Kaminski', 'Szymanski', 'Papadopoulos', 'Karras', 'Haddad', 'Khoury'];
const FAMILY_WORDS = ['Young', 'Banks', 'Hope', 'Rose', 'Page', 'Bell', 'Baker', 'Price', 'Lamb', 'Wolf', 'Fox', 'Crane', 'Marsh', 'Stone', 'Brooks', 'Hill', 'Cook', 'Mason', 'Booth', 'Dove', 'Snow', 'Green', 'Black', 'White', 'Gray', 'Bird', 'Shields', 'Rice', 'Hunt', 'Sharp', 'Strong', 'Long', 'Little', 'Wise', 'Moody', 'Cash', 'Golden', 'Bush', 'Pike', 'Gill', 'Bean', 'Burns', 'Hale', 'Mann', 'Payne', 'Temple', 'Wood', 'Sparks', 'Rhodes', 'Lane', 'Waters', 'Rivers', 'Church', 'Knight', 'Sargent', 'Marshall', 'Frost', 'Winter', 'Day', 'Story'];
/** Surnames that are also eponyms of things in an ICU: "Foley" the catheter, "semi-Fowler's". */
const FAMILY_EPONYMS = ['Foley', 'Fowler', 'Murphy', 'Swan', 'Graves', 'Wells', 'Levine', 'Miller', 'Cushing', 'Bell'];
const SYL = ['bra', 'ven', 'tal', 'mo', 'sik', 'dor', 'lum', 'ash', 'ri', 'kel', 'ba', 'nor', 'zet', 'ol', 'pra', 'gu', 'vin', 'est', 'mar', 'yo'];
function invented(): string {
  const w = Array.from({ length: int(2, 3) }, () => pick(SYL)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
}
const given = () => { const r = rnd(); return r < 0.62 ? pick(GIVEN) : r < 0.9 ? pick(GIVEN_WORDS) : invented(); };
const family = () => { const r = rnd(); return r < 0.5 ? pick(FAMILY) : r < 0.8 ? pick(FAMILY_WORDS) : r < 0.9 ? pick(FAMILY_EPONYMS) : invented(); };

const TOWNS = ['Attleboro', 'Taunton', 'Fall River', 'New Bedford', 'Fitchburg', 'Gardner', 'Athol', 'Amesbury', 'Ipswich', 'Rockport', 'Scituate', 'Hingham', 'Cohasset', 'Marshfield', 'Duxbury', 'Wareham', 'Bourne', 'Chatham', 'Andover', 'Billerica', 'Chelmsford', 'Tewksbury', 'Woburn', 'Burlington', 'Arlington', 'Belmont', 'Watertown', 'Needham', 'Sudbury', 'Hudson', 'Maynard', 'Acton', 'Ayer', 'Dracut', 'Westford', 'Stoneham', 'Wakefield', 'Melrose', 'Danvers', 'Marblehead', 'Winthrop', 'Dorchester', 'Roxbury', 'Mattapan', 'Worcester', 'Springfield', 'Pittsfield', 'Nashua', 'Keene', 'Bangor', 'Lewiston', 'Pawtucket', 'Woonsocket', 'Sharon', 'Florence', 'Sterling', 'Warren', 'Chester', 'Harvard', 'Orange', 'Hull', 'Mashpee', 'Leicester'];
const town = () => (chance(0.88) ? pick(TOWNS) : invented() + pick(['ville', 'field', ' Center', 'ham', 'wood']));
const SAINTS = ['Brendan', 'Jude', 'Vincent', 'Luke', 'Raphael', 'Agnes', 'Bernadette', 'Monica', 'Dominic', 'Clare', 'Teresa', 'Anthony'];
const NAMED = ['Sacred Heart', 'Good Shepherd', 'Our Lady of Grace', 'Lakeview', 'Hillcrest', 'Pine Ridge', 'Bayside', 'Riverbend', 'Cedar Crest', 'Harborview'];
/** Abbreviations a nursing note uses for other things: a facility's short form must not be one of them. */
const CLINICAL_ABBR = new Set('CT OR ED ER IR PT OT GI NH MD RN SW CM ST EP HD CV MS MR NP PA RT BS FS SB SR AF AV VT VF GU ID UA UC UO IV PO PR SQ IM DM CP MI HR BP OK NS LR NC FA TF TV PS PC AC TB CO CI SL HS AM PM DC DT SH MH GH CH AH BH LH PH RH FH WH HH OH NG OG JP IJ SC EF LV RV LA RA TR AS AI VA MAE MAP CVP ABG CBC CXR KUB EGD TEE TTE EKG EEG ICU CCU OSH ETT OGT NGT TLC PEG SBP DBP PVC SVT CHF CAD HTN CKD ARF UTI PNA GIB SAH SDH ICH CVA TIA DVT AAA MVR AVR CABG PCI ICD PPM IABP RVR NRB SBT RSBI TOF PSV VAP DKA AKI ATN HIT DIC FFP MRSA VRE GPC GNR HSM SEM JVD RASS GCS EVD ICP CSF HOB SCD TED ADL SNF PCP AMA HCV HIV ACS LAD RCA SVG PAD SVR NSR MMC BMC SMC MGH LGH RMC GMC'.split(' '));
const ini = (s: string) => s.split(/[\s-]+/).filter((w) => /^[A-Z]/.test(w)).map((w) => w[0]).join('');
/** A facility in full with a short form notes write for it. */
function facility(): [full: string, short: string] {
  for (;;) {
    const t = town();
    const f = family();
    const r = int(0, 11);
    const x: [string, string] =
      r === 0 ? [`${t} Hospital`, pick([`${t} Hosp`, t, `${ini(t)}H`])]
      : r === 1 ? [`${f} Memorial Hospital`, pick([`${f} Memorial`, `${f[0]}MH`, `${f} Mem`])]
      : r === 2 ? (() => { const s = pick(SAINTS); return [`St. ${s}'s Hospital`, pick([`St. ${s}'s`, `St ${s}`, `S${s[0]}H`, `St ${s[0]}'s`])] as [string, string]; })()
      : r === 3 ? [`${t} General Hospital`, pick([`${t} General`, `${ini(t)}GH`, `${t} Gen`])]
      : r === 4 ? [`${t} Regional Medical Center`, pick([`${ini(t)}RMC`, `${t} Regional`])]
      : r === 5 ? [`${t} Medical Center`, pick([`${ini(t)}MC`, `${t} Med Ctr`, t])]
      : r === 6 ? [`${f} House`, `${f} House`]
      : r === 7 ? [`${t} Nursing and Rehab`, pick([`${t} N&R`, `${t} Nursing`, `${t} Rehab`])]
      : r === 8 ? [`${t} VA Medical Center`, pick([`${t} VA`, `${t} VAMC`])]
      : r === 9 ? [`${f} Rehabilitation Hospital`, pick([`${f} Rehab`, f])]
      : r === 10 ? (() => { const n = pick(NAMED); return [`${n} Hospital`, pick([n, `${ini(n)}H`])] as [string, string]; })()
      : [`${t} Heart Institute`, pick([`${t} Heart`, `${ini(t)}HI`])];
    const short = x[1].replace(/[^A-Za-z&]/g, '');
    if (short.length >= 2 && !CLINICAL_ABBR.has(short.toUpperCase()) && !CLINICAL_ABBR.has(x[1].toUpperCase())) return x;
  }
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function monthDay(): string {
  const m = int(1, 12);
  const d = int(1, 30);
  const r = rnd();
  return r < 0.66 ? `${m}/${d}` : r < 0.74 ? `${m}/${d}/${pick(['97', '98', '99', '01', '02', '2003', '2005'])}` : r < 0.82 ? `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}` : r < 0.88 ? `${m}-${d}` : r < 0.95 ? `${MON[m - 1]} ${d}` : `${MON[m - 1]}. ${d}th`;
}
const apYear = () => String(pick([int(60, 99), int(0, 6)])).padStart(2, '0');
function phone(): string {
  const a = pick(['617', '781', '508', '978', '413', '774', '339', '857', '603', '401']);
  const b = `${int(2, 9)}${digits(2)}`;
  const c = digits(4);
  return pick([`${a}/${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `${a} ${b}-${c}`, `(${a}) ${b}-${c}`, `(${a})${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `${b}-${c}`, `${b} ${c}`, `1-${a}-${b}-${c}`]);
}
const pagerNo = () => pick([`${int(1, 9)}-${digits(4)}`, digits(5), digits(4), `${int(1, 9)}${digits(4)}`, `${digits(3)}-${digits(4)}`]);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tues', 'Wed', 'Thurs', 'Fri', 'Sat'];
const REL = ['wife', 'husband', 'son', 'daughter', 'dtr', 'sister', 'brother', 'mother', 'mom', 'father', 'niece', 'nephew', 'grandson', 'granddaughter', 'grandaughter', 'cousin', 'friend', 'neighbor', 'partner', 'SO', 'fiancee', 'ex-wife', 'stepson', 'son-in-law', 'daughter-in-law', 'sister-in-law', 'HCP', 'health care proxy', 'guardian', 'POA'];
const TITLE = ['Dr.', 'Dr', 'dr.', 'dr', 'DR.', 'DR', 'Dr.', 'Dr.'];
const ROLE = ['resident', 'intern', 'fellow', 'attending', 'NP', 'PA', 'RN', 'nurse', 'charge nurse', 'RT', 'covering MD', 'HO', 'neuro resident', 'surgery resident', 'CT surgeon', 'cards fellow', 'renal fellow', 'GI fellow', 'chaplain', 'SW', 'case mgr', 'PCP', 'nursing supervisor', 'IV team RN', 'house officer', 'anesthesia'];
const INSURERS = ['Medicare', 'Medicaid', 'MassHealth', 'BCBS', 'Tufts HP', 'Harvard Pilgrim', 'Fallon', 'NHP'];
const AGENCIES = ['VNA', 'Elder Services', 'Meals on Wheels', 'Council on Aging', 'the Visiting Nurses', 'hospice'];
const AMBULANCES = ['Metro EMS', 'Patriot Ambulance', 'Coastal Ambulance', 'Med Flight', 'Lifeline', 'Bay State EMS'];
const UNITS = ['MICU', 'SICU', 'CCU', 'CSRU', 'TSICU', 'the floor', '7 North', '6 West', '11R', 'step down', 'stepdown', '4 East', 'telemetry', 'Neuro ICU', 'the unit', 'MICU B'];

// --- slots --------------------------------------------------------------------------------------------

/** A name as typed in a mixed-case note: now and then all lower case or all capitals. */
const typed = (s: string) => (chance(0.3) ? (chance(0.6) ? s.toLowerCase() : s.toUpperCase()) : s);
const N = (s: string): Piece => ['NAME', s];
const age = (n: number): Piece => (n > 89 ? ['AGE', String(n)] : ['AGE', String(n), false]);
const fullName = () => typed(`${given()} ${family()}`);
const initials = () => { const a = pick('ABCDEFGHJKLMNPRSTW'.split('')); const b = pick('ABCDEFGHJKLMNPRSTW'.split('')); return pick([`${a}${b}`, `${a}.${b}.`, `${a}${b}`.toLowerCase(), `${a}${pick('ABCDEFGHJKLMNPRSTW'.split(''))}${b}`]); };

/** What a note has named already: a note speaks of its patient's facility and family more than once. */
const seen: { fac?: [string, string]; rel?: [string, string]; dr?: string } = {};
function noteFacility(): [string, string] {
  if (!seen.fac || chance(0.45)) seen.fac = facility();
  return seen.fac;
}
/** Relatives named in the sentence being written: "{rel} and {rel}" are two people. */
const inSentence = new Set<string>();
function noteRelative(): [relation: string, name: string] {
  if (!seen.rel || chance(0.6) || inSentence.has(seen.rel[1])) seen.rel = [pick(REL), typed(chance(0.2) ? `${given()} ${family()}` : given())];
  inSentence.add(seen.rel[1]);
  return seen.rel;
}
function noteDoctor(): string {
  if (!seen.dr || chance(0.6)) seen.dr = typed(family());
  return seen.dr;
}
type Slot = () => string | Piece[];
const S: Record<string, Slot> = {
  // PHI
  gn: () => [N(typed(given()))],
  fn: () => [N(typed(family()))],
  full: () => [N(fullName())],
  relw: () => pick(REL),
  rel: () => { const [r, n] = noteRelative(); return [`${r} `, N(n)]; },
  relp: () => [N(typed(chance(0.3) ? `${given()} ${family()}` : given())), ` (${pick(REL)})`],
  pat: () => [`${pick(['Mr.', 'Mrs.', 'Ms.', 'Mr', 'Mrs', 'MR.', 'Miss'])} `, N(typed(family()))],
  dr: () => (chance(0.8) ? [`${pick(TITLE)} `, N(noteDoctor())] : [`${pick(TITLE)} `, N(typed(`${given()} ${family()}`))]),
  prov: () => [`${pick(ROLE)} `, N(typed(chance(0.5) ? `${given()} ${family()}` : given()))],
  init: () => [N(initials())],
  md: () => [['DATE', monthDay()]],
  mdr: () => { const m = int(1, 12); return [['DATE', `${m}/${int(1, 14)}`], pick(['-', ' - ', ' to ']), ['DATE', `${chance(0.8) ? m : m + 1}/${int(15, 28)}`]]; },
  yy: () => [['DATE', apYear()]],
  fac: () => [['LOCATION', noteFacility()[0]]],
  bfac: () => { let f = noteFacility(); while (/House|Nursing|VA|Rehab|Heart/.test(f[0])) f = seen.fac = facility(); return [['LOCATION', pick(f)]]; },
  momage: () => [age(int(17, 42))],
  home: () => [['LOCATION', pick([`${family()} House`, `${town()} Nursing and Rehab`, `${pick(NAMED)} Manor`, `${town()} Rest Home`, `${family()} Village`, `${pick(SAINTS)} Hall`])]],
  facs: () => [['LOCATION', noteFacility()[1]]],
  town: () => [['LOCATION', town()]],
  ph: () => [['PHONE', phone()]],
  pgr: () => [pick(['pgr ', 'pager ', 'beeper ', 'bpr ', 'p#', 'pg ', 'beeper #', 'pgr#', 'page ']), ['PHONE', pagerNo()]],
  mrn: () => [pick(['MRN ', 'MR# ', 'MR #', 'Unit # ', 'unit no. ', 'med rec # ']), ['MRN', pick([digits(7), digits(8), `${digits(3)}-${digits(2)}-${digits(2)}`, `${digits(2)}-${digits(3)}-${digits(2)}`])]],
  age: () => [age(chance(0.5) ? int(90, 104) : int(24, 89))],
  old: () => [age(int(90, 104))],
  wd: () => [['DATE', pick(WEEKDAYS), false]],
  org: () => [['ORGANIZATION', pick(INSURERS)]],
  agency: () => [['ORGANIZATION', pick(AGENCIES)]],
  amb: () => [['ORGANIZATION', pick(AMBULANCES)]],
  // clinical text, no PHI
  unit: () => pick(UNITS),
  t: () => pick([`${String(int(0, 23)).padStart(2, '0')}${pick(['00', '15', '30', '45', '00'])}`, `${String(int(0, 23)).padStart(2, '0')}:${pick(['00', '30', '10', '45'])}`, `${int(1, 12)}${pick(['am', 'pm', ' am', ' pm', 'p', 'a'])}`]),
  shift: () => pick(['1900-0700', '0700-1900', '7p-7a', '7a-7p', '7P-7A', '1500-2300', '2300-0700', '11p-7a', '7-3', '3-11', '11-7', '0700-1500', '19:00-07:00']),
  hr: () => pick([`${int(6, 11)}0s`, (() => { const a = int(6, 10); const b = int(9, 12); return `${Math.min(a, b)}0-${Math.max(a, b)}0s`; })(), `${int(58, 90)}-${int(91, 130)}`, `${int(60, 120)}`, `low ${int(6, 10)}0s`, `${int(6, 10)}0's`]),
  rhythm: () => pick(['NSR', 'SR', 'ST', 'SB', 'AFib', 'A-fib', 'AF', 'afib w/ RVR', 'A-paced', 'V-paced', 'NSR with occ PVCs', 'SR w/ 1st deg AVB', 'SR with rare PACs', 'aflutter 2:1']),
  sbp: () => pick([`${int(8, 13)}0-${int(12, 17)}0`, `${int(9, 15)}0s`, `${int(85, 110)}-${int(111, 160)}`, `${int(10, 14)}0's`]),
  bp: () => `${int(85, 180)}/${int(40, 95)}`,
  map: () => pick(['60', '65', '70', '55-60', '60-65']),
  cvp: () => `${int(2, 12)}-${int(12, 20)}`,
  pad: () => `${int(12, 22)}-${int(22, 30)}`,
  co: () => dec(3, 7), ci: () => dec(1, 3), svr: () => String(int(6, 16) * 100), pcwp: () => String(int(10, 28)), svo2: () => String(int(55, 78)),
  temp: () => pick([`${int(99, 103)}.${digits(1)}`, `${int(37, 39)}.${digits(1)}`, `${int(99, 101)}.${digits(1)} po`, `${int(37, 38)}.${digits(1)}C`]),
  sat: () => pick([`${int(88, 96)}-${int(96, 100)}%`, `${int(90, 100)}%`, `mid ${int(8, 9)}0s`, `${int(92, 96)}-${int(97, 100)}`]),
  o2: () => pick(['2L NC', '3L NC', '4L NC', '6L NC', '50% face tent', '40% cool neb', 'NRB', 'venti mask 35%', 'shovel mask', '2l nc', '4 L NP', 'high flow 60%', 'CPAP 5', 'trach mask 40%']),
  vent: () => pick([`AC ${int(4, 6)}00 x ${int(10, 20)} / +${pick([5, 8, 10])} / ${pick([40, 50, 60, 100])}%`, `CMV ${int(45, 60)}0x${int(12, 16)} PEEP ${int(5, 12)} FiO2 .${pick([40, 50, 60])}`, `PSV ${int(5, 15)}/${int(5, 8)} ${pick([35, 40, 50])}%`, `PS ${int(5, 15)} PEEP ${int(5, 8)}`, `SIMV ${int(5, 7)}00x${int(8, 12)} PS ${int(5, 12)}`, `CPAP+PS ${int(5, 10)}/${pick([5, 0])}`, `A/C ${int(40, 55)}0/${int(12, 24)}/${int(5, 15)}/0.${int(4, 9)}`]),
  psv: () => `${int(5, 15)}/${int(5, 8)}`, peep: () => String(pick([5, 8, 10, 12, 15])), fio2: () => pick(['40%', '50%', '.60', '0.5', '35%', '100%', '70%']),
  abg: () => `7.${int(18, 49)}/${int(28, 70)}/${int(55, 180)}${chance(0.5) ? `/${int(16, 32)}` : ''}${chance(0.3) ? `/${pick(['-', '+'])}${int(0, 8)}` : ''}`,
  rsbi: () => String(int(30, 140)), tv: () => `${int(4, 6)}${pick(['00', '50'])}`, rr2: () => String(int(10, 24)), cpap: () => String(pick([5, 8, 10])), ps: () => String(int(5, 12)),
  bipap: () => `${int(10, 16)}/${int(5, 8)}`, is: () => String(pick([250, 500, 750, 1000])),
  drug: () => pick(['levophed', 'neo', 'dopamine', 'propofol', 'fentanyl', 'versed', 'heparin', 'insulin', 'nitro', 'amio', 'dilt', 'lasix', 'precedex', 'nipride', 'vasopressin', 'esmolol', 'milrinone']),
  levo: () => `.${String(int(2, 30)).padStart(2, '0')}`, neo: () => dec(0, 3), dopa: () => String(int(2, 15)), prop: () => String(int(10, 60)), fent: () => String(int(2, 20) * 25),
  versed: () => String(int(1, 8)), hep: () => String(int(7, 18) * 100), ptt: () => String(int(38, 110)), dilt: () => pick(['5', '10', '15', '20']), lop: () => pick(['5', '12.5', '25', '50']),
  ntg: () => String(int(1, 20) * 10), lasix: () => pick(['20', '40', '80', '100']), lasixg: () => pick(['5', '10', '20']), dex: () => `0.${int(2, 9)}`, esm: () => String(int(5, 30) * 10),
  aug: () => `${int(100, 140)}`, ins: () => dec(1, 12), kcl: () => pick(['20', '40', '60']), morph: () => pick(['1', '2', '4']), dil: () => pick(['0.5', '1', '2']), ativan: () => pick(['0.5', '1', '2']), haldol: () => pick(['1', '2', '5']), fentb: () => pick(['25', '50', '100']),
  vol: () => pick([`${int(2, 15)}00cc`, `${int(1, 3)}L`, `${int(2, 10) * 50} cc`, `${int(1, 2)} liter`, `${int(2, 10)}00 ml`]),
  uo: () => String(int(40, 150)), uolo: () => String(int(10, 39)), io: () => String(int(1, 30) * 100), io2: () => `${int(1, 12)}.${digits(1)}L`, ctvol: () => String(int(2, 30) * 10), cvvh: () => String(int(5, 20) * 10), hdvol: () => dec(1, 4),
  k: () => dec(2, 5), mg: () => dec(1, 2), na: () => String(int(124, 152)), hct: () => dec(19, 38), wbc: () => dec(2, 28), plt: () => String(int(18, 450)), inr: () => dec(1, 4), lact: () => dec(0, 9), bun: () => String(int(8, 120)), cr: () => dec(0, 6),
  trop: () => `${pick(['0.0', '0.', '1.', '4.'])}${digits(2)}`, ck: () => String(int(40, 2400)), mb: () => String(int(2, 90)), vt: () => dec(8, 28), amy: () => String(int(40, 900)), lip: () => String(int(20, 2400)),
  fs: () => pick([`${int(80, 300)}`, `${int(10, 25)}0-${int(20, 35)}0`, `${int(10, 25)}0s`]), tf: () => pick(['Promote', 'Impact', 'Nepro', 'Jevity', 'Osmolite', 'Pulmocare', 'Peptamen', 'Replete']), tfrate: () => String(int(1, 8) * 10), tfgoal: () => String(int(5, 9) * 10),
  tpn: () => String(int(40, 110)), girth: () => String(int(80, 130)), ngvol: () => String(int(5, 60) * 10), jp: () => String(int(5, 30) * 10), vac: () => String(int(2, 20) * 10),
  pain: () => `${int(0, 10)}/10`, str: () => `${int(2, 5)}/5`, gcs: () => pick([`${int(3, 15)}`, `${int(3, 10)}T`, `E${int(1, 4)}V${int(1, 5)}M${int(1, 6)}`]), ox: () => pick(['3', '2', '1', '0']), pupil: () => String(int(2, 5)), rass: () => String(int(1, 4)),
  q: () => pick(['1', '2', '4']), evd: () => pick(['10', '15', '20']), evdvol: () => String(int(2, 15)), icp: () => `${int(5, 15)}-${int(15, 25)}`, ciwa: () => String(int(8, 15)), ciwa2: () => String(int(16, 28)),
  n: () => String(int(1, 6)), bcx: () => String(int(1, 4)), braden: () => String(int(9, 18)), nimbex: () => dec(1, 3), rsbiv: () => String(int(30, 140)), pr: () => String(int(12, 24)), qrs: () => String(int(8, 14)), qtc: () => String(int(38, 52)),
  valve: () => String(pick([19, 21, 23, 25, 27, 29])), grafts: () => String(int(2, 5)), pod: () => String(int(0, 3)),
  abx: () => pick(['vanco', 'zosyn', 'levofloxacin', 'flagyl', 'cefepime', 'ceftriaxone', 'cipro', 'bactrim', 'azithro', 'ampicillin', 'gent', 'linezolid', 'meropenem', 'fluconazole', 'ancef', 'unasyn', 'acyclovir', 'ceftaz']),
  sed: () => pick(['propofol', 'versed', 'fentanyl/versed', 'precedex', 'ativan gtt']),
  pressor: () => pick(['levophed', 'neo', 'dopamine', 'vasopressin', 'levo and vaso', 'neo gtt']),
  wt: () => `${int(0, 2)}.${digits(3)}`, gm: () => String(int(5, 60)), ml: () => String(int(3, 40)), tfn: () => String(int(10, 16) * 10), ga: () => String(int(24, 36)), gad: () => String(int(0, 6)), bili: () => dec(4, 14), dbili: () => dec(0, 1), cpapn: () => String(int(5, 7)), mapn: () => String(int(8, 14)), ds: () => String(int(45, 110)),
};
const PHI_SLOTS = new Set(['bfac', 'home', 'gn', 'fn', 'full', 'rel', 'relp', 'pat', 'dr', 'prov', 'init', 'md', 'mdr', 'yy', 'fac', 'facs', 'town', 'ph', 'pgr', 'mrn', 'old']);

/** A frame with its slots filled: "{rel} called at {t}" → pieces with the PHI marked. */
function T(tpl: string): Piece[] {
  const out: Piece[] = [];
  inSentence.clear();
  let last = 0;
  for (const m of tpl.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) out.push(tpl.slice(last, m.index));
    const slot = S[m[1]!];
    if (!slot) throw new Error(`no slot ${m[1]}`);
    const v = slot();
    if (typeof v === 'string') out.push(v);
    else out.push(...v);
    last = m.index + m[0].length;
  }
  if (last < tpl.length) out.push(tpl.slice(last));
  return out;
}
const hasPhi = (tpl: string) => [...tpl.matchAll(/\{(\w+)\}/g)].some((m) => PHI_SLOTS.has(m[1]!));
interface Frames { plain: string[]; phi: string[] }
function frames(lines: string): Frames {
  const all = lines.split('\n').map((l) => l.trim()).filter(Boolean);
  return { plain: all.filter((l) => !hasPhi(l)), phi: all.filter(hasPhi) };
}

// --- frames by system -------------------------------------------------------------------------------------

const NEURO = frames(`
Alert and oriented x{ox}, MAE, follows commands.
Sedated on propofol {prop} mcg/kg/min, opens eyes to voice, MAE weakly.
Lethargic, arousable to sternal rub, PERRL {pupil}mm brisk.
A&Ox{ox}, pleasant and cooperative, no focal deficits.
Intermittently agitated overnight, pulling at lines, soft wrist restraints applied per protocol.
Fentanyl gtt {fent} mcg/hr and versed {versed} mg/hr, RASS -{rass}.
PERRL, MAE to command, grasps equal bilat.
Moves all ext but L side weaker, hand grasp {str}.
Neuro checks q{q}h unchanged, GCS {gcs}.
Pupils {pupil}mm sluggish, + corneals, + gag, + cough.
Restless, trying to climb OOB, haldol {haldol}mg IV x1 with good effect.
Denies pain, c/o HA {pain} relieved with tylenol 650 pr.
Pain {pain}, morphine {morph}mg IV q2h prn with relief.
Nods appropriately, mouths words, follows simple commands.
Confused to time and place, reoriented frequently.
Off sedation since {t}, slow to wake.
Propofol weaned to {prop} for SBT, pt became agitated, increased back to {prop} mcg/kg/min.
Sleeping in short naps, easily awakened.
No seizure activity noted, dilantin level pending.
EVD open at {evd} cmH2O above tragus, draining {evdvol}cc/hr clear yellow CSF, ICP {icp}.
Speech clear, anxious re: procedure, ativan {ativan}mg po given.
RASS 0 to -1, CAM-ICU negative.
CAM-ICU positive, sundowning after 2200.
Withdraws to pain x4, no purposeful movement.
Unresponsive to voice, brainstem reflexes intact.
Pt very HOH, writes on clipboard to communicate.
Bilat hand grasps strong, plantar flexion {str}.
Precedex at {dex} mcg/kg/hr, arousable, calm.
MAE, PERRL, no change from previous assessment.
Pt tearful at times, emotional support given.
Slept most of shift after ativan {ativan}mg iv at {t}.
Oriented to self only, baseline per family.
Q1h neuro checks, R pupil {pupil}mm brisk, L {pupil}mm sluggish, MD aware.
Left facial droop unchanged, speech slurred.
Cooperative with care, able to make needs known.
Sedation held at {t} for SAT, pt awake, nodding to questions.
Opens eyes spont, tracks, not following commands.
Versed gtt d/c'd at {t}, fentanyl boluses prn.
Dilaudid {dil}mg iv q3h prn for incisional pain, pain {pain} after.
No sedation overnight, pt comfortable.
C/o numbness R hand, resolves with repositioning.
Seizure precautions maintained, padded side rails.
Agitated, CIWA scores {ciwa}-{ciwa2}, ativan per CIWA scale.
Grimaces with turning, fentanyl {fentb}mcg iv given prior to care.
Awake, alert, appropriate, asking for TV remote.
Neurology ({dr}) in to see pt, recs EEG.
{prov} from neurosurg at bedside, EVD level changed to {evd}.
Per {rel}, pt at baseline is confused but recognizes family.
Recognizes {relp} at bedside, smiled.
Asking repeatedly for {rel}.
{dr} aware of change in pupils at {t}, head CT done.
Head CT at {facs} on {md} neg per report.
Thinks she is at {fac}, easily reoriented.
Hx seizure d/o since '{yy}, on keppra.
s/p CVA '{yy} with residual L weakness.
Calmer when {relw} {gn} is at bedside.
`);
const CV = frames(`
HR {hr} {rhythm}, no ectopy.
{rhythm} {hr}, occ PVCs, K {k} repleted with {kcl} meq KCl iv.
SBP {sbp} on {pressor}, MAP > {map}.
BP {bp} - {bp}, lopressor {lop}mg po given.
Levophed gtt titrated {levo}-{levo} mcg/kg/min to keep MAP > {map}.
Neo weaned off at {t}, SBP stable {sbp}.
CVP {cvp}, PAD {pad}, CO/CI {co}/{ci}, SVR {svr}.
Afebrile. Pulses palp x4, extremities warm.
Pedal pulses dopplerable, feet cool, CRT < 3 sec.
Heparin gtt at {hep}u/hr, PTT {ptt} at {t}, no change per protocol.
Amio gtt 1 mg/min x 6h then 0.5 mg/min, converted to SR at {t}.
A-fib with RVR to 140s at {t}, dilt {dilt}mg iv x2 with rate down to {hr}.
Hypotensive to SBP 80s with sedation, {vol} NS bolus given with fair response.
Denies CP, no SOB.
+2 pitting edema BLE, 1+ BUE.
Swan wedge {pcwp}, SvO2 {svo2}%.
Tmax {temp}, pan cultured, tylenol given.
Trop {trop}, CK {ck}, MB {mb}, cycling enzymes q8h.
Hct {hct}, transfused 1u PRBC over 2 hrs, post Hct due at {t}.
K {k}, Mg {mg}, repleted per sliding scale.
Dopamine at {dopa} mcg/kg/min, HR up to {hr}, weaning as tol.
Vasopressin 0.04 u/min unchanged.
MAP 60s-70s, UO marginal.
Temp pacing wires capped, underlying rhythm {rhythm}.
R fem sheath pulled at {t}, 20 min manual pressure, site soft, no hematoma.
Groin site C/D/I, DP/PT palp bilat.
IABP 1:1, augmentation {aug}, good waveform.
Nitro gtt {ntg} mcg/min for SBP > 160.
Lasix {lasix}mg iv at {t} with good diuresis.
Labile BP {sbp} with turning and suctioning.
A-line dampened, flushed and re-zeroed, correlates with cuff.
Rhythm strip: PR .{pr} QRS .{qrs} QTc .{qtc}.
No further runs of NSVT since {t}.
SB 50s while sleeping, asymptomatic.
Coumadin held, INR {inr}.
Integrilin gtt at 2 mcg/kg/min, post cath site checks q15 min x4.
Esmolol gtt {esm} mcg/kg/min, HR {hr}.
Low grade temp {temp}, bcx x2 sent.
Skin warm/dry, pulses +2 radial, +1 DP.
Cardiac enzymes flat, EKG unchanged.
Hypertensive {bp} when agitated, resolves with sedation.
Bradycardic to 40s with vagal episode on bedpan, resolved spont.
Epi gtt off at {t}, MAPs 70s.
Albumin 25% 25g x2 given for low CVP.
Murmur 2/6 SEM at RUSB, unchanged.
{dr} aware of SBP {sbp}, no new orders.
Paged {prov} re: HR 140s at {t}, dilt ordered.
Cath at {facs} {md}: 3VD.
s/p CABG '{yy}, AVR '{yy}.
Per {rel}, pt had similar episode at {fac} in '{yy}.
Cardiology {dr} ({pgr}) to see in am.
Pacemaker placed at {fac} {md}, interrogated today.
Echo from {md} EF 25%.
EP ({dr}) called, recs amio load.
`);
const RESP = frames(`
Remains intubated on {vent}.
Vent settings {vent}, ABG {abg}.
LS coarse bilat, dim at bases, sx for mod amt thick tan secretions.
Weaned to PSV {psv} at {t}, RR 20s, TV 400s.
Extubated at {t} to {o2}, sats {sat}.
On {o2}, sats {sat}, no resp distress.
RSBI {rsbi}, tolerated SBT x 30 min.
FiO2 increased to {fio2} for sats 88-90%.
Lung sounds clear upper, crackles at bases.
Nonproductive cough, IS {is}cc.
CXR this am showed worsening LLL infiltrate.
Sx q2-3h for small amt white secretions.
ETT 7.5 taped at 23 cm at lip, repositioned R to L.
Trach mask {fio2} humidified, trach care done, inner cannula changed.
BiPAP {bipap} overnight, off to NC at {t}.
Dyspneic with exertion, RR 30s, nebs given by RT.
Albuterol/atrovent nebs q4h and prn.
Sputum sent for cx, yellow/green thick.
CT to -20 sxn, no air leak, {ctvol}cc serosang.
Vent alarms for high pressure, pt biting tube, bite block placed.
ABG on {vent}: {abg}, RR decreased to 12.
PEEP increased to {peep} for worsening oxygenation.
Sats drifted to 80s with turning, recovered with bagging.
Breath sounds dim on R, CXR ordered.
Self-extubated at {t}, placed on {o2}, doing well.
On shovel mask 50% plus 6L NC, sats 92-94%.
Copious oral secretions, yankauer at bedside.
Cuff leak present, plan extubation in am.
Nimbex at {nimbex} mcg/kg/min, TOF 2/4.
Prone positioning discussed, not started.
RT in for CPT and nebs.
Breathing comfortably, no accessory muscle use.
Decreased BS at L base, thoracentesis planned.
O2 weaned from 4L to 2L NC, sats {sat}.
Rhonchi cleared with cough.
Tolerating CPAP {cpap} with PS {ps}, Ve 8-9 L.
Bronch done at bedside, BAL sent.
Vent: A/C {tv}x{rr2}, peep {peep}, fio2 {fio2}, peaks 30s, plateau 20s.
Desat to 85% at {t} with mucus plug, sx and lavaged, recovered.
ABG {abg}, no vent change per team.
Refusing BiPAP, prefers face mask.
Chest PT q4h, IS encouraged, pt pulls to {is}.
Lungs diminished bilat, crackles 1/3 up.
Sats 90s on {o2}, mouth breather, changed to face tent.
HOB > 30, VAP bundle maintained.
Intubated at {facs} on {md} for airway protection.
RT {gn} in to change ETT tape.
{prov} from pulm at bedside for bronch.
Home O2 2L, uses at night, {agency} involved.
Trach placed {md} by {dr}.
Plan to extubate {wd} per {dr}.
Ex smoker, quit '{yy}.
`);
const GI = frames(`
Abd soft, NT/ND, +BS x4.
TF {tf} at {tfrate}cc/hr via OGT, goal {tfgoal}, residuals < 50cc.
NPO except meds, OGT to LCS draining bilious.
Abd firm, distended, hypoactive BS, KUB done.
BM x{n} liquid brown guaiac neg, flexiseal in place.
No BM, colace/senna given.
Tolerating clears, advanced to full liquids.
Residuals 200cc at {t}, TF held x1h, reglan ordered.
Dobhoff placed at bedside, position confirmed by KUB.
Protonix 40mg iv qd.
Lactulose 30ml q6h, {n} loose stools.
Abd girth {girth}cm, unchanged.
OGT replaced, aspirating coffee ground.
NGT to LIWS, {ngvol}cc bilious.
Melena x1 at {t}, Hct {hct}, GI aware.
Nauseated, vomited {vol} bilious, zofran 4mg iv given.
PEG site clean, dry, intact.
Stool C diff sent x{n}.
Rectal tube draining {vol} liquid brown.
Appetite poor, ate 25% of breakfast.
FS {fs}, covered per RISS.
Insulin gtt {ins}u/hr, FS q1h {fs}.
Diet: cardiac/diabetic, tolerating.
Abd obese, soft, incision with staples, no drainage.
JP drain to bulb sx, {jp}cc serous.
Ostomy pink, budding, draining soft brown stool.
LFTs trending down, amylase {amy}, lipase {lip}.
TPN at {tpn}cc/hr and lipids 20cc/hr via TLC.
Flatus +, no BM this shift.
Fleet enema given with large soft BM.
Abd tender RUQ, surgery following.
Bowel regimen: colace, senna, dulcolax prn.
Guaiac + brown stool, Hct stable.
GT clamped, pt tolerating po.
S&S eval: thin liquids ok, meds crushed in applesauce.
Refused meds at {t}, will retry.
OB neg stool x2.
Hiccups, chlorpromazine 25mg x1.
NPO after MN for EGD.
TF at 1/2 strength, advance to 3/4 strength as tol.
GI ({dr}) scoped pt at {t}, gastric ulcer clipped.
Last colonoscopy at {fac} '{yy}.
EGD {md} showed varices, banded x3.
Cholecystectomy at {facs} in '{yy}.
{dr}'s team (surgery) following.
`);
const GU = frames(`
Foley draining clear yellow urine {uo}cc/hr.
UO {uolo}-{uo}cc/hr, amber, lasix {lasix}mg iv given with good response.
Foley d/c'd at {t}, due to void by {t}.
Oliguric, UO < 20cc/hr x3h, team aware, bolus given.
BUN/Cr {bun}/{cr}, renal following.
CVVH running, removing {cvvh}cc/hr, citrate.
HD today, removed {hdvol} L.
I/O +{io}cc for shift, +{io2} LOS.
Urine cloudy with sediment, UA/UC sent.
Voiding via urinal qs.
Foley irrigated for clots, CBI running.
Hematuria resolving, pink tinged urine.
Condom cath in place, draining well.
Straight cath'd for 600cc at {t}.
Bladder scan 450cc, straight cath.
Creat up to {cr} from {cr}, renal US ordered.
Lasix gtt {lasixg}mg/hr, goal net -1 L.
Urine lytes sent.
Dialysis catheter R IJ, dressing D&I.
UO dropped to 10-15cc/hr, foley flushed, no change.
K {k} post HD.
Incontinent of urine x2, skin care given.
Foley changed, UA sent.
UO adequate 40-80cc/hr.
Net even at MN.
Nephrostomy tube draining {uo}cc clear.
Anuric, HD planned for {wd}.
Urine dark amber, concentrated.
Free water flushes 200cc q6h for Na {na}.
D5 1/2 NS at 75cc/hr.
I&O {io}/{io}, neg {io} LOS.
Foley with 16 fr, 10cc balloon, draining well.
Foley patent, UO {uo}cc/hr clear.
Voided 300cc after foley removal.
Renal dosing of meds per pharmacy.
UO picked up after bolus.
Cr stable at {cr}.
Renal ({dr}) recs CVVH.
Gets HD at {fac} MWF.
Outpt nephrologist {dr} called at {ph}.
`);
const SKIN = frames(`
Skin intact, turned q2h.
Stage II decub coccyx, duoderm applied.
Sacral area reddened, blanchable, barrier cream applied.
Heels boggy, offloaded with pillows.
R heel unstageable, black eschar, wound care RN consulted.
Incisions C/D/I, steri strips intact.
Sternal incision OTA, no drainage.
Leg incision with ecchymosis, slight serous drainage.
Ecchymotic areas to abd from heparin sq.
Skin warm, dry, pale.
Generalized edema, skin weeping from BLE.
Excoriation in groin folds, nystatin powder applied.
Kinair bed, heels floated.
Wet to dry dsg to sacral wound changed BID.
VAC dsg to abd wound at -125mmHg, {vac}cc serosang.
Rash on chest, MD aware, benadryl given.
Diaphoretic at times.
Skin tear L forearm, xeroform & kerlix applied.
Petechiae noted on arms.
Jaundiced, sclera icteric.
Braden {braden}.
Mottled knees, feet cool.
Oral care q4h per VAP protocol.
Stage III pressure ulcer on coccyx, 3x4cm, yellow slough, packed with NS gauze.
CT site dsg changed, no crepitus.
Trach site clean, small amt drainage.
PIV R hand infiltrated, removed, warm compress.
Skin cool and clammy.
Abrasions to face and BUE from fall.
Ulcer on L shin, dsg per wound care.
Buttocks excoriated from liquid stool, critic-aid applied.
Bruising to bilat arms.
Turned and repositioned q2h, tol well.
Bilat heels in prevalon boots.
Skin assessment unchanged.
MRSA nares swab sent.
Cellulitis LLE, border marked, decreasing.
Hematoma R groin, outlined, stable.
HOB up 30 degrees, semi-Fowler's.
Wound care RN {gn} saw pt, recs allevyn to sacrum.
Decub present on adm from {home}.
Stage IV noted {md}, photos in chart.
`);
const OTHER = frames(`
Tmax {temp}, WBC {wbc}.
On vanco/zosyn day {n}.
BCx {bcx}/4 bottles GPC in clusters.
Contact precautions for MRSA.
Vanco trough {vt}, next dose held.
Afebrile, abx cont.
C diff +, flagyl po started.
Fluconazole for yeast in urine.
Cooling blanket on for T 103.
Cultures pending.
Hct {hct}, stable, no s/s bleeding.
Plt {plt}, HIT panel sent, heparin d/c'd.
INR {inr}, vit K 10mg sq.
2u FFP given pre line placement.
Insulin gtt per protocol, FS {fs}.
RISS q6h, FS {fs}.
Lantus 20u at HS.
Stress dose steroids, hydrocort 50 iv q6h.
Na {na}, free water increased.
Droplet precautions, r/o flu.
Neutropenic precautions.
Lactate {lact}, trending down.
On q6h FS, no coverage needed.
Hgb A1c pending.
Vanco dosed by level.
Blood bank: type and cross 2u on hold.
TSH pending.
R SC TLC, L radial aline, PIV x2.
Swan R IJ at 50cm, waveforms good.
Aline R femoral, dampened, flushed.
PICC L arm, dsg changed.
PIV 20g L FA, patent.
Aline d/c'd at {t}.
Cordis R IJ with swan.
HD cath R femoral.
{abx} day {n}/14.
Port accessed, flushes well.
ID ({dr}) recs adding {abx}.
BCx from {md} NGTD.
PICC placed {md} by IV team RN {gn}.
Abx started at {facs} {md}.
TLC placed at {facs} {md}, to be changed.
`);
const SOCIAL = frames(`
Family in to visit, updated by RN.
No family contact this shift.
Full code.
DNR/DNI confirmed with family.
Lives alone, independent with ADLs at baseline.
Family meeting planned for tomorrow with team.
Chaplain in to see pt.
SW following.
Interpreter used for update (Portuguese).
Wife called x2, updated.
Son at bedside most of shift, very supportive.
Family aware of plan, questions answered.
Daughter is HCP.
Family very anxious, support given.
CMO per family, morphine gtt started.
Lives with spouse, retired machinist.
{rel} in to visit, updated by RN.
{rel} called at {t}, updated on pt's condition.
{rel} is HCP, phone {ph}.
{relp} at bedside, very supportive.
Lives with {rel} in {town}.
Lives at {home}, {rel} visits daily.
Family: {rel}, {rel}.
{rel} ({ph}) would like a call if any change.
Spoke with {rel} by phone at {t}, questions answered.
{rel} and {rel} in from {town}, updated by {dr}.
HCP is {rel}, home {ph}, cell {ph}.
Pt's {relw} {gn} called, wants to know about visiting hours.
Family meeting {wd} at 2pm with {dr} and {rel}.
{rel} states pt was at baseline until {md}.
{old} yrs old, lives w/ {rel}.
{gn} ({relw}) requests call at {ph} before 2200.
{relw} {gn} and {relw} {gn} at bedside all evening.
Message left for {rel} at {ph}.
Fr. {fn} in to anoint pt.
Neighbor {full} called to inquire, no info given, not on list.
From {town}, retired mailman.
{rel} flying in from {town} tonight.
{relw} asking to speak with {dr} in am.
SW {gn} met with family.
Contact: {full} ({relw}) {ph}.
Per {relw} {gn}, drinks 6 beers/day.
{rel} here, tearful, spoke with chaplain.
{pat} (pt's {relw}) updated at bedside.
{relw}, {gn}, will be here in am for family mtg.
Outpt PCP {dr} at {facs}, ph {ph}.
Pt's {relw} is a nurse at {fac}.
{rel} wants pt transferred to {fac}.
Pt's cell phone given to {rel} at {t}.
Insurance {org}, SW aware.
Had {agency} at home 3x/wk prior to adm.
`);
const PLAN = frames(`
Cont to monitor hemodynamics.
Wean vent as tol, SBT in am.
Titrate pressors to MAP > 60.
F/u am labs, replete lytes prn.
Possible extubation tomorrow.
Cont abx, f/u cultures.
Monitor UO, lasix prn.
Cont heparin gtt, PTT q6h.
Transfer to {unit} when bed available.
Family mtg tomorrow re: goals of care.
Pain control, support to pt and family.
NPO after MN for procedure.
Trach/PEG discussed.
Cont supportive care.
Keep K > 4, Mg > 2.
Goal neg 1-2L.
Advance diet as tol.
OOB to chair in am.
PT/OT consults.
Rehab screen.
Cont current plan.
Monitor neuro status q1h.
Repeat CT head in am.
Awaiting bed on {unit}.
Swallow eval tomorrow.
Check Hct q6h, transfuse for Hct < 21.
Wean O2 as tol, IS q1h while awake.
?cath in am, NPO after MN.
Continue insulin gtt, transition to SQ when eating.
Reassess need for restraints q2h.
Call HO with SBP < 90 or UO < 30cc/hr x2h.
Hold TF at MN.
Keep sats > 92%.
Page covering MD with any changes.
Cont to support family.
Transfer to {fac} when bed available.
Plan per {dr}: diurese, wean FiO2.
Screening for rehab at {fac}.
F/u with {dr} re: cath results.
Plan to return to {facs} {md}.
Family meeting {md} at 1300.
Transfer back to {facs} in am, report to be called to {gn} RN.
Awaiting callback from {dr} ({pgr}).
CT surgery ({dr}) to evaluate {wd}.
`);
const EVENTS = frames(`
At {t} pt became acutely SOB, sats 80s, placed on NRB, ABG {abg}, lasix {lasix}mg iv given with good effect.
Pt had 8 beat run of VT at {t}, asymptomatic, K {k}, Mg {mg}, repleted.
Around {t} pt pulled out OGT, replaced and confirmed by CXR.
Bronch at bedside at {t}, propofol increased for procedure.
Taken to CT at {t} with RN and RT, returned without incident.
TLC placed by team at {t}, CXR confirmed placement.
Extubated at {t}, tolerating {o2}.
SBP dropped to 70s at {t}, levophed restarted at {levo} mcg/kg/min.
Transfused 2u PRBC for Hct {hct}.
Code called at {t} for PEA, ROSC after 6 min, epi x2.
Rapid response at {t} for sats 84% on {o2}.
At {t} HR to 150s, AF w/ RVR, dilt {dilt}mg x2, now {rhythm} {hr}.
Pt fell at {t} while trying to get OOB, no injury noted, MD notified.
Aline placed at {t}, correlates with cuff.
Hypoglycemic to 45 at {t}, 1 amp D50 given, FS 140 after.
Pt vomited at {t}, OGT placed, 300cc bilious out.
Foley replaced at {t} for no UO, 400cc out.
Temp 102.4 at {t}, pan cultured, cooling blanket.
Pt c/o CP at {t}, EKG unchanged, SL NTG x1 with relief.
Intubated at {t} for hypercarbic resp failure, ABG {abg}.
Restless at {t}, found with foley pulled, replaced.
At {t} sats dropped to 82%, FiO2 increased to 100%, suctioned, recovered.
Bolus {vol} LR x2 for UO < 20cc/hr.
To IR at {t} for PICC, returned stable.
To OR at {t} for ex lap, returned at {t}.
BRBPR x2 overnight, Hct {hct} from {hct}.
EKG at {t} showed new ST depressions, team aware, enzymes sent.
CXR at {t}: ETT 3cm above carina.
At {t} pt bit through ETT cuff, reintubated without incident.
Insulin gtt restarted at {t} for FS {fs}.
Hypotensive after propofol bolus, neo started at {neo} mcg/kg/min.
Repeat lactate {lact} at {t}.
2 episodes of emesis at {t}, TF held.
Trop {trop} at {t}, heparin gtt started.
Rigors at {t}, demerol 12.5mg iv given.
{dr} in to talk with {rel} at {t}.
Pt's {relw} {gn} arrived at {t}, updated by {dr}.
Received pt from {facs} at {t} on {vent}.
{dr} at bedside at {t}, aware of hypotension.
{rel} called at {t} asking about plan, updated.
Admitted from {fac} ED at {t} with ABG {abg}.
Arrived from {facs} via {amb} at {t}.
Report called to {gn} RN at {fac} at {t}.
{dr} ({pgr}) paged x2 re: UO, awaiting call back.
`);

// --- cardiac surgery, neonatal, respiratory care, history ------------------------------------------------

const CSRU = frames(`
A-paced at 88 via epicardial wires, underlying SB 50s.
CT drainage {ctvol}cc/hr serosanguinous, decreasing.
Mediastinal and L pleural CTs to -20 sxn, no air leak.
Neo {neo} mcg/kg/min, weaned to off at {t}.
Nipride {dex} mcg/kg/min for SBP > 130.
CI {ci}, SvO2 {svo2}.
Pacer settings DDD 80, MA 20, VA 20, sens 2.
K {k}, repleted w/ {kcl} meq KCl via central line.
Hct {hct}, 1u PRBC given for low CI.
Extubated at {t} per fast track protocol.
Swan d/c'd, cordis remains.
Bleeding from CTs increased to 200cc/hr at {t}, protamine given.
Wires: atrial x2, ventricular x2, capped.
Pacer off, underlying {rhythm}.
Chest tubes d/c'd, CXR neg for PTX.
Insulin gtt per cardiac surgery protocol, FS {fs}.
Splinting with pillow, coughing well, IS {is}.
Lopressor 12.5 po bid started.
Pedal pulses palp, feet warm.
Sternal dsg D&I.
{dr} aware of CT output.
CT surgeon {dr} in at {t}, ok to transfer.
Surgery done by {dr} {md}.
`);
const SURG = ['CABG x{grafts}', 'AVR (#{valve} pericardial)', 'MVR (#{valve} St Jude)', 'CABG x{grafts}/MVR', 'AVR/CABG x{grafts}', 'MV repair', 'Bentall', 'CABG x{grafts} (LIMA-LAD, SVG-OM, SVG-PDA)'];
const NICU: Record<string, Frames> = {
  '#1 Resp': frames(`
Infant on NCPAP +{cpapn}, FiO2 21-25%, RR 40-60s, LS clear/equal, mild SC retractions.
Caffeine cont, {n} A&B spells this shift, self-resolved.
Brady to 70s x{n} with desat to 80s, required mild stim.
Weaned to NC 100cc flow 25-30%.
On HFOV MAP {mapn}, amp 22, Hz 10, FiO2 30-40%.
Sx for small cloudy secretions via ETT.
In RA, sats 95-100%, no spells.
CBG 7.31/48, no changes made.
`),
  '#2 FEN': frames(`
TF {tfn} cc/kg/d, BM24 {ml}cc q4h PG over 1hr, tolerating well, min asp.
Wt {wt} kg, up {gm} gm.
Abd soft, round, +BS, no loops.
Voiding and stooling, guaiac neg.
D10W at 3.2cc/hr via PIV.
TPN/IL via UVC.
DS {ds}.
Bottled {ml}cc x2 with good suck/swallow coordination.
Breastfed x1 with Mom, latched well.
Asp 2cc partially digested, refed.
`),
  '#3 G&D': frames(`
Temp stable in servo isolette.
In open crib, temps 98-99 ax.
Swaddled, sucking on pacifier.
Alert and active with cares.
AFSF, sutures approximated.
Cares q4h, tolerating well.
GA {ga} {gad}/7 wks, CGA {ga} {gad}/7.
`),
  '#4 Parenting': frames(`
Mom called x1, updated by RN.
Parents in to visit, held infant skin to skin.
Dad called, questions answered.
Mom pumping, bringing in EBM.
Mom {gn} called at {t}, updated by RN.
Parents {gn} and {gn} in to visit, did cares.
Family lives in {town}, plan transfer to {fac} when stable.
Mom's cell {ph}.
Parents updated by {dr}.
Grandmother {full} visited with Mom.
Dad ({gn}) would like a call at {ph} if any change.
Pediatrician will be {dr} in {town}.
`),
  '#5 Sepsis': frames(`
Amp/gent day {n}/7.
BCx neg to date.
CBC benign.
Gent level due with 3rd dose.
Off abx, no s/s sepsis.
`),
  '#6 Bili': frames(`
Bili {bili}/{dbili}, under single phototherapy, eye shields on.
Bili {bili}, phototx d/c'd.
Rebound bili in am.
`),
};
const RT = frames(`
Pt remains intubated on {vent}.
BS coarse bilat, sx for mod thick tan secretions.
RSBI {rsbiv} on CPAP {cpap}/PS {ps}.
SBT on PSV 5/0 x 30 min, tolerated well, RR 18-22, TV 400s.
ABG {abg}.
MDIs given as ordered: albuterol 8 puffs, atrovent 4 puffs.
Cuff pressure 25 cmH2O.
ETT 7.5 @ 22cm lip, retaped.
Plan: wean as tol, SBT in am.
Peak pressures 30s, plateau 24.
Auto-PEEP 2, I:E 1:3.
No vent changes overnight.
Pt extubated at {t} to {o2}, good cough.
Trach 8.0 portex, cuff inflated.
Placed on CPAP {cpap} for the night.
Aerosol 40% via trach mask.
Will follow.
Vent changes per {dr}.
Discussed with {prov}, no changes.
`);
const HISTORY = frames(`
Allergies: PCN (rash), sulfa.
Home meds: lasix, lopressor, coumadin, lipitor.
PMH: HTN, DM2, CVA 1998, CRI.
Presented to OSH with CP, transferred here for cath.
PSH: appy as child, TKR 2001.
ETOH: denies, former smoker 40 pk yr.
Pt is a {age} yo {sex} with hx of {pmh} who presented to {fac} on {md} with {cc}.
{age} y/o {sex} admitted from {fac} with {cc}.
PMH: {pmh}, CABG '{yy}, TKR '{yy}.
PSH: chole '{yy}, appy as child.
Transferred from {facs} for cardiac cath.
Transferred from {facs} ED where pt was intubated for airway protection.
Lives at {home}, baseline A+Ox1, bed to chair.
Found down at home in {town} by {rel}.
Presented to OSH with {cc}, transferred here on {md}.
Admitted on {md} to {unit} with {cc}.
PCP is {dr} at {facs}.
{mrn}.
Pt is a {old} year old {sex} from {town} with {pmh}.
Quit ETOH '{yy}.
Hx colon ca dx '{yy}, s/p resection at {fac}.
{old} yo {sex} with {cc}, lives with {rel}.
MI '{yy} per family, cath at {facs}.
Admitted {mdr} at {fac} for same.
`);
Object.assign(S, {
  sex: () => pick(['M', 'F', 'male', 'female', 'man', 'woman', 'gentleman', 'lady', 'WM', 'WF']),
  pmh: () => some(['CAD', 'HTN', 'DM2', 'COPD', 'CHF (EF 20%)', 'ESRD on HD', 'AF on coumadin', 'dementia', 'PVD', 'CRI', 'hypothyroidism', 'ETOH abuse', 'cirrhosis', 'breast ca'], 2, 4).join(', '),
  cc: () => pick(['SOB', 'CP', 'fever and hypotension', 'AMS', 'hematemesis', 'BRBPR', 'fall', 'syncope', 'resp distress', 'abd pain', 'lethargy', 'seizure']),
});

// --- note shapes ---------------------------------------------------------------------------------------

type Case = 'upper' | 'lower' | 'mixed';
const HEADS: Array<Record<string, string>> = [
  { neuro: 'NEURO:', cv: 'CV:', resp: 'RESP:', gi: 'GI:', gu: 'GU:', skin: 'SKIN:', other: 'ID:', social: 'SOCIAL:', plan: 'PLAN:' },
  { neuro: 'Neuro-', cv: 'C/V-', resp: 'Resp-', gi: 'GI/GU-', gu: '', skin: 'Integ-', other: 'Heme/ID-', social: 'Psychosocial-', plan: 'A/P-' },
  { neuro: 'N:', cv: 'CV:', resp: 'R:', gi: 'GI:', gu: 'GU:', skin: 'S:', other: 'ID:', social: 'Soc:', plan: 'P:' },
  { neuro: 'NEURO/MS:', cv: 'CARDIAC:', resp: 'PULM:', gi: 'ABD:', gu: 'RENAL:', skin: 'SKIN/WOUNDS:', other: 'ENDO/ID:', social: 'FAMILY:', plan: 'DISPO:' },
  { neuro: 'neuro:', cv: 'cv:', resp: 'resp:', gi: 'gi:', gu: 'gu:', skin: 'skin:', other: 'id:', social: 'social:', plan: 'plan:' },
  { neuro: 'Neuro:', cv: 'CV:', resp: 'Resp:', gi: 'GI/GU:', gu: '', skin: 'Skin:', other: 'Lines:', social: 'Social:', plan: 'Plan:' },
  { neuro: 'NEURO;', cv: 'CVS;', resp: 'RESP;', gi: 'GI;', gu: 'GU;', skin: 'INTEG;', other: 'HEME;', social: 'S/P;', plan: 'A&P;' },
];
const SYSTEMS: Record<string, Frames> = { neuro: NEURO, cv: CV, resp: RESP, gi: GI, gu: GU, skin: SKIN, other: OTHER, social: SOCIAL, plan: PLAN };

/** Sentences from a frame list, each one a PHI frame with probability `p`; no frame twice. */
function say(f: Frames, n: number, p: number): Piece[] {
  const out: Piece[] = [];
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let tpl = chance(p) && f.phi.length ? pick(f.phi) : pick(f.plain);
    for (let k = 0; used.has(tpl) && k < 5; k++) tpl = pick(f.plain);
    if (used.has(tpl)) continue;
    used.add(tpl);
    out.push(...(out.length ? [' '] : []), ...T(tpl));
  }
  return out;
}
/** How long a note runs: short, middling or long, as shifts differ. */
let lengthFactor = 1;
const many = (lo: number, hi: number) => Math.max(1, Math.round(int(lo, hi) * lengthFactor));
function header(kind: string): Piece[] {
  const base = pick([`Nursing Progress Note ${S.shift!()}`, `NPN ${S.shift!()}`, `Nsg note ${S.shift!()}`, `${pick(UNITS.slice(0, 5))} NURSING PROGRESS NOTE`, `${pick(UNITS.slice(0, 5))} Nursing ${S.shift!()}`, `Nursing ${kind}`, `${kind.toUpperCase()}`, 'Nursing Progress Note', '']);
  if (!base) return [];
  return chance(0.18) ? [base, ' ', ...T('{md}'), '\n'] : [base, '\n'];
}
function signOff(): Piece[] {
  if (!chance(0.22)) return [];
  return pick([
    () => T('\n-- {init} RN'), () => T('\n{full}, RN'), () => T('\n/{init}'),
    // "K. Siknor RN": the initial is part of the name.
    () => { const i = pick('ABCDJKLMRST'.split('')); const f = (S.fn!() as Piece[])[0] as [string, string]; return ['\n', N(`${i}. ${f[1]}`), ' RN']; },
    () => T('\nSigned {gn} {fn} RN'), () => ['\n', ...T('{init}'), '/rn'],
  ])();
}
function systems(p: number): Piece[] {
  const heads = pick(HEADS);
  const inline = chance(0.35);
  const ps: Piece[] = [...header('Progress Note')];
  if (chance(0.45)) ps.push(...T(pick(['Pt is a {age} yo {sex} admitted {md} with {cc}.', 'Please see flowsheet for details.', 'Events: uneventful night.', 'HD #{n}, {cc}.', 'Pt is a {age} y/o {sex} POD #{pod} s/p {cc}.', 'Received pt from {unit} at {t}.', '{age} yo {sex}, HD #{n}, {cc}.', 'Pt is a {age} year old {sex} admitted with {cc}, see admit note.', 'Pt is {age} yrs old, admitted from {unit} with {cc}.'])), inline ? ' ' : '\n');
  const order = ['neuro', 'cv', 'resp', 'gi', 'gu', 'skin', 'other', 'social', 'plan'].filter((k) => heads[k] && chance(k === 'neuro' || k === 'cv' || k === 'resp' ? 0.95 : 0.7));
  for (const k of order) {
    let f = SYSTEMS[k]!;
    if (k === 'gi' && !heads.gu) f = { plain: [...GI.plain, ...GU.plain], phi: [...GI.phi, ...GU.phi] };
    const w = k === 'social' ? 2.5 : k === 'plan' ? 1.5 : 1;
    ps.push(heads[k]!, ' ', ...say(f, many(2, 5), Math.min(0.9, p * w)), inline ? ' ' : '\n');
  }
  if (chance(p * 3)) ps.push(...T(pick(EVENTS.phi)), '\n');
  ps.push(...signOff());
  return ps;
}
function narrative(p: number): Piece[] {
  const ps: Piece[] = [...header('Shift Note')];
  const n = many(5, 12);
  if (chance(0.4)) ps.push(...T(pick(['Pt is a {age} yo {sex} with {cc}.', '{age} y/o {sex}, {cc}, HD #{n}.', 'Pt {age} yo, {cc}.'])), ' ');
  for (let i = 0; i < n; i++) {
    const f = pick([EVENTS, EVENTS, NEURO, CV, RESP, GI, GU, SOCIAL, PLAN]);
    ps.push(...(i ? [chance(0.2) ? '\n' : ' '] : []), ...say(f, 1, p * (f === SOCIAL ? 3 : 1)));
  }
  ps.push('\n', ...signOff());
  return ps;
}
function csru(p: number): Piece[] {
  const heads = pick(HEADS);
  const ps: Piece[] = [pick(['CSRU Nursing Progress Note', 'CSRU NPN', 'CSRU NSG NOTE', 'Nursing Progress Note, CSRU']), ' ', S.shift!() as string, '\n'];
  ps.push(...T(`POD #{pod} s/p ${pick(SURG)}.`), chance(0.3) ? ' ' : '\n');
  ps.push(heads.neuro!, ' ', ...say(NEURO, int(1, 2), p), '\n', heads.cv!, ' ', ...say(CSRU, int(2, 4), p), ' ', ...say(CV, int(0, 2), p), '\n');
  ps.push(heads.resp!, ' ', ...say(RESP, int(1, 3), p), '\n', heads.gi!, ' ', ...say({ plain: [...GI.plain, ...GU.plain], phi: [...GI.phi, ...GU.phi] }, int(1, 3), p), '\n');
  if (chance(0.6)) ps.push(heads.skin!, ' ', ...say(SKIN, int(1, 2), p), '\n');
  ps.push(heads.social!, ' ', ...say(SOCIAL, int(1, 2), Math.min(0.9, p * 3)), '\n', heads.plan!, ' ', ...say(PLAN, int(1, 3), p), '\n');
  ps.push(...signOff());
  return ps;
}
function nicu(p: number): Piece[] {
  const ps: Piece[] = [pick(['NICU Nursing Progress Note', 'NICU NSG 7a-7p', 'Neonatology Nursing', 'NICU nursing note']), ' ', S.shift!() as string, '\n'];
  if (chance(0.5)) ps.push(...T(pick(['Baby {sexn} ', 'Baby {sexn} ', 'Twin {ab} '])), ['NAME', typed(family())], ...T(' DOL {n}'), '\n');
  if (chance(0.3)) ps.push(...T(pick(['Born {md} at {bfac}, transferred here for RDS.', 'Born at {bfac} on {md} to a {momage} yo G2P1 mom.', 'Infant of a {momage} yo G{n}P{n} mom, GA {ga} {gad}/7 wks.'])), '\n');
  for (const [head, f] of Object.entries(NICU)) {
    if (!chance(head === '#1 Resp' || head === '#2 FEN' ? 0.95 : 0.6)) continue;
    ps.push(pick([head, head.toUpperCase(), head.replace('#', '')]), pick([': ', '\n', ' - O: ']), ...say(f, int(1, 3), Math.min(0.9, p * (head === '#4 Parenting' ? 4 : 1))));
    ps.push(pick(['\n', `\nA: ${pick(['stable', 'improving', 'cont to need resp support', 'tolerating feeds'])}. P: ${pick(['cont to monitor', 'wean as tol', 'advance feeds 10cc/kg/d', 'support parents'])}.\n`]));
  }
  ps.push(...signOff());
  return ps;
}
Object.assign(S, { sexn: () => pick(['Boy', 'Girl', 'boy', 'girl']), ab: () => pick(['A', 'B']) });
function admission(p: number): Piece[] {
  const ps: Piece[] = [pick(['Nursing Admission Note', 'NURSING ADMIT NOTE', 'Admit note', 'Nsg admission', 'MICU admission note (nursing)']), ...(chance(0.2) ? [' ', ...T('{mrn}')] : []), '\n'];
  ps.push(...say(HISTORY, many(2, 5), Math.max(0.35, p * 2.5)), '\n');
  const heads = pick(HEADS);
  for (const k of ['neuro', 'cv', 'resp', 'gi', 'skin', 'social'] as const) if (heads[k] && chance(0.7)) ps.push(heads[k]!, ' ', ...say(SYSTEMS[k]!, many(1, 3), p * (k === 'social' ? 2.5 : 1)), '\n');
  ps.push(...signOff());
  return ps;
}
function rt(p: number): Piece[] {
  const ps: Piece[] = [pick(['Respiratory Care Note:', 'RESP CARE', 'RT Note', 'Resp care:', 'Respiratory Care']), chance(0.5) ? '\n' : ' '];
  ps.push(...say(RT, int(3, 7), p * 0.6), '\n');
  return ps;
}
function transfer(p: number): Piece[] {
  const q = Math.max(p, 0.3);
  const first = pick([
    'Transfer Note: Pt transferred to {unit} at {t} via bed with monitor, accompanied by RN.',
    'Pt transferred to {fac} via {amb} at {t}.',
    'Pt discharged to {fac} for rehab at {t}, report given.',
    'Pt d/c to {facs} via {amb}, VSS at time of transfer.',
    'Pt expired at {t}, pronounced by {dr}, family ({rel}) at bedside, organ bank notified.',
    'Transfer to {unit}: report given to {gn}, RN at {t}.',
    'Pt accepted at {facs}, awaiting ambulance.',
  ]);
  const ps: Piece[] = [...header('Transfer Note'), ...T(first), '\n'];
  const more = frames(`
Report given to {gn}, RN at {fac} ({ph}).
{rel} aware of transfer, will meet pt at {facs}.
Belongings sent with pt: glasses, dentures, cell phone.
Copy of chart, MAR and CD of imaging sent with EMS.
VS prior to transfer: HR {hr}, BP {bp}, RR 18, sats {sat} on {o2}.
Meds given prior to transfer: lopressor, protonix.
PIV x2 intact, flushed.
Family ({rel}) updated by phone at {t}.
Scripts given, f/u with {dr} in 1 wk.
Transfer summary faxed to {facs}.
{mrn} on transfer paperwork.
`);
  ps.push(...say(more, int(2, 4), q), '\n');
  const heads = pick(HEADS);
  for (const k of some(['neuro', 'cv', 'resp', 'skin'], 0, 2)) ps.push(heads[k]!, ' ', ...say(SYSTEMS[k]!, int(1, 2), p), '\n');
  return ps;
}
function shortNote(p: number): Piece[] {
  const f = frames(`
Addendum: {rel} called at {t}, updated on plan by RN and {dr}.
Late entry for {t}: pt found with OGT out, replaced, placement confirmed by CXR.
Family Update: spoke with {rel} at {t}, all questions answered.
Pt's {relw} {gn} called from {town} for update, given by RN.
Nursing note: resting comfortably, VSS, see flowsheet.
Event: at {t} SBP 70s, {vol} NS bolus with good effect, {dr} aware.
Addendum: K {k}, repleted with 40 meq KCl iv per {dr}.
Family meeting held with {dr}, {rel} and SW {gn}, decision made for DNR/DNI.
{rel} ({ph}) requests call if any change overnight.
Pt's {relw}, {full}, is HCP, papers on chart.
Addendum: pt transferred from {facs} {md}, records requested.
Addendum: {dr} ({pgr}) aware of Hct {hct}, 2u PRBC ordered.
Addendum to above: UO picked up after lasix, {uo}cc/hr.
Pt resting, no events since {t}.
Pt is a {old} yo {sex}, comfortable, no complaints.
{old} y/o {sex} on comfort measures, family at bedside.
Note: bed alarm on, call bell within reach.
Addendum: family declines autopsy.
Late entry: chaplain in at {t}, prayed with family.
`);
  const ps: Piece[] = [];
  for (let i = 0, n = int(1, 3); i < n; i++) ps.push(...(i ? ['\n'] : []), ...T(chance(Math.max(p * 2.5, 0.15)) ? pick(f.phi) : pick(f.plain)));
  ps.push('\n', ...signOff());
  return ps;
}

function setCase(pieces: Piece[], c: Case): Piece[] {
  const f = (s: string) => (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s);
  return pieces.map((p) => (typeof p === 'string' ? f(p) : p.length === 3 ? [p[0], f(p[1]), false] : [p[0], f(p[1])]));
}
const SHAPES: Array<[weight: number, make: (p: number) => Piece[], upper: number, lower: number]> = [
  [34, systems, 0.35, 0.25], [12, narrative, 0.25, 0.3], [10, csru, 0.35, 0.15], [8, nicu, 0.3, 0.2], [10, admission, 0.3, 0.2], [7, rt, 0.3, 0.3], [7, transfer, 0.25, 0.2], [12, shortNote, 0.3, 0.3],
];
const COUNT = 400;
function note(k: number): Doc {
  const id = `clinical-f-${String(k + 1).padStart(4, '0')}`;
  // How often a sentence carries PHI in this note: none in a fifth of the notes, as in real shift notes.
  const p = chance(0.25) ? 0 : pick([0.02, 0.04, 0.07, 0.1, 0.15]);
  lengthFactor = pick([0.7, 1, 1.3, 1.8, 2.5]);
  delete seen.fac; delete seen.rel; delete seen.dr;
  let w = rnd() * SHAPES.reduce((n, s) => n + s[0], 0);
  const [, make, upper, lower] = SHAPES.find((s) => (w -= s[0]) < 0) ?? SHAPES[0]!;
  const r = rnd();
  const pieces = make(p);
  const merged: Piece[] = [];
  for (const x of pieces) if (typeof x === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] = (merged[merged.length - 1] as string) + x; else merged.push(x);
  return build(id, setCase(merged, r < upper ? 'upper' : r < upper + lower ? 'lower' : 'mixed'));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/clinical-notes-f.jsonl');
  const docs = Array.from({ length: COUNT }, (_, k) => note(k));
  for (const d of docs) for (const s of d.spans) if (d.text.slice(s.start, s.end).trim() !== d.text.slice(s.start, s.end) || s.end <= s.start) throw new Error(`bad span in ${d.id}`);
  writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const scored = docs.flatMap((d) => d.spans.filter((s) => s.scored !== false && s.label !== 'ORGANIZATION'));
  const byLabel = scored.reduce<Record<string, number>>((m, s) => ({ ...m, [s.label]: (m[s.label] ?? 0) + 1 }), {});
  const frameCount = [NEURO, CV, RESP, GI, GU, SKIN, OTHER, SOCIAL, PLAN, EVENTS].map((f) => f.plain.length + f.phi.length).join('/');
  process.stdout.write(`clinical-notes-f ${docs.length} (lockbox ${docs.filter((d) => isLockbox(d.id)).length}), ${scored.length} scored spans ${JSON.stringify(byLabel)}; frames ${frameCount}; ${lexiconOverlap([...GIVEN, ...GIVEN_WORDS, ...FAMILY, ...FAMILY_WORDS, ...FAMILY_EPONYMS, ...TOWNS], false)}\n`);
}
