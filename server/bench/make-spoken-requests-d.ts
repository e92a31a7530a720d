/**
 * `npm run data:spoken-d` (R-DATA-2): writes server/src/modules/redaction/data/spoken-requests-d.jsonl,
 * a fourth spoken development set of voice-assistant requests and call-center utterances, written before
 * the engine was run on it and apart from the engine's lexicons (`data/lexicons/*.txt`) and from the
 * other generators' name pools, so that it measures whether the engine's spoken-name rules generalise.
 * Deterministic: the same seed writes the same bytes; formats and labels as ../shared/data/phi/README.md;
 * the lockbox split is the same hash of the id (`isLockbox`).
 *
 * What it holds, in lower case and without punctuation, as speech recognisers write it (numbers and
 * e-mail addresses in words: "jo dot tran at gmail dot com"):
 * - requests with a person in the verb's slot: call, text, email, facetime, "remind me to ask ..",
 *   "set up a meeting with ..", "did .. reply", "what's ..'s number", "add .. to my contacts";
 * - greetings and self-introductions ("hello is this jo tran", "hi it's sam calling for ..", "you're
 *   speaking with ..") and call-center turns (the caller's name, a relative's, the doctor's, a spelled
 *   name, an e-mail read out);
 * - names no list is likely to hold: rare and foreign given names, nicknames, invented names, a family
 *   name alone after a title or a verb; and names that are common words ("will", "bill", "rose",
 *   "grant", "hope", "young");
 * - many requests without a person where a name could stand: relations ("text mom"), places of service
 *   ("call the pharmacy"), businesses, brands, apps, songs, artists in a request to play, foods named
 *   after people, streets and towns named after people, and the same common words in their plain sense.
 *
 * Labels, as slurp-devel (../shared/data/phi): person names NAME, with a possessive "'s" inside the span
 * ("jean's"), celebrities asked about too, but not an artist in a request to play music; e-mail
 * addresses EMAIL. Only these two are scored. Named places and streets (LOCATION), named businesses
 * (ORGANIZATION), dates and times (DATE) and, in calls, phone numbers (PHONE) are `"scored": false`, as
 * slurp-devel marks its places, businesses and dates. Titles, relation words and the words around a
 * name are outside its span. Songs, artists in play requests, apps, brands and products, foods,
 * podcasts (but a host's name in a podcast's title, as slurp-devel), teams, holidays and generic places
 * ("the pharmacy") carry no span: masking them counts against precision.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, isLockbox, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(3031);
const { pick, chance } = draws(rnd);

// --- people (pools written for this set) ---------------------------------------------------------

/** Given names of many origins, mostly rare in English-language name lists. */
const RARE_GIVEN = [
  'chidubem', 'obiageli', 'ifeoma', 'uchenna', 'emeka', 'babatunde', 'olamide', 'temitope', 'funmilayo', 'kojo',
  'akosua', 'kwabena', 'yaa', 'esi', 'mawuli', 'dzifa', 'eyerusalem', 'tsehay', 'genet', 'dawit', 'selamawit',
  'yonas', 'wanjiku', 'njeri', 'otieno', 'achieng', 'aarav', 'ishaan', 'devika', 'meenakshi', 'pranav', 'shreya',
  'tanvir', 'farhana', 'nusrat', 'rupinder', 'jaswinder', 'anirudh', 'bao', 'thuy', 'khanh', 'duc', 'phuong',
  'trung', 'hoa', 'seo yeon', 'jae won', 'hyun woo', 'yuna', 'sakura', 'takumi', 'haruka', 'jing', 'xiu mei',
  'mingyu', 'siosaia', 'malia', 'youssef', 'mariam', 'nour', 'karim', 'rania', 'tarek', 'omid', 'shirin', 'babak',
  'leyla', 'emre', 'elif', 'mehmet', 'zeynep', 'radomir', 'svetlana', 'miroslava', 'jaroslav', 'teodora', 'zofia',
  'grzegorz', 'milos', 'vesna', 'bojana', 'lucija', 'matej', 'anneliese', 'wolfgang', 'solveig', 'eero', 'aino',
  'maarten', 'saoirse', 'oisin', 'eilidh', 'tadhg', 'caoimhe', 'dervla', 'gwilym', 'angharad', 'guadalupe', 'itzel',
  'yesenia', 'xochitl', 'rocio', 'marisol', 'leandro', 'gonzalo', 'wiremu', 'ngaire', 'ikaika', 'kalea', 'makoa',
  'hinemoa', 'aiyana', 'chayton', 'nizhoni', 'ahanu',
];
/** Given names common in US speech (some will be in any list: the set is not only hard cases). */
const COMMON_GIVEN = [
  'jo', 'sam', 'alex', 'ben', 'jen', 'dan', 'liz', 'kim', 'pete', 'rob', 'tony', 'nina', 'josh', 'emma', 'noah',
  'olivia', 'ethan', 'chloe', 'ryan', 'hannah', 'greg', 'beth', 'karen', 'doug', 'tina', 'jason', 'heather', 'luis',
  'rosa', 'ahmed', 'fatima', 'wei', 'anh', 'raj', 'priya',
];
const NICKNAMES = ['bubba', 'sully', 'gigi', 'lulu', 'deedee', 'cece', 'teddy', 'bobby', 'jimbo', 'mo', 'kiki', 'coco', 'bibi', 'mikey', 'stevie', 'nico', 'pip', 'bitsy', 'tater', 'boomer', 'duke', 'scooter', 'ziggy', 'moose'];
/** Given names that are also common English words. */
const WORD_GIVEN = ['will', 'bill', 'rose', 'grant', 'hope', 'mark', 'jack', 'pat', 'faith', 'joy', 'dawn', 'crystal', 'rocky', 'buddy', 'chase', 'heath', 'penny', 'ruby', 'sandy', 'willow', 'clay', 'reed', 'wade', 'dean', 'miles', 'jay', 'robin', 'ray', 'drew', 'ivy', 'holly', 'iris', 'daisy', 'misty', 'may', 'june', 'august', 'earl', 'basil', 'rod', 'skip', 'gene', 'norm', 'cliff', 'river', 'storm', 'sunny', 'ginger', 'destiny', 'precious', 'max', 'sky'];
const FAMILY = [
  'okonkwo', 'nwosu', 'ogbu', 'asante', 'owusu', 'appiah', 'gebremedhin', 'tadesse', 'mwangi', 'ochieng', 'kamau',
  'banerjee', 'mukherjee', 'venkataraman', 'chaudhry', 'qureshi', 'siddiqui', 'hossain', 'truong', 'huynh', 'luong',
  'bui', 'ngo', 'yamamoto', 'nakamura', 'matsuda', 'yoon', 'kang', 'shin', 'wong', 'leung', 'zielinski', 'dabrowski',
  'novakova', 'horvat', 'kovac', 'petrovic', 'jovanovic', 'popescu', 'ionescu', 'papadopoulos', 'georgiou', 'oyelaran',
  'delacroix', 'fontaine', 'lindqvist', 'bergstrom', 'virtanen', 'korhonen', 'ohare', 'mcbride', 'gallagher',
  'quinlan', 'vasquez', 'ibarra', 'quispe', 'mamani', 'kealoha', 'kamakana', 'tuilagi', 'fonoti', 'yellowhorse',
  'tran', 'garcia', 'johnson', 'miller', 'davis', 'martinez', 'anderson', 'thompson', 'robinson', 'whitcombe',
  'abernathy', 'fairweather', 'pennington', 'ashworth', 'castellanos', 'villanueva', 'achterberg', 'oyelowo',
];
/** Family names that are also common English words. */
const WORD_FAMILY = ['young', 'grant', 'hope', 'rose', 'banks', 'bell', 'brooks', 'cross', 'fox', 'hall', 'hart', 'hunt', 'lane', 'marsh', 'mills', 'moss', 'page', 'park', 'pierce', 'rivers', 'stone', 'swift', 'wells', 'west', 'wood', 'bishop', 'carpenter', 'fisher', 'gardner', 'hawk', 'sparks', 'battle', 'boone', 'bloom', 'wise', 'noble', 'strong', 'booker', 'chambers', 'waters'];
const SYL = ['ze', 'mo', 'tav', 'ri', 'lun', 'ob', 'ek', 'sa', 'dri', 'vel', 'qua', 'nis', 'hol', 'fy', 'ar', 'tem', 'ji', 'ko', 'pra', 'wu'];

