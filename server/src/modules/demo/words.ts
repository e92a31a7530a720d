/**
 * Word lists for synthetic people and places. Names are common given and family names of varied
 * origins; none is meant to be anyone. Family names that are also everyday English words (Long,
 * Young, Park, Hill, Price, White, ...) are left out on purpose: the gold test checks that a
 * patient's family name never appears in a transcript outside a NAME or EMAIL span.
 */

export const GIVEN_FEMALE: readonly string[] = [
  'olivia', 'emma', 'ava', 'sophia', 'isabella', 'mia', 'amelia', 'harper', 'evelyn', 'abigail',
  'emily', 'elizabeth', 'sofia', 'avery', 'ella', 'scarlett', 'victoria', 'madison', 'luna', 'chloe',
  'penelope', 'layla', 'riley', 'zoey', 'nora', 'lily', 'eleanor', 'hannah', 'lillian', 'addison',
  'aubrey', 'ellie', 'stella', 'natalie', 'zoe', 'leah', 'hazel', 'violet', 'aurora', 'savannah',
  'audrey', 'claire', 'lucy', 'anna', 'caroline', 'samantha', 'maya', 'naomi', 'aaliyah', 'elena',
  'sarah', 'ariana', 'allison', 'gabriella', 'alice', 'madelyn', 'cora', 'ruby', 'eva', 'adeline',
  'hailey', 'gianna', 'valentina', 'isla', 'eliana', 'lydia', 'josephine', 'julia', 'delilah', 'vivian',
  'margaret', 'dorothy', 'patricia', 'barbara', 'linda', 'deborah', 'sharon', 'carol', 'judith', 'janet',
  'guadalupe', 'ximena', 'carmen', 'rosa', 'lucia', 'yesenia', 'marisol', 'esperanza', 'beatriz', 'catalina',
  'mei', 'xiu', 'ying', 'lan', 'hoa', 'linh', 'thuy', 'ngoc', 'jiwoo', 'minseo',
  'seoyeon', 'priya', 'ananya', 'lakshmi', 'deepa', 'kavya', 'fatima', 'aisha', 'noor', 'amira',
  'zainab', 'chiamaka', 'ngozi', 'adaeze', 'funmilayo', 'folake', 'abena', 'agnieszka', 'katarzyna', 'malgorzata',
  'giulia', 'francesca', 'chiara', 'siobhan', 'aoife', 'niamh', 'ingrid', 'greta', 'svetlana', 'tatiana',
  'olga', 'natasha', 'yuki', 'haruka', 'sakura', 'maricel', 'rowena', 'imelda', 'dalia', 'esther',
  'miriam', 'rivka', 'leilani', 'keala', 'tallulah', 'wren', 'marguerite', 'bernadette', 'colleen', 'tamika',
];

export const GIVEN_MALE: readonly string[] = [
  'liam', 'noah', 'oliver', 'james', 'elijah', 'william', 'henry', 'lucas', 'benjamin', 'theodore',
  'mateo', 'levi', 'sebastian', 'daniel', 'jack', 'michael', 'alexander', 'owen', 'asher', 'samuel',
  'ethan', 'leo', 'ezra', 'david', 'hudson', 'joseph', 'john', 'luke', 'gabriel', 'julian',
  'isaac', 'anthony', 'christopher', 'joshua', 'andrew', 'nathan', 'aaron', 'isaiah', 'thomas', 'charles',
  'robert', 'richard', 'kenneth', 'steven', 'edward', 'ronald', 'timothy', 'gerald', 'raymond', 'dennis',
  'jose', 'luis', 'carlos', 'miguel', 'juan', 'alejandro', 'diego', 'santiago', 'rafael', 'ramon',
  'rodrigo', 'eduardo', 'mateus', 'wei', 'jun', 'hao', 'minh', 'duc', 'quang', 'tuan',
  'minjun', 'seojun', 'jihoon', 'arjun', 'rohan', 'vikram', 'rahul', 'sanjay', 'mohammed', 'omar',
  'yusuf', 'ahmed', 'karim', 'tariq', 'hamza', 'chukwuemeka', 'emeka', 'oluwaseun', 'tunde', 'kwame',
  'kofi', 'tomasz', 'piotr', 'marek', 'giuseppe', 'marco', 'luca', 'sean', 'padraig', 'cormac',
  'lars', 'sven', 'dmitri', 'sergei', 'ivan', 'hiroshi', 'kenji', 'takeshi', 'haruto', 'kai',
  'malik', 'darnell', 'terrence', 'andre', 'jamal', 'desmond', 'keanu', 'bao', 'florin', 'bogdan',
];

