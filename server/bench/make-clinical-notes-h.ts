/**
 * clinical-notes-h (R-DATA-2, issue 30): 400 ICU and step-down nursing documents with surrogate PHI and
 * gold spans, written, committed and measured once before their author read the engine's detectors,
 * lexicon files or the earlier generators. Kinds the earlier sets hold little of: nursing progress
 * notes by body system with the heads run inline ("Neuro: ... CV: ..."), under titles such as
 * "Nursing Progress Note 7a-7p"; CCU notes (sheaths, balloon pumps, pacer settings), neuro-ICU notes
 * (drains, ICP and CPP, vasospasm watch), trauma SICU notes (injury lists, collars and fixators); event
 * notes in time order ("0300 pt agitated, ..."); nursing transfer notes; family update notes; plan of
 * care notes; notes dense with numbers (drips in mcg/kg/min, I/O, ABGs, CVP, PA pressures, ICP); each in
 * mixed case, ALL CAPS or lower case, some run-on and misspelt.
 *
 * Surrogates come from pools of this file only: given and family names of many origins, names that are
 * words or clinical terms ("Hope", "Frank", "Gross", "Pace", "Payne") and eponyms used as surnames
 * ("Foley", "Levin", "Murphy"), initials; invented hospitals in full, by a short name and by their
 * initials, towns (some are words: "Ware", "Orange", "China"), rehabs and nursing homes; dates in
 * many forms, with and without a year, "'97" years (the two digits are the span); phones, pagers and
 * beepers (the number is the span); MRNs; ages over 89 (the number is the span). Clinical look-alikes
 * with no span: eponyms and devices ("Foley", "Swan-Ganz", "Levin tube", "Murphy's sign", "Miami J
 * collar", "Richmond agitation scale"), scores, doses, times, ranges, ratios, bare years, units.
 * Labels: NAME, DATE, PHONE, LOCATION, MRN, AGE, ORGANIZATION (insurers, agencies, ambulance services);
 * weekdays, ages of 89 or under and internal extensions are `"scored": false`.
 *
 * Deterministic: `npm run data:clinical-h` rewrites server/src/modules/redaction/data/clinical-notes-h.jsonl.
 *
 * First measurement, before any rule was written for it (engine at main 3838af6, the set at 2d9db4f):
 *   npm run -s bench:redaction -- --no-baseline --sets clinical-notes-h:dev,clinical-notes-h:lockbox
 *   clinical-notes-h:dev     (323 documents) recall 0.9601  precision 0.9000  F1 0.9291
 *   clinical-notes-h:lockbox  (77 documents) recall 0.9417  precision 0.8803  F1 0.9100
 *   dev per kind: AGE recall 0.76, LOCATION 0.93 (precision 0.82), NAME 0.956 (precision 0.92),
 *   DATE 0.994 (precision 0.91), PHONE 1.00, MRN 1.00; 243 characters masked as ADDRESS where none is.
 * Four spans were missing from the gold as first generated (a hospital's initials after "admitted <date>
 * from", written as plain text); found among the dev errors, fixed with the texts unchanged, same engine:
 *   clinical-notes-h:dev     recall 0.9601  precision 0.9007  F1 0.9295
 *   clinical-notes-h:lockbox recall 0.9418  precision 0.8818  F1 0.9108
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Phi { s: string; label: string; scored?: boolean }
type Seg = string | Phi;
type Part = Seg | number | Part[];

let seed = 0x30c0ffee;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number): boolean => rnd() < p;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const N = (s: string): Phi => ({ s, label: 'NAME' });
const L = (s: string): Phi => ({ s, label: 'LOCATION' });
const O = (s: string): Phi => ({ s, label: 'ORGANIZATION' });
const M = (s: string): Phi => ({ s, label: 'MRN' });
const Ph = (s: string, scored = true): Phi => (scored ? { s, label: 'PHONE' } : { s, label: 'PHONE', scored: false });
const Dt = (s: string, scored = true): Phi => (scored ? { s, label: 'DATE' } : { s, label: 'DATE', scored: false });
const Ag = (n: number): Phi => (n > 89 ? { s: String(n), label: 'AGE' } : { s: String(n), label: 'AGE', scored: false });

// ---------------------------------------------------------------- surrogate pools (this file's own)
const GIVEN_F = [
  'Doris', 'Gladys', 'Mildred', 'Loretta', 'Bernice', 'Dolores', 'Marjorie', 'Eileen', 'Phyllis', 'Darlene',
  'Tammy', 'Sheila', 'Brenda', 'Kathleen', 'Noreen', 'Rosemarie', 'Adaeze', 'Nkechi', 'Ngozi', 'Ama', 'Zanele',
  'Thanh', 'Huong', 'Linh', 'Priya', 'Anjali', 'Mei', 'Yuki', 'Soo-jin', 'Fatima', 'Leila', 'Parisa',
  'Guadalupe', 'Xochitl', 'Ines', 'Marisol', 'Rosario', 'Beatriz', 'Siobhan', 'Niamh', 'Bronwyn', 'Dagny',
  'Ingrid', 'Agnieszka', 'Tamar', 'Shoshana', 'Malia', 'Lupe', 'Ayesha', 'Carmela', 'Eleni', 'Anastasia',
  'Olga', 'Erzsebet', 'Svetlana', 'Wanjiru', 'Imani', 'Keisha', 'Latoya', 'Shanice', 'Marguerite', 'Genevieve',
  'Odile', 'Hortense', 'Bettina', 'Fenella', 'Oona', 'Radhika', 'Chiamaka', 'Yesenia', 'Maribel', 'Henrietta',
];
const WORD_F = [
  'Joy', 'Faith', 'Hope', 'Grace', 'Patience', 'Charity', 'Rose', 'Iris', 'Ivy', 'Violet', 'Dawn', 'Summer',
  'April', 'June', 'Carol', 'Penny', 'Crystal', 'Amber', 'Ruby', 'Pearl', 'Ginger', 'Sage', 'Misty', 'Brandy',
  'Destiny', 'Honor', 'Mercy', 'Constance', 'Bliss', 'Sunny', 'Autumn', 'Willow', 'Holly', 'Heather',
];
const GIVEN_M = [
  'Harold', 'Eugene', 'Earl', 'Wendell', 'Clifford', 'Vernon', 'Lyle', 'Stanley', 'Curtis', 'Randy', 'Wayne',
  'Keith', 'Gerald', 'Norman', 'Chidi', 'Kwame', 'Kofi', 'Themba', 'Tuan', 'Bao', 'Ravi', 'Sanjay', 'Jian',
  'Hiroshi', 'Kenji', 'Min-jun', 'Omar', 'Yusuf', 'Tariq', 'Dariush', 'Mateo', 'Joaquin', 'Thiago', 'Padraig',
  'Eamon', 'Rhys', 'Sven', 'Olek', 'Bogdan', 'Wojciech', 'Zbigniew', 'Avi', 'Mordecai', 'Keoni', 'Giuseppe',
  'Rocco', 'Dimitri', 'Spiros', 'Yevgeny', 'Laszlo', 'Anil', 'Babajide', 'Emeka', 'Tenzin', 'Arjun', 'Haruto',
  'Jae-won', 'Ignacio', 'Fergus', 'Ciaran', 'Torbjorn', 'Aurelio', 'Desmond', 'Darnell', 'DeShawn', 'Osvaldo',
];
const WORD_M = [
  'Will', 'Bill', 'Mark', 'Chase', 'Hunter', 'Gray', 'Sterling', 'Colt', 'Major', 'Pierce', 'Lance', 'Dusty',
  'Rocky', 'Heath', 'Glen', 'Clay', 'Reed', 'Cliff', 'Skip', 'Buck', 'Rusty', 'Royal', 'Duke', 'Art', 'Guy',
  'Jack', 'Frank', 'Miles', 'Forrest', 'Wade', 'Drew', 'Sonny', 'Chip', 'Ace',
];
const FAMILY = [
  'Okafor', 'Adeyemi', 'Obi', 'Boateng', 'Mensah', 'Nguyen', 'Tran', 'Pham', 'Huynh', 'Patel', 'Mehta', 'Iyer',
  'Raghavan', 'Chen', 'Liu', 'Zhao', 'Wong', 'Tanaka', 'Sato', 'Nakamura', 'Kim', 'Park', 'Choi', 'Haddad',
  'Nasser', 'Farahani', 'Karimi', 'Hosseini', 'Gutierrez', 'Ochoa', 'Villanueva', 'Castaneda', 'Rosales',
  'Quintero', "O'Brien", 'McNally', 'Fitzgerald', 'Gallagher', 'Dunleavy', 'Kowalczyk', 'Wojcik', 'Zielinski',
  'Nowak', 'Brzezinski', 'Horvath', 'Szabo', 'Nagy', 'Papadopoulos', 'Karras', 'Economou', 'Ivanova', 'Petrov',
  'Sokolov', 'Rosenberg', 'Abramowitz', 'Katz', 'Goldfarb', 'Lindqvist', 'Johansson', 'Haugen', 'Kahananui',
  'Fonoti', 'DiMarco', 'Esposito', 'Lombardi', 'Caruso', 'Moreau', 'Thibodeau', 'Lavoie', 'Ouellette', 'Gagnon',
  'Ndlovu', 'Dlamini', 'Khumalo', 'Abebe', 'Tesfaye', 'Kariuki', 'Otieno', 'Whitcomb', 'Pettengill', 'Haskell',
  'Bixby', 'Thayer', 'Cushman', 'Lathrop', 'Stebbins', 'Prescott', 'Dunham', 'Albright', 'McAllister', 'Pruitt',
  'Goins', 'Sizemore', 'Oyelaran', 'Balogun', 'Tshabalala', 'Vasquez-Ortiz', 'St. Pierre', 'LeBlanc', 'Nadeau',
];
const WORD_FAMILY = [
  'Banks', 'Small', 'Short', 'Long', 'Little', 'Strong', 'Wise', 'Swift', 'Sharp', 'Good', 'Best', 'Bright',
  'Brown', 'Green', 'White', 'Black', 'Rice', 'Lamb', 'Fox', 'Wolf', 'Crane', 'Drake', 'Hawk', 'Finch', 'Stone',
  'Hill', 'Marsh', 'Brooks', 'Rivers', 'Lake', 'Woods', 'Fields', 'Ford', 'Bloom', 'Flowers', 'Frost', 'Snow',
  'Winters', 'Day', 'Knight', 'King', 'Pope', 'Bishop', 'Dean', 'Marshall', 'Baker', 'Cook', 'Butler', 'Porter',
  'Carter', 'Mason', 'Turner', 'Potter', 'Walker', 'Chambers', 'Hall', 'Bell', 'Cross', 'Church', 'Waters',
  'Wells', 'Cotton', 'Noble', 'Justice', 'Love', 'Sweet', 'Moody', 'Bland', 'Gross', 'Frank', 'Pace', 'Rush',
  'Flood', 'Hart', 'Payne', 'Head', 'Legg', 'Shin', 'Foote', 'Hand', 'Temple', 'Tubbs', 'Coffey', 'Fogg',
  'Weaver', 'Pepper', 'Early', 'Lively', 'Moss', 'Hardy', 'Steele', 'Price', 'Drain', 'Paine', 'Sharpe',
];
const EPONYM_FAMILY = [
  'Foley', 'Murphy', 'Levin', 'Swan', 'Ganz', 'Hickman', 'Fowler', 'Stokes', 'Allen', 'Posey', 'Hoyer', 'Homan',
  'Cushing', 'Ringer', 'Whipple', 'Nissen', 'Hunt', 'Hess', 'Killip', 'Holter', 'Battle', 'Beck', 'Cullen',
  'Jackson', 'Pratt', 'Blake', 'Penrose', 'Glasgow', 'Richmond', 'Fisher', 'Miller', 'Salem', 'Morse', 'Braden',
];
const TOWNS = [
  'Ashby', 'Wareham', 'Groton', 'Ipswich', 'Dracut', 'Hingham', 'Athol', 'Ware', 'Sharon', 'Florence', 'Lenox',
  'Chester', 'Milton', 'Shirley', 'Harvard', 'Canton', 'Dover', 'Lincoln', 'Clinton', 'Sterling', 'Orange',
  'Mansfield', 'Hudson', 'Marion', 'Beverly', 'Ayer', 'Hull', 'Sandwich', 'Truro', 'Holland', 'Warren', 'Monroe',
  'Wales', 'Plainfield', 'Gardner', 'Bristol', 'Camden', 'Dudley', 'Tyngsboro', 'Oxford', 'Paxton', 'Peru',
  'Mexico', 'China', 'Poland', 'Belgrade', 'Nashua', 'Keene', 'Woonsocket', 'Presque Isle', 'Bangor', 'Lewiston',
  'Pawtucket', 'Chicopee', 'Fitchburg', 'Leominster', 'Gloucester', 'Revere', 'Brockton', 'Taunton',
  'Fall River', 'New Bedford', 'Framingham', 'Haverhill', 'Methuen', 'Amesbury', 'Newburyport', 'Swampscott',
  'Duxbury', 'Scituate', 'Falmouth', 'Hyannis', 'Chatham', 'Wellfleet', 'Nantucket', 'Edgartown', 'Pittsfield',
  'Lee', 'Great Barrington', 'North Adams', 'Greenfield', 'Northampton', 'Holyoke', 'Ludlow', 'Palmer',
  'Spencer', 'Webster', 'Sturbridge', 'Uxbridge', 'Milford', 'Franklin', 'Foxboro', 'Dedham', 'Sudbury',
  'Chelmsford', 'Tewksbury', 'Brattleboro', 'Rutland', 'Bennington', 'Laconia', 'Berlin', 'Bath', 'Biddeford',
  'Sanford', 'Waterville', 'Tulsa', 'Amarillo', 'Dothan', 'Muncie', 'Paducah', 'Yakima', 'Bend', 'Elko',
  'Laramie', 'Minot', 'Ottumwa', 'Joplin', 'Macon', 'Valdosta', 'Altoona', 'Scranton', 'Utica', 'Elmira',
];
interface Hosp { full: string; short: string; abbr: string }
const HOSPITALS: Hosp[] = [
  { full: 'Kittredge Memorial Hospital', short: 'Kittredge', abbr: 'KMH' },
  { full: "St. Brendan's Hospital", short: "St. Brendan's", abbr: 'SBH' },
  { full: 'Harlow Regional Medical Center', short: 'Harlow Regional', abbr: 'HRMC' },
  { full: 'Cedar Hollow Hospital', short: 'Cedar Hollow', abbr: 'CHH' },
  { full: 'Our Lady of the Lakes Hospital', short: 'Our Lady of the Lakes', abbr: 'OLL' },
  { full: 'Pemberton General Hospital', short: 'Pemberton General', abbr: 'PGH' },
  { full: 'Ashworth Community Hospital', short: 'Ashworth', abbr: 'ACH' },
  { full: 'Lowry VA Medical Center', short: 'Lowry VA', abbr: 'LVAMC' },
  { full: 'Mount Tabor Hospital', short: 'Mt Tabor', abbr: 'MTH' },
  { full: 'Quinnapoxet Valley Hospital', short: 'Quinnapoxet', abbr: 'QVH' },
  { full: 'Eldridge Medical Center', short: 'Eldridge', abbr: 'EMC' },
  { full: 'Saint Agnes Medical Center', short: 'Saint Agnes', abbr: 'SAMC' },
  { full: 'Bayview Heart Institute', short: 'Bayview', abbr: 'BHI' },
  { full: 'Holloway Trauma Center', short: 'Holloway', abbr: 'HTC' },
  { full: 'Merriam Falls Hospital', short: 'Merriam Falls', abbr: 'MFH' },
  { full: 'Tolland County Medical Center', short: 'Tolland County', abbr: 'TCMC' },
];
function townHospital(): Hosp {
  const t = pick(TOWNS.filter((x) => !x.includes(' ')));
  const kind = pick(['Hospital', 'Regional Hospital', 'General Hospital', 'Memorial Hospital', 'Medical Center']);
  const abbr = t[0] + kind.split(' ').map((w) => w[0]).join('');
  return { full: `${t} ${kind}`, short: kind === 'Hospital' ? `${t} Hosp` : `${t} ${kind.split(' ')[0]}`, abbr };
}
const hospital = (): Hosp => (chance(0.7) ? pick(HOSPITALS) : townHospital());
const FACILITIES = [
  'Willow Creek Nursing and Rehabilitation Center', 'Heritage Manor', 'Greystone Manor', 'Fenwick House',
  'Marsh Haven Skilled Nursing Facility', 'Briarwood Rehab', 'Sunnyside Nursing Home', 'Halcyon House Hospice',
  'Bramblewood Healthcare Center', 'Pine Knoll Nursing Home', 'Linden Court Assisted Living',
  'Stillwater Rehabilitation Hospital', 'Maplewood Manor', 'Harbor Light Rehab',
];
const ORGS = [
  'MassHealth', 'Medicare', 'Blue Cross', 'Harvard Pilgrim', 'Tufts Health Plan', 'VNA of Cape Cod',
  'Elder Services', 'Boston MedFlight', 'LifeFlight', 'Cataldo Ambulance', 'Fallon Ambulance', 'AMR',
  'Neighborhood Health Plan', 'Meals on Wheels', 'Lifeline',
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tues', 'Wed', 'Thurs', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// ---------------------------------------------------------------- PHI forms
interface Person { given: string; family: string; female: boolean }
function person(female = chance(0.5)): Person {
  const given = female ? (chance(0.25) ? pick(WORD_F) : pick(GIVEN_F)) : chance(0.25) ? pick(WORD_M) : pick(GIVEN_M);
  const r = rnd();
  const family = r < 0.6 ? pick(FAMILY) : r < 0.85 ? pick(WORD_FAMILY) : pick(EPONYM_FAMILY);
  return { given, family, female };
}
const initials = (p: Person): string => `${p.given[0]}.${p.family.replace(/^(St\. |O')/, '')[0]}.`;
function relName(p: Person): Phi {
  const r = rnd();
  return N(r < 0.6 ? p.given : r < 0.9 ? `${p.given} ${p.family}` : p.family);
}
const RELATIONS_F = ['wife', 'dtr', 'daughter', 'sister', 'sis', 'niece', 'granddaughter', 'mother', 'mom', 'aunt', 'daughter-in-law', 'girlfriend', 'fiancee', 'cousin', 'neighbor', 'friend', 'stepdaughter'];
const RELATIONS_M = ['husband', 'son', 'brother', 'bro', 'nephew', 'grandson', 'father', 'dad', 'uncle', 'son-in-law', 'boyfriend', 'partner', 'cousin', 'neighbor', 'friend', 'stepson'];
function relative(): { rel: string; p: Person } {
  const p = person();
  return { rel: pick(p.female ? RELATIONS_F : RELATIONS_M), p };
}
function date(withYearP = 0.35): Phi {
  const m = int(1, 12);
  const d = int(1, 28);
  const y = pick([1994, 1996, 1997, 1998, 1999, 2001, 2003, 2004, 2007]);
  const yy = pad(y % 100);
  const withYear = chance(withYearP);
  const forms = withYear
    ? [`${m}/${d}/${yy}`, `${pad(m)}/${pad(d)}/${y}`, `${m}/${d}/${y}`, `${m}-${d}-${yy}`, `${MON[m - 1]} ${d}, ${y}`, `${d} ${MON[m - 1]} ${y}`, `${MONTHS[m - 1]} ${d} ${y}`, `${m}.${d}.${yy}`, `${d}-${MON[m - 1]}-${yy}`]
    : [`${m}/${d}`, `${m}/${d}`, `${pad(m)}/${pad(d)}`, `${m}-${d}`, `${MON[m - 1]} ${d}`, `${MON[m - 1]}. ${d}`, `${MONTHS[m - 1]} ${d}`, `${d} ${MON[m - 1]}`, `${MONTHS[m - 1]} ${d}${d === 1 || d === 21 ? 'st' : d === 2 || d === 22 ? 'nd' : d === 3 || d === 23 ? 'rd' : 'th'}`];
  return Dt(pick(forms));
}
const yy = (): Phi => Dt(pad(pick([88, 91, 93, 95, 97, 98, 99, 2, 4, 5]) % 100));
function phone(): Phi {
  const a = pick(['617', '508', '781', '978', '413', '401', '603', '207', '802', '774', '339', '351']);
  const b = `${int(2, 9)}${int(0, 9)}${int(0, 9)}`;
  const c = pad(int(0, 9999), 4);
  return Ph(pick([`${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `${a}/${b}-${c}`, `${a} ${b} ${c}`, `${a}.${b}.${c}`, `${b}-${c}`, `1-${a}-${b}-${c}`, `(${a})${b}-${c}`, `${a}-${b}-${c} x${int(10, 999)}`]));
}
function pager(): Phi {
  return Ph(pick([`${int(1, 9)}-${pad(int(0, 9999), 4)}`, `${int(10000, 99999)}`, `${int(1000, 9999)}`, `${int(1, 9)}${pad(int(0, 9999), 4)}`, `${int(100, 999)}-${pad(int(0, 9999), 4)}`]));
}
const pagerWord = (): string => pick(['pager', 'pgr', 'pgr #', 'p#', 'p', 'beeper', 'bpr', 'beeper #', 'page', 'pg']);
const ext = (): Phi => Ph(pick([`${int(2, 8)}-${pad(int(0, 9999), 4)}`, `${int(1000, 9999)}`, `${int(100, 999)}`]), false);
function mrn(): Phi {
  return M(pick([`${int(1000000, 9999999)}`, `0${int(100000, 999999)}`, `${int(100, 999)}-${pad(int(0, 99))}-${pad(int(0, 99))}`, `${int(10, 99)}-${int(100, 999)}-${int(100, 999)}`, `${int(10000000, 99999999)}`]));
}
const oldAge = (): number => (chance(0.6) ? int(90, 104) : int(24, 89));

// ---------------------------------------------------------------- clinical vocabulary (no PHI)
const time24 = (): string => `${pad(int(0, 23))}${pick(['00', '15', '30', '45', '10', '20', '40', '50'])}`;
const timeAny = (): string => {
  const h = int(0, 23);
  const mm = pick(['00', '15', '30', '45', '05', '20']);
  return pick([`${pad(h)}${mm}`, `${pad(h)}:${mm}`, `${(h % 12) || 12}${pick(['am', 'pm', 'a', 'p'])}`, `@${pad(h)}${mm}`]);
};
const SHIFT = ['7a-7p', '7p-7a', '7A-7P', '7P-7A', '0700-1900', '1900-0700', '7-3', '3-11', '11-7', '7a-3p', '3p-11p', '11p-7a', '0700-1930', '1930-0730'];
const RHYTHM = ['NSR', 'SR', 'ST', 'SB', 'AF', 'afib', 'A-fib w/ RVR', 'V-paced', 'A-paced', 'AV paced', 'NSR w/ occ PVCs', 'SR w/ PACs', '1st degree AVB', 'junctional', 'aflutter 2:1'];
const range = (lo: number, hi: number, step = 10): string => {
  const a = Math.round(int(lo, hi) / step) * step;
  return `${a}-${a + step * int(1, 3)}`;
};
const drip = (): string =>
  pick([
    `levophed ${pick(['0.04', '0.06', '0.08', '0.1', '0.12', '0.2'])} mcg/kg/min`,
    `levo @ ${int(2, 20)} mcg/min`,
    `neo ${pick(['0.5', '1', '1.2', '1.5', '2', '3'])} mcg/kg/min`,
    `phenylephrine ${int(40, 200)} mcg/min`,
    `dopamine ${int(2, 15)} mcg/kg/min`,
    `dobutamine ${pick(['2.5', '5', '7.5'])} mcg/kg/min`,
    `milrinone ${pick(['0.25', '0.375', '0.5'])} mcg/kg/min`,
    `vasopressin 0.04 u/min`,
    `nitro ${int(10, 200)} mcg/min`,
    `NTG gtt ${int(10, 100)} mcg/min`,
    `cardene ${int(2, 15)} mg/hr`,
    `esmolol ${int(25, 200)} mcg/kg/min`,
    `propofol ${int(10, 60)} mcg/kg/min`,
    `fentanyl ${pick(['25', '50', '75', '100', '150'])} mcg/hr`,
    `versed ${int(1, 6)} mg/hr`,
    `precedex ${pick(['0.2', '0.4', '0.6', '0.7', '1.0'])} mcg/kg/hr`,
    `insulin gtt ${pick(['1', '2', '3.5', '4', '6', '8'])} u/hr`,
    `heparin ${int(8, 16)}00 u/hr`,
    `amio ${pick(['1 mg/min', '0.5 mg/min'])}`,
    `diltiazem ${int(5, 15)} mg/hr`,
    `integrilin ${pick(['2', '1'])} mcg/kg/min`,
    `lasix gtt ${int(5, 20)} mg/hr`,
    `nicardipine ${int(2, 15)} mg/hr`,
    `3% NS @ ${int(20, 60)}cc/hr`,
    `ativan ${int(1, 4)} mg/hr`,
  ]);
const abg = (): string => `${pick(['7.', '7.'])}${int(18, 48)}/${int(28, 68)}/${int(55, 180)}/${int(16, 32)}`;
const vent = (): string =>
  pick([
    `AC ${int(40, 60)}0 x ${int(12, 24)} / PEEP ${int(5, 14)} / FiO2 ${pick(['40', '50', '60', '.40', '.50', '100'])}%`,
    `CMV ${int(4, 6)}00x${int(12, 22)} +${int(5, 12)} ${int(35, 70)}%`,
    `PSV ${int(5, 15)}/${int(5, 8)} ${int(30, 50)}%`,
    `CPAP ${int(5, 10)} PS ${int(5, 12)}`,
    `SIMV ${int(5, 6)}00 x ${int(8, 14)}, PS ${int(5, 10)}, PEEP ${int(5, 10)}, ${int(35, 60)}%`,
    `APRV Phigh ${int(24, 32)} Plow 0 Thigh ${pick(['4.5', '5', '5.5'])}`,
  ]);
const io = (): string => {
  const a = int(800, 4200);
  const b = int(400, 3800);
  return pick([`I/O ${a}/${b}`, `I&O ${a}/${b} (${a - b >= 0 ? '+' : ''}${a - b})`, `24h ${a >= b ? '+' : '-'}${Math.abs(a - b)}cc`, `LOS +${int(2, 12)}.${int(0, 9)}L`, `in ${a} out ${b}`]);
};
const LOOKALIKES = [
  'foley draining clear yellow urine', 'Foley to gravity', "Murphy's sign neg", 'Levin tube to LIS', 'Salem sump to LCWS',
  'Swan-Ganz in place R IJ', 'swan pulled back 2cm', 'Yankauer at bedside', 'Dobhoff placed, position confirmed by KUB',
  'Miami J collar on', 'Aspen collar in place', 'Philadelphia collar', 'Hoyer lift for OOB to chair', 'Posey belt on',
  'Passy-Muir valve trialed x20 min', 'Shiley 8 cuffed trach', 'Hickman cath dsg changed', 'Quinton cath R fem',
  'Cordis L IJ', 'Pleur-evac -20 cm suction', 'JP x2 serosang', 'Jackson-Pratt drain 40cc', 'Penrose drain intact',
  'Blake drain to bulb', 'Bair Hugger on', 'Kinair bed', 'Roho cushion in chair', 'Mepilex to coccyx', 'Kerlix dsg c/d/i',
  'Ace wraps BLE', 'SCDs on', 'Trendelenburg for line placement', 'HOB 30 semi-Fowler', 'LR (Ringer\'s) 125cc/hr',
  'Glasgow coma scale 10T', 'RASS -2 (Richmond agitation sedation scale)', 'Braden 11', 'Morse fall score 55',
  'Hunt-Hess III, Fisher grade 3', 'Killip class II', 'Cheyne-Stokes resp noted at times', 'Kussmaul resp',
  'Babinski upgoing on L', 'doppler pulses DP/PT', 'Allen test neg R radial', 'Homans neg', 'Cushing triad watched for',
  "Battle's sign noted R", 'raccoon eyes', 'Parkland formula per burn team', 'Le Fort II fx', 'Minnesota tube at bs',
  'Holter d/c', 'Ambu bag at bs', 'Ramsay score 3', 'CIWA 6', 'CAM-ICU neg', 'Mallampati IV noted by anesthesia',
  'Whipple in past', 'Nissen in 1990', 'Hartmann pouch', 'Berlin criteria for ARDS met', 'Bovie burn R thigh healing',
];
const NEURO = [
  () => `A&Ox${int(1, 3)}, MAE, follows commands`,
  () => `sedated on ${drip()}, RASS ${pick(['-1', '-2', '-3', '0', '-4'])}`,
  () => `PERRL ${int(2, 5)}mm brisk`,
  () => `pupils ${int(2, 5)}/${int(2, 5)} sluggish`,
  () => `GCS ${int(3, 15)} (E${int(1, 4)}V${pick(['1', 'T', '4', '5'])}M${int(1, 6)})`,
  () => `withdraws x4, no purposeful mvmt`,
  () => `agitated at times, pulling at lines, soft wrist restraints on per protocol`,
  () => `ICP ${range(5, 25, 2)}, CPP ${range(55, 80, 5)}, EVD open at ${int(10, 20)} cm above tragus, drained ${int(20, 120)}cc`,
  () => `q1h neuro checks, no change`,
  () => `R sided weakness ${int(2, 4)}/5, L ${int(4, 5)}/5`,
  () => `pain ${int(0, 10)}/10 inc site, medicated w/ dilaudid ${pick(['0.5', '1', '2'])}mg IV`,
  () => `CAM-ICU ${pick(['pos', 'neg'])}`,
  () => `nimodipine ${pick(['60', '30'])}mg q${pick(['4', '2'])}h, TCDs ${pick(['today', 'in am'])}, Lindegaard ${int(2, 6)}.${int(0, 9)}`,
  () => `seizure activity none noted, keppra ${pick(['500', '750', '1000'])} bid`,
  () => pick(LOOKALIKES.filter((x) => /Glasgow|RASS|Hunt|Babinski|Cushing|Battle|raccoon|CIWA|CAM|Ramsay|Cheyne/.test(x))),
];
const CV = [
  () => `${pick(RHYTHM)} ${range(50, 130)}, ${pick(['no ectopy', 'occ PVCs', 'runs of NSVT x3', 'freq PACs'])}`,
  () => `SBP ${range(80, 160)}s, MAP ${range(55, 90, 5)}`,
  () => `BP ${int(80, 170)}/${int(40, 95)} (${int(55, 110)})`,
  () => `on ${drip()}, titrated to MAP >${pick(['60', '65', '70'])}`,
  () => `weaned ${drip()} -> off at ${time24()}`,
  () => `CVP ${int(2, 22)}, PA ${int(22, 65)}/${int(8, 32)} (${int(14, 42)}), PCWP ${int(6, 28)}, CO/CI ${int(2, 7)}.${int(0, 9)}/${int(1, 4)}.${int(0, 9)}, SVR ${int(600, 2200)}, SvO2 ${int(45, 78)}%`,
  () => `IABP 1:${pick(['1', '2', '3'])}, augmented diastolic ${int(90, 140)}, R groin site dry`,
  () => `Impella P${int(2, 8)}, flow ${int(1, 4)}.${int(0, 9)} L/min, purge ${int(8, 20)}cc/hr`,
  () => `temp pacer VVI ${int(50, 80)}, mA ${int(5, 20)}, sens ${int(1, 3)}, ${pick(['capturing', 'underlying SB 40s'])}`,
  () => `R fem sheath pulled ${time24()}, pressure held ${int(15, 30)} min, no hematoma, DP/PT palp`,
  () => `K ${int(3, 5)}.${int(0, 9)} repleted w/ ${pick(['20', '40', '60'])} mEq KCl, Mg ${int(1, 2)}.${int(0, 9)} -> ${int(1, 4)} gm`,
  () => `pulses ${int(1, 3)}+ bilat, ${int(1, 3)}+ pitting edema BLE`,
  () => `trop ${int(0, 9)}.${int(10, 99)} -> ${int(0, 9)}.${int(10, 99)}, CK ${int(100, 3000)}, MB ${int(5, 300)}`,
  () => pick(LOOKALIKES.filter((x) => /Swan|Cordis|Killip|Allen|Holter|doppler|Trendelenburg|Homans/.test(x))),
];
const RESP = [
  () => `${vent()}, sats ${range(88, 98, 1)}%`,
  () => `ABG ${abg()} on ${pick(['50%', '4L NC', '100% NRB', 'above settings', '40%/PEEP 8'])}`,
  () => `LS ${pick(['coarse', 'clear', 'diminished bases', 'crackles RLL', 'rhonchi', 'exp wheezes'])}, sx for ${pick(['sm', 'mod', 'lg'])} amt ${pick(['thick tan', 'thin white', 'blood tinged', 'yellow'])} secretions`,
  () => `RSBI ${int(30, 140)}, SBT x${pick(['30', '60', '120'])} min ${pick(['passed', 'failed (RR 38)', 'tol well'])}`,
  () => `${pick(['2L', '4L', '6L'])} NC sats ${int(89, 99)}%, RR ${range(12, 32, 2)}`,
  () => `extubated at ${time24()} to ${pick(['40% face tent', '4L NC', '50% cool neb'])}`,
  () => `CT ${pick(['R', 'L'])} to -20 sx, ${int(20, 300)}cc/shift, ${pick(['no air leak', 'small air leak', '+ tidaling'])}`,
  () => `peak ${int(18, 45)}, plateau ${int(15, 34)}, Vt ${int(300, 650)}, RR ${int(10, 34)}, I:E 1:${int(1, 3)}`,
  () => pick(LOOKALIKES.filter((x) => /Passy|Shiley|Pleur|Yankauer|Berlin|Ambu|Kussmaul/.test(x))),
];
const GI = [
  () => `abd ${pick(['soft', 'firm', 'distended', 'soft/nt'])}, ${pick(['+BS', 'hypoactive BS', 'BS absent'])}`,
  () => `TF ${pick(['Jevity 1.2', 'Nepro', 'Promote w/ fiber', 'Vivonex', 'Osmolite'])} @ ${int(10, 80)}cc/hr, goal ${int(40, 85)}, residuals ${int(0, 250)}cc`,
  () => `NPO, OGT to LIS draining ${int(50, 600)}cc ${pick(['bilious', 'coffee grounds', 'green'])}`,
  () => `${pick(LOOKALIKES.filter((x) => /Levin|Salem|Dobhoff|Murphy|Minnesota|Whipple|Nissen|Hartmann/.test(x)))}`,
  () => `FSBG ${int(70, 320)} covered w/ ${int(2, 12)}u per SSI`,
  () => `BM x${int(1, 4)} ${pick(['loose', 'formed', 'guaiac +', 'melena', 'liquid brown'])}, flexiseal in place`,
  () => `TPN @ ${int(40, 110)}, lipids ${int(10, 25)}cc/hr`,
  () => `LFTs ${pick(['trending down', 'up'])}, lipase ${int(20, 900)}`,
];
const GU = [
  () => `${pick(['foley', 'Foley', 'foley cath'])} to CD, UO ${range(10, 120)}cc/hr ${pick(['clear yellow', 'amber', 'cloudy', 'tea colored', 'frank blood', 'gross hematuria'])}`,
  () => `${io()}`,
  () => `BUN/Cr ${int(8, 110)}/${int(0, 7)}.${int(0, 9)}, K ${int(3, 6)}.${int(0, 9)}`,
  () => `CVVH running, UF ${int(50, 250)}cc/hr, citrate, filter changed ${time24()}`,
  () => `lasix ${pick(['20', '40', '80'])} IV x1 w/ ${int(300, 1500)}cc response`,
  () => `HD today, ${int(1, 4)}L off`,
];
const SKIN = [
  () => `stage ${pick(['I', 'II', '2', '3'])} coccyx, ${pick(LOOKALIKES.filter((x) => /Mepilex|Roho|Kinair|Bovie/.test(x)))}`,
  () => `skin intact, turned q2h, Braden ${int(9, 20)}`,
  () => `inc ${pick(['sternal', 'abd', 'L flank', 'R groin'])} c/d/i, ${pick(['staples', 'steri strips', 'sutures'])} intact`,
  () => `${pick(['R', 'L'])} ${pick(['forearm', 'heel', 'sacrum'])} ecchymosis, ${pick(LOOKALIKES.filter((x) => /Kerlix|Ace|SCD/.test(x)))}`,
];
const ID = [
  () => `Tmax ${pick(['100.4', '101.2', '38.6', '99.1', '102.3', '37.8'])}, WBC ${int(3, 28)}.${int(0, 9)}`,
  () => `on ${pick(['vanco', 'zosyn', 'cefepime', 'meropenem', 'flagyl', 'cipro', 'linezolid'])} ${pick(['1g q12', '4.5g q8', '2g q8', '500 q8'])}, trough ${int(8, 24)}`,
  () => `BCx ${pick(['2/4', '1/4', '0/2'])} GPC, sputum cx pnd`,
  () => `${pick(['MRSA', 'VRE', 'C diff'])} - contact precautions`,
];
const HEME = [
  () => `Hct ${int(19, 36)}.${int(0, 9)}, ${int(1, 2)} u PRBC given, post ${int(24, 33)}`,
  () => `plt ${int(18, 300)}K, INR ${int(1, 3)}.${int(0, 9)}, PTT ${int(28, 110)}`,
  () => `heparin gtt @ ${int(8, 16)}00 u/hr, PTT ${int(40, 100)} at ${time24()}, no change per protocol`,
  () => `FFP x${int(1, 4)}, cryo ${int(5, 10)}u`,
];
const ENDO = [() => `insulin gtt ${int(1, 8)} u/hr per protocol, BS ${range(100, 220)}s`, () => `TSH ${int(0, 9)}.${int(1, 9)}, hydrocortisone ${pick(['50', '100'])} q${pick(['6', '8'])}`];
const LINES = [
  () => `${pick(['R IJ TLC', 'L SC CVL', 'R radial aline', 'L fem aline', 'PICC L arm', 'PIV x2', 'R IJ cordis'])} ${pick(['c/d/i', 'dsg changed', 'placed today', 'day #4'])}`,
  () => `${pick(LOOKALIKES.filter((x) => /Hickman|Quinton|Cordis|Swan/.test(x)))}`,
];

const NO_NAME_FAMILY: Array<() => string> = [
  () => `${pick([...RELATIONS_F, ...RELATIONS_M])} at bedside, updated by RN`,
  () => `${pick([...RELATIONS_F, ...RELATIONS_M])} called x${int(1, 3)}, updated`,
  () => 'family in to visit this eve, supportive',
  () => `${pick(['dtr', 'son', 'wife', 'husband'])} is HCP, aware of plan`,
  () => 'no calls from family overnight',
  () => 'family meeting planned, time TBD',
  () => `${pick(['wife', 'husband', 'son', 'dtr'])} will call in am`,
  () => 'pt\'s family requesting update from MD, team aware',
];

// ---------------------------------------------------------------- PHI sentences
function relLine(): Part[] {
  const { rel, p } = relative();
  const r = rnd();
  if (r < 0.12) return [rel, ' ', relName(p), ' called at ', timeAny(), ', updated on pt condition'];
  if (r < 0.22) return [relName(p), ' (', rel, ') in to visit, ', pick(['supportive', 'tearful', 'asking appropriate questions', 'updated by MD'])];
  if (r < 0.32) return ['spoke w/ ', rel, ' ', N(`${p.given} ${p.family}`), ' by phone ', phone()];
  if (r < 0.42) return ['HCP is ', rel, ' ', N(`${p.given} ${p.family}`), ', cell ', phone()];
  if (r < 0.5) return [rel, ' ', relName(p), ' from ', L(pick(TOWNS)), ' visiting, ', pick(['staying overnight', 'will return in am', 'left at ' + timeAny()])];
  if (r < 0.58) return [p.female ? 'Mrs. ' : 'Mr. ', N(p.family), ` (${rel}) asking re: plan, referred to team`];
  if (r < 0.66) return ['family (', rel, ' ', relName(p), ', ', pick(RELATIONS_M), ' ', relName(person(false)), ') at bs most of shift'];
  if (r < 0.74) return [rel, ' ', relName(p), ' wants call if any change - ', phone()];
  if (r < 0.8) return [rel, ' ', relName(p), ' will be in ', Dt(pick(WEEKDAYS), false), ' for family mtg'];
  if (r < 0.87) return ['no family in today. ', rel, ' ', relName(p), ' called x', int(2, 4), ', ', pick(['frustrated', 'appreciative', 'very anxious'])];
  if (r < 0.93) return ['pt lives w/ ', rel, ' ', relName(p), ' in ', L(pick(TOWNS))];
  return [N(p.given), ', pt\'s ', rel, ', brought in ', pick(['glasses', 'hearing aids', 'home meds list', 'dentures'])];
}
function clinicianLine(): Part[] {
  const p = person();
  const r = rnd();
  if (r < 0.14) return [pick(['Dr.', 'Dr', 'dr']), ' ', N(p.family), ' aware'];
  if (r < 0.24) return [pick(['resident', 'intern', 'fellow', 'NP', 'PA']), ' ', N(chance(0.5) ? p.given : `${p.given} ${p.family}`), ' paged (', pagerWord(), ' ', pager(), '), ', pick(['new orders recvd', 'will come eval', 'no new orders'])];
  if (r < 0.32) return ['d/w ', pick(['Dr. ', 'NP ', 'Dr ']), N(p.family), ', ', pick(['cont current plan', 'bolus 500cc NS given', 'CXR ordered', 'hold TF'])];
  if (r < 0.4) return [pick(['nsgy', 'neurosurg', 'cards', 'renal', 'ID', 'trauma', 'CT surg', 'EP']), ' res dr ', N(p.family), ' ', pagerWord(), ' ', pager()];
  if (r < 0.48) return ['seen by ', N(p.family), ' (', pick(['cards fellow', 'attending', 'GI', 'pulm', 'surgery']), ')'];
  if (r < 0.56) return [pick(['RT', 'SW', 'PT', 'OT', 'case mgr', 'chaplain', 'nutrition']), ' ', N(chance(0.5) ? p.given : `${p.given} ${p.family}`), ' ', pick(['in to see pt', 'following', 'aware', 'to see in am'])];
  if (r < 0.62) return ['interpreter ', N(p.given), ' (', pick(['Cantonese', 'Portuguese', 'Haitian Creole', 'Vietnamese', 'Somali', 'ASL', 'Russian']), ') present for update'];
  if (r < 0.68) return ['per ', N(pick([p.given, p.family, `Dr. ${p.family}`].map((x) => x.replace(/^Dr\. /, '')))), ', ', pick(['ok to extubate', 'keep NPO', 'start TF', 'repeat lytes at 2200'])];
  if (r < 0.75) return ['Chaplain ', pick(['Fr. ', 'Rev. ', 'Rabbi ', 'Sister ']), N(p.family), ' visited'];
  if (r < 0.82) return ['covering ', pick(['MD', 'resident', 'hospitalist']), ' ', N(`${p.given[0]}. ${p.family}`), ' at ', pagerWord(), ' ', pager()];
  if (r < 0.9) return ['report given to ', N(p.given), ' RN ', pick(['at', '@']), ' ', timeAny()];
  return [pick(['attending Dr. ', 'Dr. ', 'DR ']), N(`${p.given} ${p.family}`), ' ', pick(['at bs', 'updated', 'spoke w/ family'])];
}
function historyLine(ctx: Ctx): Part[] {
  const h = ctx.hosp;
  const r = rnd();
  if (r < 0.14) return ['transferred from ', L(h.full), ' (', L(h.abbr), ') on ', date(), ' w/ ', pick(['SAH', 'STEMI', 'urosepsis', 'GI bleed', 'resp failure', 'MVC polytrauma'])];
  if (r < 0.24) return ['OSH (', L(chance(0.5) ? h.short : h.abbr), ') CT showed ', pick(['SDH 8mm', 'L MCA infarct', 'grade III splenic lac', 'pulm emboli'])];
  if (r < 0.32) return ["hx CABG '", yy(), ', ', pick(['AVR', 'PPM', 'AICD', 'CEA']), ' ', date(1)];
  if (r < 0.4) return ['admitted ', date(), ' ', pick<Part>(['via ED', 'from cath lab', 'direct from OR', ['from ', L(h.abbr)]])];
  if (r < 0.48) return ['pt from ', L(pick(FACILITIES)), ' in ', L(pick(TOWNS)), ', ', pick(['baseline A&Ox2', 'wheelchair bound', 'DNR/DNI', 'walks w/ walker'])];
  if (r < 0.56) return ['MRN ', mrn(), ' - ', pick(['allergies: PCN', 'NKDA', 'allergy sulfa, iodine'])];
  if (r < 0.64) return [pick(['EVD placed ', 'trach ', 'PEG placed ', 'ex-fix ', 'cath ']), date(), ', POD #', int(1, 12)];
  if (r < 0.72) return ['PCP Dr. ', N(person().family), ' in ', L(pick(TOWNS)), ', ', pick(['aware of admission', 'office faxed med list', 'to be called by team'])];
  if (r < 0.8) return ['last seen at ', L(h.short), ' ', date(), ', ', pick(['no records', 'records requested', 'records on chart'])];
  if (r < 0.88) return ["MI '", yy(), ', ', pick(['CHF EF 25%', 'DM2', 'COPD on 2L home O2', 'ESRD on HD MWF'])];
  return ['insurance ', O(pick(ORGS)), ', ', pick(['auth pending', 'case mgr aware', 'screening for rehab'])];
}

// ---------------------------------------------------------------- notes
interface Ctx { sparse: boolean; hosp: Hosp; pt: Person; age: number; caps: 'mixed' | 'upper' | 'lower'; runon: boolean; misspell: boolean; inline: boolean }
function dot(ctx: Ctx): string {
  return ctx.runon ? pick([', ', ' ', ', ', ' - ', '... ', ', ']) : pick(['. ', '. ', '. ', '; ']);
}
function ageLine(ctx: Ctx): Part[] {
  const f = ctx.pt.female;
  return pick<() => Part[]>([
    () => [Ag(ctx.age), ' yo ', f ? 'F' : 'M', ' w/ '],
    () => ['Pt is a ', Ag(ctx.age), ' y/o ', f ? 'woman' : 'man', ' w/ '],
    () => [Ag(ctx.age), f ? 'F' : 'M', ' s/p '],
    () => [Ag(ctx.age), ' year old ', f ? 'female' : 'male', ' with '],
    () => ['pt ', Ag(ctx.age), 'yo ', f ? 'f' : 'm', ' adm w/ '],
  ])();
}
const DX = ['SAH s/p coiling', 'inferior STEMI s/p PCI to RCA', 'urosepsis', 'UGIB', 'COPD exacerbation', 'ARDS', 'fall w/ SDH', 'MVC w/ multiple rib fx', 'CHF exacerbation', 'DKA', 'ICH', 'AAA repair', 'pancreatitis', 'pneumonia', 'CABG x3', 'cardiogenic shock', 'GSW abd', 'TBI', 'L hip fx'];

function title(kind: string, ctx: Ctx): Part[] {
  const shift = pick(SHIFT);
  const withDate = chance(0.3);
  const base = {
    systems: pick(['Nursing Progress Note', 'NPN', 'Nsg Progress Note', 'RN Progress Note', 'MICU Nursing Progress Note', 'Step-down Nsg Note', 'nursing note']),
    ccu: pick(['CCU Nursing Progress Note', 'CCU NPN', 'CCU RN note', 'Cardiac ICU nsg note']),
    neuro: pick(['Neuro ICU Nursing Progress Note', 'NSICU NPN', 'Neuro ICU RN note', 'NICU (neuro) nsg progress note']),
    trauma: pick(['Trauma SICU Nursing Note', 'SICU NPN', 'TSICU RN progress note', 'Trauma ICU nsg note']),
    events: pick(['Nursing Event Note', 'Events overnight', 'Nsg note - events', 'Nursing Progress Note']),
    transfer: pick(['Nursing Transfer Note', 'Transfer note (RN)', 'NSG TRANSFER NOTE', 'ICU transfer summary']),
    family: pick(['Family Update', 'Family update note', 'Nursing note - family meeting', 'Family communication']),
    plan: pick(['Plan of Care', 'Nursing Plan of Care', 'POC update', 'Interdisciplinary plan of care']),
    numbers: pick(['Nursing Progress Note', 'Hemodynamics / nsg note', 'CVICU NPN', 'MICU Nsg Note']),
  }[kind] as string;
  const parts: Part[] = [base, ' ', shift];
  if (withDate) parts.push(' ', date(0.4));
  parts.push(chance(0.5) ? '\n' : ': ');
  return parts;
}
function systemsBody(ctx: Ctx, kind: string): Part[] {
  const heads: Array<[string[], Array<() => string>]> = [
    [['Neuro:', 'NEURO-', 'neuro/', 'N:', 'Neuro -'], NEURO],
    [['CV:', 'C/V:', 'Cardiac:', 'CV-', 'CVS:'], CV],
    [['Resp:', 'RESP-', 'Pulm:', 'Resp/', 'R:'], RESP],
    [['GI:', 'GI/Nutr:', 'GI -', 'Abd:'], GI],
    [['GU:', 'Renal:', 'GU/Renal:', 'GU-'], GU],
    [['ID:', 'Infectious:', 'ID -'], ID],
    [['Skin:', 'Integ:', 'Skin/wounds:'], SKIN],
    [['Heme:', 'HEME-', 'Heme/coag:'], HEME],
    [['Endo:', 'ENDO-'], ENDO],
    [['Lines:', 'Access:', 'IV access:'], LINES],
  ];
  const out: Part[] = [];
  const order = kind === 'neuro' ? [0, 1, 2, 3, 4, 5, 6, 9] : kind === 'ccu' ? [1, 0, 2, 3, 4, 7, 9, 6] : heads.map((_, i) => i).filter(() => chance(0.8));
  for (const i of order) {
    const [names, gens] = heads[i]!;
    const n = int(1, 3);
    const sents: Part[] = [];
    for (let k = 0; k < n; k++) sents.push(pick(gens)(), k < n - 1 ? dot(ctx) : '');
    if (chance(ctx.sparse ? 0.02 : 0.1)) sents.push(dot(ctx), ...clinicianLine());
    out.push(pick(names), ' ', ...sents, ctx.inline ? dot(ctx) : '.\n');
  }
  return out;
}
function socialAndPlan(ctx: Ctx): Part[] {
  const out: Part[] = [];
  const sh = pick(['Social:', 'Soc:', 'Psychosocial:', 'Family:', 'Dispo:']);
  out.push(sh, ' ');
  const n = int(1, 2);
  for (let i = 0; i < n; i++) out.push(...(ctx.sparse && chance(0.7) ? [pick(NO_NAME_FAMILY)()] : relLine()), dot(ctx));
  if (chance(ctx.sparse ? 0.1 : 0.5)) out.push(...clinicianLine(), dot(ctx));
  out.push(ctx.inline ? '' : '\n', pick(['Plan:', 'A/P:', 'PLAN-', 'P:']), ' ', pick([
    'cont to monitor, wean vent as tol',
    'SBT in am, ? extubate',
    'titrate pressors to MAP >65, f/u lytes',
    'q1h neuro checks, keep CPP >60, Na goal 145-155',
    'hope to extubate in am',
    'will need rehab screen',
    'family mtg tomorrow 1400',
    'cont plan of care, call HO w/ changes',
    'follow hct q6h, transfuse for <21',
  ]));
  return out;
}
function trauma(ctx: Ctx): Part[] {
  const out: Part[] = [];
  out.push(...ageLine(ctx), pick(['MVC', 'fall from ladder ~12ft', 'motorcycle crash, unhelmeted', 'pedestrian struck', 'GSW', 'fall down 14 stairs', 'assault']));
  out.push(', ', pick([`GCS ${int(3, 15)} on scene`, 'LOC +', 'intubated in field']), ', flown by ', O(pick(['Boston MedFlight', 'LifeFlight', 'Cataldo Ambulance'])), ' from ');
  out.push(chance(0.5) ? L(ctx.hosp.full) : L(pick(TOWNS)), dot(ctx));
  out.push('Injuries: ', shuffle(['L rib fx 4-9', 'L ptx s/p CT', 'grade III splenic lac', 'Le Fort II fx', 'C6 fx - Miami J collar', 'T12 chance fx, TLS precautions', 'R femur fx s/p ex-fix', 'SDH 6mm', 'pelvic fx (open book)', 'R tib/fib fx in Buck\'s traction', 'L clavicle fx', 'liver lac grade II']).slice(0, int(2, 5)).join(', '), dot(ctx));
  out.push(pick(LOOKALIKES.filter((x) => /Battle|raccoon|Aspen|Philadelphia|Le Fort|Hoyer|Parkland/.test(x))), dot(ctx));
  out.push(...systemsBody(ctx, 'trauma'));
  return out;
}
function events(ctx: Ctx): Part[] {
  const out: Part[] = [];
  let at = pick([19, 20, 22, 23, 0, 1]) * 60;
  const n = int(4, 8);
  const evs: Array<() => Part[]> = [
    () => ['pt agitated, pulling at ', pick(['ETT', 'lines', 'foley', 'NGT']), ', ', pick(['haldol 2mg IV given', 'precedex started 0.4', 'ativan 1mg IV', 'restraints reapplied'])],
    () => ['SBP ', range(70, 90), 's, ', drip(), ' started'],
    () => ['HR ', range(130, 160), ' ', pick(['afib', 'SVT', 'ST']), ', ', pick(['dilt 10mg IV x1', 'adenosine 6mg', 'amio bolus 150'])],
    () => ['desat to ', int(78, 88), '%, sx for copious secretions, ', pick(['sats back to 95%', 'FiO2 inc to 60%', 'RT in'])],
    () => ['CXR done, ', pick(['no change', 'ETT 3cm above carina', 'R ptx - CT placed by team'])],
    () => (ctx.sparse ? ['MD notified, ', pick(['no new orders', 'see orders', 'will eval'])] : clinicianLine()),
    () => (ctx.sparse ? [pick(NO_NAME_FAMILY)()] : relLine()),
    () => ['lytes sent, K ', int(3, 5), '.', int(0, 9), ', Mg ', int(1, 2), '.', int(0, 9)],
    () => ['ICP up to ', int(22, 35), ' w/ sx, EVD drained ', int(10, 40), 'cc, ', pick(['mannitol 50g', '3% 250cc bolus', 'HOB up'])],
    () => ['FSBG ', int(40, 350), ', ', pick(['D50 1 amp', 'insulin gtt inc', 'SSI'])],
    () => ['turned/repositioned, skin ', pick(['intact', 'red coccyx'])],
    () => ['pt ', pick(['sleeping', 'resting comfortably', 'awake, calm', 'c/o CP 6/10 - EKG done, NTG SL x1'])],
  ];
  for (let i = 0; i < n; i++) {
    at = (at + pick([10, 15, 20, 30, 45, 60, 90, 120])) % 1440;
    const hm = `${pad(Math.floor(at / 60))}${pad(at % 60)}`;
    const t = pick([hm, hm, `${hm.slice(0, 2)}:${hm.slice(2)}`, `@${hm}`, `${hm}:`, `${hm}hrs`]);
    out.push(t, ' ', ...pick(evs)(), ctx.runon ? dot(ctx) : '\n');
  }
  return out;
}
function transfer(ctx: Ctx): Part[] {
  const { rel, p } = relative();
  const unit = pick(['6 North bed 12', '4 West rm 418', 'step-down 2B', 'tele floor', 'med/surg 7', 'CCU bed 3', 'MICU 6']);
  return [
    ...ageLine(ctx), pick(DX), ', admitted ', date(), dot(ctx),
    'transferred from ', pick(['MICU', 'CCU', 'SICU', 'neuro ICU']), ' to ', unit, ' at ', timeAny(), dot(ctx),
    'report called to ', N(person().given), ' RN ', pick(['x', 'ext ']), ext(), dot(ctx),
    'VSS: ', `HR ${int(60, 100)} ${pick(RHYTHM)}, BP ${int(100, 150)}/${int(50, 90)}, RR ${int(14, 24)}, sats ${int(92, 99)}% ${pick(['RA', '2L NC'])}`, dot(ctx),
    'belongings: ', pick(['glasses, upper dentures', 'cell phone, wallet sent home w/ family', 'hearing aid L ear', 'none']), dot(ctx),
    'family aware: ', rel, ' ', relName(p), ', ', pick(['cell', 'home', 'ph']), ' ', phone(), dot(ctx),
    ...(chance(0.5) ? historyLine(ctx) : clinicianLine()), dot(ctx),
  ];
}
function familyNote(ctx: Ctx): Part[] {
  const a = relative();
  const b = relative();
  const doc = person();
  const sw = person();
  return [
    'Spoke w/ pt\'s ', a.rel, ' ', N(`${a.p.given} ${a.p.family}`), ' (HCP) ', pick(['by phone', 'at bedside', 'in family room']), ' at ', timeAny(), chance(0.5) ? [' (', pick(['home', 'cell', 'work']), ' ', phone(), ')'] : '', dot(ctx),
    pick(['Updated re: ', 'Discussed ', 'Reviewed ']), pick(['vent wean and possible trach/PEG', 'poor neuro exam and prognosis', 'plan for cath in am', 'goals of care, DNR discussed', 'need for CVVH']), dot(ctx),
    a.rel, ' ', pick(['tearful but appropriate', 'asking good questions', 'wants full code for now', 'requests call w/ any change']), dot(ctx),
    'Family meeting held w/ Dr. ', N(doc.family), ', SW ', N(sw.given), ', ', b.rel, ' ', relName(b.p), ' and ', pick(['2 grandchildren', 'pt\'s pastor', a.rel]), dot(ctx),
    ...(chance(0.5) ? ['next meeting ', chance(0.5) ? Dt(pick(WEEKDAYS), false) : date(0.1), ' at ', pick(['1400', '2pm', '10am', '1530']), dot(ctx)] : []),
    ...(chance(0.4) ? [b.rel, ' flying in from ', L(pick(TOWNS)), dot(ctx)] : []),
  ];
}
function planOfCare(ctx: Ctx): Part[] {
  const probs = shuffle([
    ['Impaired gas exchange', 'sats >92%, wean FiO2', 'pulm toilet q2h, HOB >30, ABG prn'],
    ['Decreased cardiac output', 'MAP >65, CI >2.2', `titrate ${drip()}, monitor PA pressures`],
    ['Risk for injury / falls', 'no falls this shift', 'bed alarm, Posey belt, q1h rounding'],
    ['Alteration in comfort', 'pain <4/10', 'fentanyl gtt, repositioning'],
    ['Risk for infection', 'Tmax <38.5', 'line care per protocol, cultures prn'],
    ['Ineffective coping (family)', 'family verbalizes understanding', 'daily updates, SW consult'],
    ['Altered cerebral perfusion', 'ICP <20, CPP >60', 'EVD at 10cm H2O, HOB 30'],
    ['Impaired skin integrity', 'no new breakdown', 'Kinair bed, turn q2h, Mepilex'],
  ]).slice(0, int(2, 4));
  const out: Part[] = [];
  for (const [pr, goal, iv] of probs as Array<[string, string, string]>) {
    out.push('Problem: ', pr, dot(ctx), 'Goal: ', goal, dot(ctx), 'Interventions: ', iv, dot(ctx), 'Eval: ', pick(['progressing', 'met', 'not met', 'ongoing']), ctx.inline ? dot(ctx) : '\n');
  }
  out.push(pick(['Pt/family teaching: ', 'Education: ']), pick([[relLine()], [clinicianLine()], ['pt unable d/t sedation']]), dot(ctx));
  return out;
}
function numbers(ctx: Ctx): Part[] {
  const out: Part[] = [];
  out.push(`HR ${range(50, 130)} ${pick(RHYTHM)}, BP ${int(80, 150)}/${int(40, 90)}, MAP ${range(55, 90, 5)}, CVP ${int(2, 20)}, T ${pick(['37.2', '38.1', '98.6', '100.9'])}`, dot(ctx));
  out.push(`PA ${int(25, 70)}/${int(10, 35)}, wedge ${int(8, 30)}, CO ${int(2, 8)}.${int(0, 9)}, CI ${int(1, 4)}.${int(0, 9)}, SVR ${int(500, 2400)}`, dot(ctx));
  out.push('drips: ', [drip(), drip(), drip()].slice(0, int(1, 3)).join(', '), dot(ctx));
  out.push(`vent ${vent()}, ABG ${abg()}, lactate ${int(0, 9)}.${int(0, 9)}`, dot(ctx));
  out.push(`ICP ${range(4, 30, 2)}, CPP ${range(50, 90, 5)}`, dot(ctx));
  out.push(`${io()}, UO ${range(15, 150)}cc/hr, wt ${int(50, 130)}.${int(0, 9)}kg (${pick(['+', '-'])}${int(0, 3)}.${int(0, 9)})`, dot(ctx));
  out.push(`Na ${int(128, 156)} K ${int(3, 6)}.${int(0, 9)} Cl ${int(95, 115)} CO2 ${int(14, 32)} BUN ${int(5, 90)} Cr ${int(0, 6)}.${int(0, 9)} Glu ${int(60, 400)}`, dot(ctx));
  out.push(`Hct ${int(20, 40)}.${int(0, 9)} plt ${int(40, 400)} INR ${int(1, 3)}.${int(0, 9)} fibrinogen ${int(90, 500)}`, dot(ctx));
  if (chance(ctx.sparse ? 0.2 : 0.7)) out.push(...clinicianLine(), dot(ctx));
  if (chance(ctx.sparse ? 0.2 : 0.5)) out.push(...relLine(), dot(ctx));
  return out;
}
function lookalikes(ctx: Ctx): Part[] {
  const out: Part[] = [];
  for (const x of shuffle(LOOKALIKES).slice(0, int(0, 3))) out.push(x, dot(ctx));
  return out;
}
function signature(ctx: Ctx): Part[] {
  const p = person();
  return pick<() => Part[]>([
    () => ['\n', N(`${p.given[0]}. ${p.family}`), ', RN'],
    () => ['\n-- ', N(`${p.given} ${p.family}`), ', RN, BSN'],
    () => ['\n', N(initials(p)), ' RN'],
    () => ['\nSigned: ', N(`${p.given} ${p.family}`), ' RN ', pagerWord(), ' ', pager()],
    () => ['\n', N(p.given), ' RN'],
    () => [''],
    () => [''],
  ])();
}

const MISSPELL: Array<[RegExp, string]> = [
  [/\bpatient\b/g, 'pateint'], [/\breceived\b/g, 'recieved'], [/\bincreased?\b/g, 'incresed'], [/\bdecreased?\b/g, 'decresed'],
  [/\btolerat(ed|ing)\b/g, 'tolorated'], [/\babdomen\b/g, 'abdomin'], [/\bdistended\b/g, 'distented'], [/\bsecretions\b/g, 'secreations'],
  [/\bfamily\b/g, 'famly'], [/\bwean\b/g, 'ween'], [/\bcontinue\b/g, 'contiue'], [/\bdiminished\b/g, 'dimished'], [/\bagitated\b/g, 'agitatted'],
  [/\bpressure\b/g, 'presure'], [/\bnotified\b/g, 'notifed'], [/\bappropriate\b/g, 'apropriate'], [/\bthrough\b/g, 'thru'], [/\bsupportive\b/g, 'suportive'],
  [/\bcomfortably\b/g, 'comfortabley'], [/\bbedside\b/g, 'bedsde'], [/\bquestions\b/g, 'questons'], [/\bsedated\b/g, 'sedate'],
];

function flatten(parts: Part[], out: Seg[] = []): Seg[] {
  for (const p of parts) {
    if (Array.isArray(p)) flatten(p, out);
    else if (typeof p === 'number') out.push(String(p));
    else out.push(p);
  }
  return out;
}
function render(parts: Part[], ctx: Ctx): { text: string; spans: Array<{ start: number; end: number; label: string; scored?: boolean }> } {
  let text = '';
  const spans: Array<{ start: number; end: number; label: string; scored?: boolean }> = [];
  const caseOf = (s: string): string => (ctx.caps === 'upper' ? s.toUpperCase() : ctx.caps === 'lower' ? s.toLowerCase() : s);
  for (const seg of flatten(parts)) {
    if (typeof seg === 'string') {
      let s = seg;
      if (ctx.misspell) for (const [re, to] of MISSPELL) s = s.replace(re, (m) => (chance(0.6) ? to : m));
      text += caseOf(s);
    } else {
      let s = caseOf(seg.s);
      if (ctx.caps === 'mixed' && seg.label === 'NAME') s = chance(0.12) ? s.toLowerCase() : chance(0.08) ? s.toUpperCase() : s;
      if (s.length !== seg.s.length) throw new Error('case change altered a length');
      const span: { start: number; end: number; label: string; scored?: boolean } = { start: text.length, end: text.length + s.length, label: seg.label };
      if (seg.scored === false) span.scored = false;
      spans.push(span);
      text += s;
    }
  }
  return { text, spans };
}

const KINDS = ['systems', 'systems', 'ccu', 'neuro', 'trauma', 'events', 'events', 'transfer', 'family', 'plan', 'numbers'];
function makeDoc(i: number): { id: string; text: string; spans: Array<{ start: number; end: number; label: string; scored?: boolean }> } {
  const kind = KINDS[i % KINDS.length]!;
  const r = rnd();
  const ctx: Ctx = {
    sparse: chance(0.4),
    hosp: hospital(),
    pt: person(),
    age: oldAge(),
    caps: r < 0.5 ? 'mixed' : r < 0.78 ? 'upper' : 'lower',
    runon: chance(0.25),
    misspell: chance(0.3),
    inline: chance(0.7),
  };
  const parts: Part[] = [];
  if (chance(0.85)) parts.push(title(kind, ctx));
  if (chance(0.15)) parts.push('Pt: ', ctx.pt.female ? 'Mrs. ' : 'Mr. ', N(`${ctx.pt.family}`), ', MRN ', mrn(), '\n');
  switch (kind) {
    case 'systems':
    case 'ccu':
    case 'neuro':
      if (chance(0.6)) parts.push(...ageLine(ctx), pick(DX), dot(ctx));
      if (chance(0.5)) parts.push(...historyLine(ctx), dot(ctx));
      parts.push(...systemsBody(ctx, kind), ...lookalikes(ctx), ...socialAndPlan(ctx));
      break;
    case 'trauma':
      parts.push(...trauma(ctx), ...socialAndPlan(ctx));
      break;
    case 'events':
      if (chance(0.5)) parts.push(...ageLine(ctx), pick(DX), dot(ctx), '\n');
      parts.push(...events(ctx));
      if (chance(0.4)) parts.push(...historyLine(ctx), dot(ctx));
      break;
    case 'transfer':
      parts.push(...transfer(ctx), ...lookalikes(ctx));
      break;
    case 'family':
      parts.push(...familyNote(ctx));
      if (chance(0.4)) parts.push(...historyLine(ctx), dot(ctx));
      break;
    case 'plan':
      parts.push(...planOfCare(ctx));
      break;
    case 'numbers':
      if (chance(0.4)) parts.push(...ageLine(ctx), pick(DX), dot(ctx));
      parts.push(...numbers(ctx), ...lookalikes(ctx));
      break;
  }
  if (!ctx.sparse || chance(0.2)) parts.push(...signature(ctx));
  const { text, spans } = render(parts, ctx);
  return { id: `clinical-h-${pad(i + 1, 4)}`, text: text.replace(/\s+$/, ''), spans };
}

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../src/modules/redaction/data/clinical-notes-h.jsonl');
const docs = Array.from({ length: 400 }, (_, i) => makeDoc(i));
for (const d of docs) {
  for (const s of d.spans) if (s.end > d.text.length || s.start >= s.end) throw new Error(`bad span in ${d.id}`);
  if (!/^[\x09\x0a\x20-\x7e]*$/.test(d.text)) throw new Error(`non-ASCII text in ${d.id}`);
}
writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
const scored = docs.reduce((n, d) => n + d.spans.filter((s) => s.scored !== false && s.label !== 'ORGANIZATION').length, 0);
console.log(`clinical-notes-h: ${docs.length} documents, ${scored} scored spans -> ${out}`);