function invented(): string {
  return Array.from({ length: chance(0.55) ? 2 : 3 }, () => pick(SYL)).join('');
}
function given(): string {
  const r = rnd();
  return r < 0.34 ? pick(RARE_GIVEN) : r < 0.56 ? pick(COMMON_GIVEN) : r < 0.64 ? pick(NICKNAMES) : r < 0.9 ? pick(WORD_GIVEN) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.62 ? pick(FAMILY) : r < 0.9 ? pick(WORD_FAMILY) : invented();
}
/** A person as named in a request: a given name alone, or given and family. */
function person(pFull = 0.4): string {
  return chance(pFull) ? `${given()} ${family()}` : given();
}
const N = (s: string): Piece => ['NAME', s];
/** A possessive name: the "'s" (or the "s" a recogniser writes) is inside the span, as slurp-devel. */
const poss = (s: string): Piece => ['NAME', chance(0.75) ? `${s}'s` : `${s}s`];

const TITLES = ['doctor', 'dr', 'mister', 'mr', 'missus', 'mrs', 'ms', 'miss', 'professor', 'coach', 'pastor', 'father', 'sister', 'officer', 'nurse', 'judge', 'rabbi', 'imam'];
const RELATIONS = ['my mom', 'my dad', 'my stepdad', 'my grandma', 'my grandpa', 'my sister', 'my brother', 'my wife', 'my husband', 'my son', 'my daughter', 'my niece', 'my nephew', 'my aunt', 'my uncle', 'my cousin', 'my neighbor', 'my friend', 'my coworker', 'my boss', 'my tutor', 'my sponsor', 'my caseworker', 'my landlord', 'my ex'];
const BARE_RELATIONS = ['mom', 'dad', 'mama', 'papa', 'grandma', 'grandpa', 'granny', 'nana', 'auntie', 'hubby', 'the wife', 'the kids', 'my sister', 'my brother', 'my boss', 'my landlord', 'my therapist', 'my doctor', 'my dentist', 'my son', 'my daughter', 'babe', 'honey'];
const CELEBRITIES = ['meryl streep', 'denzel washington', 'lebron james', 'simone biles', 'stephen king', 'jane goodall', 'lin manuel miranda', 'michelle obama', 'greta thunberg', 'jeff bezos', 'frida kahlo', 'nelson mandela', 'marie curie', 'abraham lincoln', 'princess diana', 'wayne gretzky', 'usain bolt', 'naomi osaka', 'shah rukh khan', 'priyanka chopra', 'jackie chan', 'dwayne johnson', 'cristiano ronaldo', 'tom brady', 'kamala harris', 'pope francis', 'king charles', 'mr rogers', 'bob ross', 'amelia earhart', 'rosa parks', 'harriet tubman'];