export const FAMILY_NAMES: readonly string[] = [
  'smith', 'johnson', 'williams', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez',
  'lopez', 'gonzalez', 'wilson', 'anderson', 'taylor', 'moore', 'thompson', 'harris', 'sanchez', 'clark',
  'ramirez', 'lewis', 'robinson', 'walker', 'allen', 'wright', 'torres', 'nguyen', 'flores', 'nelson',
  'rivera', 'campbell', 'mitchell', 'roberts', 'gomez', 'phillips', 'evans', 'turner', 'diaz', 'cruz',
  'edwards', 'collins', 'reyes', 'stewart', 'morris', 'morales', 'murphy', 'rogers', 'gutierrez', 'ortiz',
  'cooper', 'peterson', 'richardson', 'watson', 'chavez', 'bennett', 'mendoza', 'ruiz', 'hughes', 'alvarez',
  'castillo', 'sanders', 'myers', 'jimenez', 'kowalski', 'nowak', 'wisniewski', 'lewandowski', 'zielinski', 'okafor',
  'adeyemi', 'okonkwo', 'mensah', 'asante', 'boateng', 'diallo', 'nwosu', 'balogun', 'chen', 'wang',
  'zhang', 'liu', 'huang', 'zhao', 'zhou', 'xu', 'lin', 'tran', 'pham', 'hoang',
  'dang', 'bui', 'ngo', 'choi', 'jung', 'kang', 'yoon', 'jang', 'lim', 'shin',
  'patel', 'shah', 'singh', 'kumar', 'gupta', 'sharma', 'reddy', 'iyer', 'nair', 'desai',
  'mehta', 'joshi', 'khan', 'hussein', 'rahman', 'haddad', 'nasser', 'khalil', 'saleh', 'abboud',
  'farah', 'mansour', 'yilmaz', 'ozturk', 'demir', 'rossi', 'russo', 'ferrari', 'esposito', 'bianchi',
  'romano', 'colombo', 'ricci', 'marino', 'greco', 'conti', 'deluca', 'sullivan', 'walsh', 'byrne',
  'doyle', 'mccarthy', 'gallagher', 'brennan', 'schmidt', 'mueller', 'schneider', 'fischer', 'weber', 'wagner',
  'becker', 'hoffmann', 'schulz', 'ivanov', 'petrov', 'smirnov', 'volkov', 'sokolov', 'kuznetsov', 'horvat',
  'kovacs', 'nagy', 'szabo', 'tanaka', 'suzuki', 'watanabe', 'takahashi', 'yamamoto', 'nakamura', 'kobayashi',
  'santos', 'delacruz', 'bautista', 'villanueva', 'aquino', 'navarro', 'dominguez', 'vasquez', 'castro', 'romero',
  'herrera', 'medina', 'aguilar', 'vargas', 'guzman', 'salazar', 'silva', 'pereira', 'oliveira', 'almeida',
  'fernandes', 'carvalho', 'lindqvist', 'johansson', 'andersson', 'nilsson', 'larsen', 'hansen', 'jensen', 'olsen',
  'kealoha', 'kahale', 'begay', 'yazzie', 'tsosie', 'abernathy', 'fitzgerald', 'underwood', 'whitaker', 'holloway',
];