// --- words that stand where a name could, and are no one's PHI ------------------------------------

const ARTISTS = ['billy joel', 'elton john', 'stevie wonder', 'aretha franklin', 'johnny cash', 'bob marley', 'frank sinatra', 'ella fitzgerald', 'nina simone', 'louis armstrong', 'whitney houston', 'harry styles', 'olivia rodrigo', 'billie eilish', 'post malone', 'ariana grande', 'lady gaga', 'kendrick lamar', 'luke combs', 'morgan wallen', 'carrie underwood', 'john legend', 'norah jones', 'miles davis', 'john coltrane', 'chopin', 'mozart', 'beethoven', 'bach', 'will smith', 'grant green', 'ray charles', 'rosalia', 'selena', 'drake', 'sza', 'hozier', 'lizzo', 'prince', 'willie nelson'];
const SONGS = ['hotel california', 'roxanne', 'jolene', 'piano man', 'rocket man', 'sweet home alabama', 'johnny b goode', 'daniel', 'cecilia', 'mr brightside', 'penny lane', 'eleanor rigby', 'dear prudence', 'bennie and the jets', "jessie's girl", 'jack and diane', 'billie jean', 'valerie', 'ruby tuesday', 'sweet baby james', 'norwegian wood', 'hey soul sister', 'candle in the wind', 'stand by me', 'purple rain', 'wild horses', 'fast car', 'my girl', 'lean on me', 'rich girl', 'amazing grace', 'will the circle be unbroken', 'bad moon rising', 'layla'];
const APPS = ['venmo', 'duolingo', 'waze', 'whatsapp', 'shazam', 'zillow', 'hinge', 'bumble', 'calm', 'headspace', 'strava', 'peloton', 'robinhood', 'kindle', 'audible', 'life three sixty', 'nextdoor', 'the ring app', 'mychart', 'google maps', 'slack', 'zoom', 'teams', 'paypal', 'cash app', 'tiktok', 'pinterest', 'reddit'];
const SERVICES = ['spotify', 'pandora', 'apple music', 'youtube music', 'amazon music', 'sirius'];
const BUSINESSES = ["wendy's", 'ruby tuesday', "dick's sporting goods", "papa murphy's", "mrs fields", 'little caesars', 'jack in the box', "carl's jr", "marie callender's", "bojangles", "casey's", "hardee's", "denny's", "mcdonald's", "trader joe's", "kohl's", "macy's", "lowe's", "dillard's", "sam's club", 'tj maxx', 'marriott', 'hilton', 'hertz', 'walgreens', 'rite aid', 'cvs', 'kroger', 'safeway', 'target', 'costco', 'home depot', 'best buy', 'verizon', 't mobile', 'comcast', 'xfinity', 'geico', 'state farm', 'wells fargo', 'chase', 'bank of america', 'delta', 'southwest', 'amazon', 'apple', 'dell', 'ups', 'fedex', 'jimmy john\'s', 'auntie anne\'s', "chuck e cheese", 'tim hortons', 'dave and busters', 'ben franklin crafts', 'ace hardware', 'goodwill', 'planet fitness'];
const SUPPORT = ['support', 'customer service', 'customer support', 'billing', 'the help desk', 'returns', 'tech support'];
const PRODUCTS = ["ben and jerry's", "newman's own salsa", 'jimmy dean sausage', 'betty crocker frosting', "mrs butterworth's syrup", "uncle ben's rice", "sweet baby ray's sauce", "hershey's kisses", "nathan's hot dogs", "amy's burritos", "annie's bunnies", "kellogg's corn flakes", 'baby ruth bars', 'oreos', 'cheerios', 'clorox wipes', 'tide', 'kleenex', 'q tips', 'chapstick', 'band aids', 'tylenol', 'advil'];
const FOODS = ['caesar salad', 'a reuben sandwich', 'granny smith apples', 'eggs benedict', 'earl grey tea', 'beef wellington', 'a shirley temple', 'oysters rockefeller', 'peach melba', 'chicken marsala', 'sloppy joes', 'tom yum soup', 'pad thai', 'french toast', 'a philly cheesesteak', 'bloody mary mix', 'a tom collins', 'mac and cheese', 'graham crackers', 'ruby red grapefruit juice', 'margherita pizza', 'fettuccine alfredo', 'salisbury steak', 'a cobb salad', 'bananas foster', 'rose wine', 'sage sausage', 'basil pesto', 'clementines', 'madeleines'];
/** Podcasts; a host's name in a title is a person's, as slurp-devel labels "duncan trussel's latest podcast". */
const PODCASTS: Piece[][] = [['the ', N('joe rogan'), ' experience'], ['armchair expert'], ['call her daddy'], ['smartless'], ['the ', N('ezra klein'), ' show'], [N('conan'), ' needs a friend'], ['dateline'], ['the ', N('bill simmons'), ' podcast'], [N('huberman'), ' lab'], ['the ', N('tim ferriss'), ' show'], ['freakonomics'], ['radiolab'], ['fresh air'], ['lore'], [N('dan carlin'), ' hardcore history']];
const TEAMS = ['the bulls', 'the raiders', 'the steelers', 'the dodgers', 'the astros', 'the nuggets', 'the bucks', 'the broncos', 'the eagles', 'the jets', 'the kings', 'the sparks', 'the storm', 'the mercury', 'the chargers', 'the rockies', 'the twins', 'the bruins', 'the avalanche', 'the lightning'];
const HOLIDAYS = ['martin luther king day', 'presidents day', "saint patrick's day", 'columbus day', "valentine's day", 'juneteenth', "mother's day", 'labor day', 'cinco de mayo', 'diwali', 'lunar new year', 'hanukkah', 'ramadan'];
const GENERIC_PLACES = ['the pharmacy', 'the dentist', 'the vet', 'the school', 'the front desk', 'the clinic', 'the landlord', 'the plumber', 'the babysitter', 'the office', 'the pediatrician', 'poison control', 'the after hours line', 'the nurse line', 'the insurance company', 'the bank', 'the electric company', 'the cable company', 'roadside assistance', 'the daycare', 'the home health agency', 'my pharmacy', 'my doctors office'];
/** Streets, parks and towns named after people or words that are names: LOCATION, unscored. */
const STREETS = ['jackson street', 'lincoln avenue', 'martin luther king boulevard', 'grant avenue', 'rose street', 'young street', 'hope street', 'washington boulevard', 'cesar chavez avenue', 'madison avenue', 'jefferson road', 'franklin street', 'lafayette square', 'sherman way', 'garfield park', 'hamilton place', 'victoria drive', 'kennedy expressway', 'roosevelt road', 'marshall lane', 'will rogers state beach', 'james madison university', 'lake louise', 'mount rainier', 'port charlotte', 'fort myers', 'st louis', 'san jose', 'santa monica', 'rosa parks boulevard'];
const TOWNS = ['eugene', 'lawrence', 'logan', 'beatrice', 'elgin', 'chester', 'lowell', 'marietta', 'loveland', 'st george', 'carson', 'bismarck', 'helena', 'juneau', 'pierre', 'jackson', 'tyler', 'austin', 'florence', 'charlotte', 'hope', 'young harris', 'grant', 'may', 'marion', 'maxwell', 'chandler', 'gilbert', 'ogden', 'laramie', 'sedona', 'taos', 'hilo', 'boulder', 'ithaca'];
const DOMAINS = ['gmail dot com', 'yahoo dot com', 'outlook dot com', 'hotmail dot com', 'icloud dot com', 'aol dot com', 'proton dot me', 'att dot net', 'verizon dot net', 'mac dot com', 'msn dot com', 'live dot com'];
const ORG_DOMAINS = ['riverbend health dot org', 'lakeside clinic dot com', 'county schools dot edu', 'acme roofing dot com', 'northfield law dot com'];

// --- dates, times and numbers (unscored) -----------------------------------------------------------

const WHEN = ['tomorrow', 'tonight', 'today', 'this evening', 'next tuesday', 'on friday', 'at nine am', 'at half past two', 'on the third', 'in twenty minutes', 'after lunch', 'this sunday', 'next month', 'on june fifth', 'at quarter to six', 'every other monday', 'first thing tomorrow'];
const when = (): Piece => ['DATE', pick(WHEN), false];
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
function spokenPhone(): Piece {
  const d = (n: number) => Array.from({ length: n }, () => (chance(0.12) ? 'oh' : pick(DIGITS))).join(' ');
  return ['PHONE', chance(0.7) ? `${d(3)} ${d(3)} ${d(4)}` : `${d(3)} ${d(4)}`, false];
}
const DOBS = ['march third nineteen eighty', 'the twelfth of october sixty two', 'one one nineteen seventy five', 'july fourth two thousand one', 'december twenty first fifty eight', 'april ninth ninety', 'oh six oh two eighty four'];
const dob = (): Piece => ['DATE', pick(DOBS), false];

/** An e-mail address said aloud, built from a person's name parts. */
function spokenEmail(first: string, last: string): string {
  const f = first.replace(/ /g, '');
  const l = last.replace(/ /g, '');
  const num = () => pick(['seventy seven', 'twenty one', 'one two three', 'eighty five', 'two thousand', 'four', 'ninety nine']);
  const user = pick([
    () => `${f} dot ${l}`,
    () => `${f}${l}`,
    () => `${f[0]} ${l}`,
    () => `${f} underscore ${l}`,
    () => `${f} ${num()}`,
    () => `${l} ${f[0]}`,
    () => `${f} dot ${l} ${num()}`,
    () => `${f[0]} dot ${l}`,
  ])();
  if (chance(0.1)) return `${user.replace(/ dot /g, '.').replace(/ underscore /g, '_').replace(/ /g, '')}@${pick(DOMAINS).replace(' dot ', '.')}`;
  return `${user} at ${pick(DOMAINS)}`;
}
function email(): Piece {
  const f = chance(0.5) ? given() : pick([...RARE_GIVEN, ...COMMON_GIVEN]);
  return ['EMAIL', spokenEmail(f, family())];
}