export const STREET_NAMES: readonly string[] = [
  'main', 'oak', 'maple', 'cedar', 'pine', 'elm', 'lake', 'river', 'sunset', 'highland',
  'church', 'meadow', 'forest', 'chestnut', 'birch', 'walnut', 'ridge', 'valley', 'orchard', 'harbor',
  'prospect', 'cherry', 'spruce', 'laurel', 'aspen', 'juniper', 'magnolia', 'sycamore', 'hawthorne', 'cottonwood',
  'mill', 'school', 'center', 'bridge', 'fairview', 'lakeview', 'pleasant', 'summit', 'bay', 'creek',
];

export const STREET_TYPES: readonly string[] = [
  'street', 'street', 'avenue', 'avenue', 'road', 'drive', 'lane', 'court', 'boulevard', 'way', 'place', 'circle',
];

/** Written abbreviations of street types, for the structured address line. */
export const STREET_TYPE_ABBR: Readonly<Record<string, string>> = {
  street: 'St', avenue: 'Ave', road: 'Rd', drive: 'Dr', lane: 'Ln', court: 'Ct', boulevard: 'Blvd',
  way: 'Way', place: 'Pl', circle: 'Cir',
};

export interface Place { city: string; state: string; stateName: string; zip3: string; areaCodes: readonly string[] }

/** Riverside is a Pacific Northwest network; Lakeside a Great Lakes one. Zip prefixes are real for the city. */
export const PLACES: Readonly<Record<'riverside' | 'lakeside', readonly Place[]>> = {
  riverside: [
    { city: 'portland', state: 'OR', stateName: 'oregon', zip3: '972', areaCodes: ['503', '971'] },
    { city: 'salem', state: 'OR', stateName: 'oregon', zip3: '973', areaCodes: ['503', '971'] },
    { city: 'eugene', state: 'OR', stateName: 'oregon', zip3: '974', areaCodes: ['541', '458'] },
    { city: 'bend', state: 'OR', stateName: 'oregon', zip3: '977', areaCodes: ['541', '458'] },
    { city: 'medford', state: 'OR', stateName: 'oregon', zip3: '975', areaCodes: ['541'] },
    { city: 'vancouver', state: 'WA', stateName: 'washington', zip3: '986', areaCodes: ['360', '564'] },
    { city: 'tacoma', state: 'WA', stateName: 'washington', zip3: '984', areaCodes: ['253'] },
    { city: 'olympia', state: 'WA', stateName: 'washington', zip3: '985', areaCodes: ['360'] },
    { city: 'spokane', state: 'WA', stateName: 'washington', zip3: '992', areaCodes: ['509'] },
    { city: 'boise', state: 'ID', stateName: 'idaho', zip3: '837', areaCodes: ['208', '986'] },
  ],
  lakeside: [
    { city: 'milwaukee', state: 'WI', stateName: 'wisconsin', zip3: '532', areaCodes: ['414'] },
    { city: 'green bay', state: 'WI', stateName: 'wisconsin', zip3: '543', areaCodes: ['920'] },
    { city: 'duluth', state: 'MN', stateName: 'minnesota', zip3: '558', areaCodes: ['218'] },
    { city: 'rochester', state: 'MN', stateName: 'minnesota', zip3: '559', areaCodes: ['507'] },
    { city: 'minneapolis', state: 'MN', stateName: 'minnesota', zip3: '554', areaCodes: ['612'] },
    { city: 'grand rapids', state: 'MI', stateName: 'michigan', zip3: '495', areaCodes: ['616'] },
    { city: 'traverse city', state: 'MI', stateName: 'michigan', zip3: '496', areaCodes: ['231'] },
    { city: 'kalamazoo', state: 'MI', stateName: 'michigan', zip3: '490', areaCodes: ['269'] },
    { city: 'evanston', state: 'IL', stateName: 'illinois', zip3: '602', areaCodes: ['847', '224'] },
    { city: 'toledo', state: 'OH', stateName: 'ohio', zip3: '436', areaCodes: ['419', '567'] },
    { city: 'erie', state: 'PA', stateName: 'pennsylvania', zip3: '165', areaCodes: ['814'] },
  ],
};

/** Reserved example domains (RFC 2606) so that no generated address can belong to anyone. */
export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.net', 'example.org', 'mail.example.com'];

export function titleCase(s: string): string {
  return s.replace(/(^|[\s-])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}