// --- requests with a person ------------------------------------------------------------------------

type Template = () => Piece[];
const TAILS = ['', '', '', ' please', ' on speaker', ' on her cell', ' on his mobile', ' at home', ' right now', ' for me'];
const MESSAGES = ["i'm stuck in traffic", 'the door code is changed', 'dinner at seven', 'bring the charger', 'happy anniversary', 'call me when you land', 'the package came', 'practice is cancelled', "i'll be ten minutes late", 'thanks for the ride'];

const withPerson: Template[] = [
  () => [pick(['call ', 'please call ', 'can you call ', 'ring ', 'dial ', 'facetime ', 'video call ', 'call up ', 'phone ', 'get me ']), N(person()), pick(TAILS)],
  () => [pick(['text ', 'send a text to ', 'message ', 'send a message to ', 'whatsapp ', 'shoot a text to ', 'reply to ']), N(person()), pick([' saying ', ' that ', ' ', ' and say ', ' and tell her ', ' and tell him ']), pick(MESSAGES)],
  () => [pick(['email ', 'send an email to ', 'write an email to ', 'draft an email to ', 'forward this to ', 'send this to ', 'cc ']), N(person()), pick(['', '', ' about the budget', ' about the lease', ' with the photos', ' and ask about the report']), ...(chance(0.3) ? [' ', when()] : [])],
  () => [pick(['remind me to ask ', 'remind me to call ', 'remind me to text ', 'remind me to thank ', 'remind me to pay back ', 'remind me to pick up ', 'set a reminder to email ', 'remind me to wish ']), N(person()), pick([' ', ' about the keys ', ' happy birthday ', ' ']), when()],
  () => [pick(['set up a meeting with ', 'schedule a call with ', 'book lunch with ', 'add a meeting with ', 'put coffee with ', 'schedule dinner with ', 'cancel my meeting with ', 'move my call with ']), N(person()), ...(chance(0.35) ? [pick([' and ', ' and also ']), N(given())] : []), ' ', when()],
  () => [pick(['did ', 'has ', 'when did ', 'why did ', 'what did ']), N(person()), pick([' reply', ' call me back', ' email me', ' text me', ' say about dinner', ' send the invoice', ' answer my message', ' leave a voicemail'])],
  () => [pick(['read my messages from ', 'any new emails from ', 'check texts from ', 'show me emails from ', 'play the voicemail from ', 'open the last email from ', 'do i have anything from ', 'find the message from ']), N(person())],
  () => [pick(["what's ", 'what is ', 'give me ', 'look up ', 'find ', 'read me ']), poss(person()), pick([' number', ' phone number', ' email', ' email address', ' home address', ' work number', ' cell'])],
  () => [pick(['when is ', 'add ', "what's on ", 'remind me about ', 'what time is ']), poss(person(0.3)), pick([' birthday', ' party', ' graduation', ' flight', ' calendar', ' recital', ' retirement dinner'])],
  () => [pick(['add ', 'save ']), N(person(0.6)), pick([' to my contacts', ' as a new contact', ' to the group chat'])],
  () => [pick(['create a contact for ', 'update the contact for ', 'delete the contact ', 'block ', 'unblock ']), N(person(0.6)), pick(['', ' in my phone'])],
  () => [pick(['call ', 'text ', 'email ', 'remind me to call ', 'message ']), pick(RELATIONS), ' ', N(given()), pick(['', '', ' about sunday', ' back'])],
  () => [pick(['call ', 'text ', 'email ', 'book an appointment with ', 'is ', 'message ', 'remind me to see ']), pick(TITLES), ' ', N(chance(0.65) ? family() : given()), pick(['', '', ' tomorrow', ' about my results'])],
  () => [pick(['is ', 'when is ']), pick(TITLES), ' ', N(chance(0.65) ? family() : given()), pick([' in today', ' back from vacation', ' available on friday'])],
  // A family name alone in the slot: "email okonkwo about the contract".
  () => [pick(['email ', 'call ', 'text ', 'ask ', 'loop in ']), N(family()), pick([' about the contract', ' about the schedule', '', ' when he lands', ' for the numbers'])],
  () => [pick(['tell ', 'ask ']), N(person(0.3)), pick([' i will be late', ' if she needs a ride', ' to call me', ' whether he got the tickets']), ...(chance(0.5) ? [' ', when()] : [])],
  () => ['let ', N(person(0.3)), pick([' know we are leaving', ' know i will be late', ' know the game moved']), ...(chance(0.5) ? [' ', when()] : [])],
  () => ['share ', pick(['my location ', 'the photos ', 'this playlist ', 'the shopping list ', 'my eta ']), 'with ', N(person()), ...(chance(0.3) ? [' and ', N(given())] : [])],
  () => [pick(["i'm meeting ", 'going to see ', 'having lunch with ', 'picking up ']), N(person()), pick([' at ', ' near ', ' by ']), ['ORGANIZATION', pick(BUSINESSES), false], ' ', when()],
  () => [pick(['how old is ', 'who is ', 'when was ', 'where was ', 'tell me about ', 'is ']), N(pick(CELEBRITIES)), pick(['', '', ' still alive', ' married'])],
  () => [pick(['make a reservation for two under ', 'book a table for four under ', 'the order is under ', 'put it under the name ']), N(person(0.4))],
  () => [pick(['invite ', 'share the folder with ', 'send the invite to ', 'add ']), email(), pick(['', ' to the calendar event', ' as an editor'])],
  () => [pick(['send an email to ', 'email ', 'the address is ', 'add the email ', 'cc ', 'forward it to ']), email(), ...(chance(0.3) ? [pick([' for ', ' that is ', ' and call it ']), N(person())] : [])],
  () => [pick(['send the video to ', 'share this with ', 'send this picture to ', 'forward the link to ']), N(given()), pick(['', '', ' too', ' now'])],
  () => [pick(RELATIONS), ' ', N(given()), pick([' wants to know ', ' asked me ', ' said ']), pick(['when the game starts', 'if we need eggs', 'where the keys are', 'what time dinner is'])],
  () => [pick(['call ', 'text ', 'email ']), poss(given()), pick([' mom', ' dad', ' husband', ' wife', ' school', ' office', ' babysitter'])],
];

// --- greetings, introductions and call-center turns -------------------------------------------------

const CLINICS = ['riverbend family clinic', 'lakeside orthopedics', 'saint brigid medical group', 'northgate pharmacy', 'the heart center', 'valley pediatrics', 'sunrise dental', 'blue harbor health plan'];
const greetings: Template[] = [
  () => [pick(['hello is this ', 'hi is this ', 'yes hello is this ', 'hey is this ', 'good morning is this ', 'hello am i speaking with ', 'hi am i speaking to ']), N(person(0.55)), pick(['', '', ' speaking', ' i am returning a call', ' this is about your prescription'])],
  () => {
    const whom: Piece[] = pick([() => [N(person(0.5))], () => [pick(['my mother ', 'my father ', 'my son ', 'my wife ']), N(given())], (): Piece[] => ['the refill']])();
    return [pick(["hi it's ", "hey it's ", "hello it's ", 'hi this is ', 'yes this is ', 'good afternoon this is ']), N(person(0.45)), pick([' calling for ', ' calling about ']), ...whom];
  },
  () => [pick(['hi ', 'hey ', 'hello ', 'morning ']), N(given()), pick([" it's ", ' this is ', ' its ']), N(given()), pick(['', ' from work', ' from next door', ' from the gym', ' calling back'])],
  () => [pick(['my name is ', "my name's ", "hi my name is ", 'the name is ', 'this is ', 'i am ']), N(person(0.7)), pick(['', '', ' and i have a question about my bill', ' calling from ' + pick(CLINICS), ' i had an appointment last week'])],
  () => [pick(["you're speaking with ", 'you are speaking with ', 'thank you for calling this is ', 'thanks for calling my name is ', "hi you've reached "]), N(given()), pick([' how can i help you', ' how may i help', ' what can i do for you today', ''])],
  () => [pick(['hi this is ', 'hello this is ']), N(given()), ' from ', ['ORGANIZATION', pick(CLINICS), false], pick([' calling for ', ' may i speak with ', ' looking for ']), N(person(0.6))],
  () => [pick(['the patient is ', "the patient's name is ", "it's for my mother ", "it's for my husband ", 'the appointment is under ', 'the account is under ', "i'm calling on behalf of "]), N(person(0.75)), ...(chance(0.35) ? [pick([' date of birth ', ' born ']), dob()] : [])],
  () => {
    const last = pick(FAMILY);
    const spelled = [...last].join(' ');
    return [pick(['last name ', 'my last name is ', "it's ", 'the last name is ']), N(last), pick([' spelled ', ' that is ', ' ']), N(spelled)];
  },
  () => [pick(['send the form to ', 'email the records to ', 'you can send it to ', 'the portal said to write to ']), ['EMAIL', `${pick(['billing', 'records', 'frontdesk', 'scheduling', 'info'])} at ${pick(ORG_DOMAINS)}`]],
  () => [pick(['my email is ', 'you can email me at ', 'the best email is ', 'send it to ', 'my work email is ', 'email address is ']), email(), pick(['', '', ' thank you', ' all lower case'])],
  () => [pick(['can i speak to ', 'could you put me through to ', 'is ', 'may i talk to ', "i'm trying to reach "]), N(person(0.5)), pick(['', ' please', ' there', ' in the office', ' in billing'])],
  () => [pick(['my doctor is ', 'i see ', 'the referral is from ', 'my primary care is ', 'i was seen by ']), pick(['doctor ', 'dr ', 'nurse practitioner ']), N(chance(0.7) ? family() : person(0.5))],
  () => [pick(['my callback number is ', 'you can reach me at ', 'call me back at ']), spokenPhone(), ...(chance(0.4) ? [pick([' ask for ', ' and ask for ']), N(given())] : [])],
  () => [pick(['and who am i speaking with', 'can i get your full name', 'what is the name on the account', 'and your date of birth', 'can you spell that for me', 'is there anything else i can help with', 'one moment while i pull that up', 'thank you for your patience', 'let me transfer you to billing', 'could you verify the address on file'])],
  () => [pick(['hello is this the pharmacy', 'hi is this the front desk', 'hello is this the billing department', 'hi is this the after hours line', 'hi is this the right number for scheduling', 'hello am i speaking with a person', "hi it's me again", 'hi this is your neighbor from upstairs', 'hello this is the doctors office calling'])],
  () => [pick(['hello is this ', 'hi is this ', 'yes hi this is ']), ['ORGANIZATION', pick(['walgreens', 'cvs', 'rite aid', ...CLINICS]), false], pick(['', ' i need a refill', ' i am calling about my order'])],
];

// --- requests without a person ------------------------------------------------------------------------

const withoutPerson: Template[] = [
  () => [pick(['call ', 'text ', 'email ', 'message ', 'facetime ', 'remind me to call ']), pick(BARE_RELATIONS), pick(['', '', ' back', ' on speaker', ' and say goodnight'])],
  () => [pick(['call ', 'find the number for ', 'text ', 'get me ', 'dial ']), pick(GENERIC_PLACES), pick(['', '', ' please', ' and ask about my refill', ' when it opens'])],
  () => [pick(['email ', 'call ', 'contact ', 'message ', 'chat with ']), ['ORGANIZATION', pick(BUSINESSES), false], ' ', pick(SUPPORT.filter((w) => !w.startsWith('the '))), pick(['', ' about my order', ' about the refund'])],
  () => [pick(['call ', 'find ', 'directions to the nearest ', 'is ', 'when does ', 'how late is ']), ['ORGANIZATION', pick(BUSINESSES), false], pick(['', ' open', ' open today', ' close tonight', ' near me'])],
  () => [pick(['play ', 'play some ', 'put on ', 'shuffle ', 'i want to hear ', 'play the latest album by ', 'play something by ']), pick(ARTISTS), pick(['', '', ' on ' + pick(SERVICES), ' in the living room', ' please'])],
  () => [pick(['play ', 'play the song ', 'put on ', 'who sings ', 'add ', 'skip ']), pick(SONGS), pick(['', '', ' by ' + pick(ARTISTS), ' again'])],
  () => [pick(['open ', 'launch ', 'start ', 'close ', 'update ', 'delete ']), pick(APPS), pick(['', '', ' and check my balance', ' on my phone'])],
  () => [pick(['order ', 'buy ', 'i need ', 'we are out of ']), pick([...PRODUCTS, ...FOODS]), ...(chance(0.5) ? [] : [pick([' from instacart', ' from amazon', ' for the party'])])],
  () => [pick(['add ', 'put ']), pick([...PRODUCTS, ...FOODS]), pick([' to the shopping list', ' on the list', ' to my cart'])],
  () => [pick(['find a recipe for ', 'what goes with ', 'how many calories in ', 'how do you pronounce ']), pick(FOODS)],
  () => [pick(['play the latest episode of ', 'resume ', 'subscribe to ', 'download ']), ...pick(PODCASTS)],
  () => [pick(['navigate to ', 'take me to ', 'directions to ', 'how far is ', 'what is traffic like on ', 'find parking near ']), ['LOCATION', pick(STREETS), false]],
  () => [pick(["what's the weather in ", 'will it rain in ', 'how cold is it in ', 'book a hotel in ', 'flights to ', 'what time is it in ']), ['LOCATION', pick(TOWNS), false], ...(chance(0.4) ? [' ', when()] : [])],
  () => ['did ', pick(TEAMS), pick([' win', ' win last night', ' lose again'])],
  () => ['when do ', pick(TEAMS), pick([' play next', ' play at home'])],
  () => [pick(['what was the score of ', 'who won ']), pick(TEAMS), pick([' game', ' game last night'])],
  () => [pick(['when is ', 'how many days until ', 'is the bank open on ', 'remind me about ']), pick(HOLIDAYS)],
  // Common words that are names elsewhere, in their plain sense.
  () => [pick(['will it rain ', 'will it snow ', 'will i need an umbrella ', 'will the store be open ']), when()],
  () => [pick(['pay the electric bill', 'remind me to pay the water bill', 'split the bill', 'what is my phone bill']), ...(chance(0.5) ? [' ', when()] : [])],
  () => [pick(['i hope it is sunny ', 'i hope the flight is on time', 'hope you are doing well', 'grant access to the camera', 'grant permission to the app', 'mark all as read', 'mark this email as spam', 'buy a dozen roses', 'order red roses for delivery', 'how many miles to the coast', 'turn the fan to max', 'dim the lights in the den', 'find young adult books', 'play rain sounds', 'set a timer for the turkey', 'what does frank mean', 'define the word earnest', 'what rhymes with grace', 'spell precious', 'is it going to storm', 'how do you say joy in spanish', 'what is a rocky road', 'add ginger to the list', 'put the rose bush on the calendar', 'turn on sunny mode', 'what is the dawn chorus'])],
  () => [pick(['remind me ', 'wake me up ', 'what is on my calendar ']), when()],
  () => [pick(['turn off the lights', 'lock the front door', 'what is on my calendar', 'read my new messages', 'any missed calls', 'turn up the volume', 'stop', 'what is the news', 'start a workout', 'call the last number', 'redial', 'check my voicemail', 'who called me', 'send a thumbs up', 'cancel that'])],
  () => [pick(['order from ', 'reorder from ', 'get a gift card for ', 'find coupons for ', 'how much is shipping from ']), ['ORGANIZATION', pick(BUSINESSES), false], ...(chance(0.3) ? [' ', when()] : [])],
];

function request(i: number): Doc {
  const r = rnd();
  const isCall = r >= 0.36 && r < 0.58;
  const pieces = (r < 0.36 ? pick(withPerson) : isCall ? pick(greetings) : pick(withoutPerson))();
  if (!isCall && chance(0.1)) pieces.unshift(pick(['alexa ', 'hey google ', 'ok google ', 'siri ', 'hey assistant ', 'um ', 'uh ']));
  return build(`spd-${String(i).padStart(4, '0')}`, pieces);
}

const docs: Doc[] = Array.from({ length: 720 }, (_, i) => request(i + 1));
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/spoken-requests-d.jsonl');
writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
const count = (label: string, lockbox: boolean) =>
  docs.filter((d) => isLockbox(d.id) === lockbox).reduce((n, d) => n + d.spans.filter((s) => s.label === label && s.scored !== false).length, 0);
process.stdout.write(
  `wrote ${docs.length} utterances (lockbox ${docs.filter((d) => isLockbox(d.id)).length}): ` +
    `NAME dev ${count('NAME', false)} lockbox ${count('NAME', true)}, EMAIL dev ${count('EMAIL', false)} lockbox ${count('EMAIL', true)} to ${out}\n`,
);
