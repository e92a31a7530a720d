/**
 * `npm run data:spoken-c` (R-DATA-2): writes server/src/modules/redaction/data/spoken-requests-c.jsonl,
 * a third spoken development set of voice-assistant requests, written apart from the engine (its rules
 * and lexicons) and from the first spoken set's generator, so that it measures how the engine does on
 * requests it was not written against. Deterministic: the same seed writes the same bytes; formats and
 * labels as ../shared/data/phi/README.md; the lockbox split is the same hash of the id (`isLockbox`).
 *
 * What it holds, in lower case as speech recognisers write it:
 * - calls, texts, e-mails, reminders, calendar entries and greetings with person names of many origins
 *   (Yoruba, Igbo, Akan, Amharic, Persian, Punjabi, Tamil, Vietnamese, Korean, Polish, Irish, Welsh,
 *   Maori, Hawaiian, Navajo family names...), names that are also words ("hope", "will", "summer",
 *   "rivers", "banks"), invented names, relations with and without a name ("my mom", "my sister adaeze");
 * - e-mail addresses said aloud ("tunde dot okafor at gmail dot com") and phone numbers in words;
 * - requests full of words that are no one's PHI: towns that are also given names ("charlotte",
 *   "austin", "tyler"), businesses and brands named after people ("trader joe's", "wendy's", "jimmy dean
 *   sausage"), bands, songs with names in their titles ("jolene", "sweet caroline"), podcasts, teams.
 *
 * Labels: person names NAME (celebrities asked about too, as slurp-devel does, but not an artist in a
 * request to play music: slurp-devel leaves "play some david bowie" unlabeled), e-mails EMAIL,
 * phone numbers PHONE; dates and times of a request `"scored": false` (as slurp-devel). Places, businesses,
 * brands, bands, songs and teams carry NO span: a request's weather town or coffee shop is no one's PHI,
 * and a held-out set that scores names and e-mails counts masking them against precision, so this set does
 * too (slurp-devel marks them neutral instead, which hides that error).
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, prng, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(4242);
const { pick, chance } = draws(rnd);

// --- people ---------------------------------------------------------------------------------------

const GIVEN = ['oluwaseun', 'chinonso', 'adaeze', 'folake', 'tunde', 'nkechi', 'kwame', 'abena', 'efua', 'yaw', 'thandiwe', 'sipho', 'zanele', 'meseret', 'abebe', 'tigist', 'hamza', 'yousef', 'khadija', 'samira', 'rashid', 'nasrin', 'dariush', 'parisa', 'arash', 'priyanka', 'venkatesh', 'lakshmi', 'harpreet', 'gurpreet', 'anjali', 'siddharth', 'kavitha', 'murugan', 'minh', 'linh', 'thao', 'huong', 'quang', 'xiaoling', 'meiling', 'haruto', 'kenta', 'jisoo', 'minjun', 'dmitri', 'oksana', 'bogdan', 'katarzyna', 'wojciech', 'agnieszka', 'zoltan', 'siobhan', 'niamh', 'ciaran', 'aoife', 'padraig', 'rhys', 'cerys', 'bronwen', 'mateo', 'ximena', 'joaquin', 'thiago', 'luana', 'joao', 'beatriz', 'anouk', 'joris', 'astrid', 'leif', 'tane', 'aroha', 'kalani', 'keoni', 'leilani', 'ayesha', 'bilal', 'zainab', 'layla', 'ravi', 'amir', 'jo', 'kai', 'nadia', 'ingrid'];
const COMMON_GIVEN = ['john', 'mary', 'mike', 'sarah', 'dave', 'jen', 'chris', 'kate', 'tom', 'lisa', 'steve', 'amanda', 'brian', 'megan', 'kevin', 'nicole', 'carlos', 'maria'];
const WORD_GIVEN = ['hope', 'grace', 'faith', 'joy', 'rose', 'lily', 'ivy', 'dawn', 'summer', 'autumn', 'april', 'june', 'sky', 'river', 'will', 'bill', 'mark', 'jack', 'frank', 'art', 'rich', 'ray', 'drew', 'pat', 'sue', 'gene', 'chase', 'hunter', 'penny', 'ruby', 'amber', 'sandy', 'rusty', 'chip', 'cash', 'angel', 'destiny', 'melody', 'sunny', 'ginger', 'olive', 'hazel', 'sage', 'glen', 'dale', 'cliff', 'miles', 'lance', 'guy', 'sterling', 'royal', 'honor', 'bliss', 'sonny'];
const FAMILY = ['nguyen', 'tran', 'pham', 'okafor', 'adeyemi', 'mensah', 'boateng', 'kariuki', 'wanjiru', 'haile', 'tesfaye', 'haddad', 'khoury', 'nasser', 'rahimi', 'tehrani', 'patel', 'reddy', 'iyer', 'chatterjee', 'sandhu', 'grewal', 'zhang', 'huang', 'zhao', 'tanaka', 'watanabe', 'kobayashi', 'kim', 'choi', 'petrov', 'kowalczyk', 'nowak', 'wisniewski', 'horvath', 'oconnell', 'mcgrath', 'kavanagh', 'pryce', 'fernandes', 'oliveira', 'castillo', 'mendoza', 'alvarez', 'delgado', 'rossi', 'bianchi', 'jansen', 'johansson', 'halvorsen', 'ngata', 'kahananui', 'begay', 'yazzie', 'tsosie', 'abdi', 'warsame', 'hussein', 'ogunleye', 'eze', 'amoah', 'kebede', 'mirzaei', 'sharma', 'subramanian', 'vo', 'dang', 'lim', 'szymanski', 'doherty', 'llewellyn'];
const WORD_FAMILY = ['rivers', 'banks', 'young', 'hope', 'wolf', 'fox', 'stone', 'hill', 'wood', 'baker', 'cook', 'mason', 'price', 'church', 'bell', 'rice', 'frost', 'day', 'love', 'king', 'long', 'sharp', 'gold', 'bird', 'lamb', 'crane', 'swan', 'field', 'lane', 'marsh', 'brook', 'summers', 'winter', 'snow', 'sparrow', 'woods', 'black', 'white', 'green', 'rich'];
const SYL = ['ta', 'vo', 'ri', 'len', 'mar', 'qui', 'zo', 'bek', 'ash', 'nor', 'del', 'fi', 'sun', 'ka', 'wen', 'dro', 'il', 'ope', 'yan', 'tu'];
const CELEBRITIES = ['adele', 'taylor swift', 'ed sheeran', 'dolly parton', 'willie nelson', 'burna boy', 'bad bunny', 'arijit singh', 'fela kuti', 'miriam makeba', 'celine dion', 'shakira', 'angelique kidjo', 'yo yo ma', 'keanu reeves', 'viola davis', 'serena williams', 'lionel messi', 'oprah winfrey', 'barack obama', 'malala yousafzai', 'neil degrasse tyson', 'chimamanda adichie', 'haruki murakami'];

function invented(): string {
  return Array.from({ length: chance(0.5) ? 2 : 3 }, () => pick(SYL)).join('');
}
function given(): string {
  const r = rnd();
  return r < 0.45 ? pick(GIVEN) : r < 0.6 ? pick(COMMON_GIVEN) : r < 0.88 ? pick(WORD_GIVEN) : invented();
}
function family(): string {
  const r = rnd();
  return r < 0.6 ? pick(FAMILY) : r < 0.88 ? pick(WORD_FAMILY) : invented();
}
/** A name as said in a request: a given name alone, or given and family. */
function person(pFull = 0.45): string {
  return chance(pFull) ? `${given()} ${family()}` : given();
}
const N = (s: string): Piece => ['NAME', s];
const poss = (s: string): Piece[] => (chance(0.85) ? [N(s), "'s"] : [N(s), 's']);

const RELATIONS = ['mom', 'dad', 'mum', 'grandma', 'grandpa', 'nana', 'my sister', 'my brother', 'my wife', 'my husband', 'my son', 'my daughter', 'my boss', 'my aunt', 'my uncle', 'my cousin', 'my neighbor', 'my landlord', 'my babysitter', 'my coach', 'my partner', 'my roommate'];
const TITLES = ['doctor', 'dr', 'mister', 'mr', 'mrs', 'miss', 'ms', 'aunt', 'uncle', 'auntie', 'professor', 'coach', 'pastor', 'nurse'];

// --- words that are no one's PHI ------------------------------------------------------------------

const TOWNS = ['charlotte', 'austin', 'jackson', 'florence', 'savannah', 'madison', 'eugene', 'tyler', 'victoria', 'regina', 'marion', 'lafayette', 'troy', 'denver', 'phoenix', 'orlando', 'lincoln', 'dallas', 'houston', 'chelsea', 'sydney', 'paris', 'adelaide', 'hamilton', 'wellington', 'nelson', 'kingston', 'lagos', 'nairobi', 'hanoi', 'da nang', 'osaka', 'busan', 'krakow', 'porto', 'lisbon', 'bogota', 'quito', 'cusco', 'reykjavik', 'marrakech', 'ottawa', 'boise', 'tucson', 'fresno', 'spokane', 'duluth', 'macon', 'augusta', 'raleigh', 'durham', 'camden', 'warren', 'clifton', 'irving', 'carson city', 'jasper', 'sherman', 'shelby', 'vernon', 'marshall', 'beverly hills', 'st paul', 'san antonio', 'santa clara', 'mount vernon', 'fort collins', 'palm springs', 'virginia beach', 'georgia', 'virginia', 'montana', 'dakota', 'alexandria', 'santa rosa', 'st augustine', 'el paso', 'la jolla', 'cape may', 'sierra vista'];
const SPOTS = ['the airport', 'the train station', 'downtown', 'the mall', 'the beach', 'the gym', 'work', 'home', 'the office', 'the stadium', 'the library', 'the zoo', 'the park'];
const BUSINESSES = ['starbucks', 'walgreens', 'cvs', 'target', 'costco', "trader joe's", 'whole foods', 'home depot', "lowe's", "macy's", "kohl's", "wendy's", "denny's", "arby's", "mcdonald's", 'chipotle', 'panera', "papa john's", "domino's", 'dunkin', 'chick fil a', "jimmy john's", "ben and jerry's", "dave and buster's", 'marshalls', 'tj maxx', 'best buy', 'ikea', 'aldi', 'kroger', 'safeway', 'publix', 'wegmans', 'meijer', 'hertz', 'enterprise', 'avis', 'jetblue', 'amtrak', 'greyhound', 'walmart', "victoria's secret", 'ruby tuesday', 'bob evans', "marie callender's", "carl's jr", "long john silver's", "auntie anne's", 'jack in the box', 'olive garden', "culver's", 'cracker barrel', 'tim hortons', 'krispy kreme', 'dairy queen', 'baskin robbins', "dillard's", 'jiffy lube', 'pep boys', 'state farm', 'wells fargo', 'chase bank', "applebee's", "chili's", 'texas roadhouse', 'panda express', 'little caesars', "raising cane's", 'whataburger', "zaxby's", 'popeyes', 'sonic'];
const SERVICES = ['uber', 'lyft', 'doordash', 'grubhub', 'instacart', 'amazon', 'netflix', 'hulu', 'spotify', 'pandora', 'audible', 'youtube', 'apple music', 'tidal', 'soundcloud'];
const PRODUCTS = ['paper towels', 'oat milk', 'ground coffee', 'almond butter', 'dish soap', 'tide pods', 'clorox wipes', 'colgate toothpaste', 'kraft mac and cheese', "hershey's chocolate", "mrs meyer's hand soap", "newman's own dressing", 'jimmy dean sausage', 'sara lee bread', 'betty crocker cake mix', 'little debbie snacks', 'orville redenbacher popcorn', 'chef boyardee ravioli', 'duncan hines brownie mix', 'dr pepper', 'mr clean spray', "dave's killer bread", "annie's mac and cheese", "campbell's soup", 'uncle sam cereal', 'land o lakes butter', 'ben and jerry ice cream', 'frank red hot sauce', 'johnson baby shampoo', 'old spice deodorant', 'bananas', 'eggs', 'rice', 'olive oil', 'batteries'];
const BANDS = ['the rolling stones', 'coldplay', 'imagine dragons', 'the killers', 'arctic monkeys', 'fleetwood mac', 'pink floyd', 'the black keys', 'the lumineers', 'mumford and sons', 'earth wind and fire', 'florence and the machine', 'marina and the diamonds', 'of monsters and men', 'the national', 'vampire weekend', 'bon iver', 'kings of leon', 'the smiths', 'the doors', 'the eagles', 'maroon five', 'twenty one pilots', 'daft punk', 'the beach boys', 'the grateful dead', 'little big town', 'alabama shakes', 'rascal flatts', 'matchbox twenty', 'tame impala', 'the war on drugs', 'sly and the family stone', 'kool and the gang', 'mary j blige'];
const SONGS = ['hey jude', 'sweet caroline', 'jolene', 'roxanne', 'layla', 'delilah', 'billie jean', 'mrs robinson', 'hotel california', 'bohemian rhapsody', 'wonderwall', 'brown eyed girl', 'proud mary', 'peggy sue', 'angie', 'gloria', 'rosanna', 'valerie', 'mandy', 'alison', 'uptown funk', 'shallow', 'africa', 'september', 'yesterday', 'hallelujah', 'come on eileen', 'hey there delilah', 'rhiannon', 'the boxer', 'amazing grace', 'summer of sixty nine', 'june bug'];
const GENRES = ['jazz', 'lo fi', 'country', 'afrobeats', 'k pop', 'classical', 'reggaeton', 'bluegrass', 'soul', 'hip hop', 'ambient', 'bossa nova', 'summer hits', 'workout music', 'rainy day music'];
const PODCASTS = ['the daily', 'radiolab', 'serial', 'this american life', 'freakonomics', 'planet money', 'stuff you should know', 'hidden brain', 'reply all', 'how i built this', 'the moth', "wait wait don't tell me", 'fresh air', 'car talk', 'up first', 'crime junkie', 'my favorite murder', 'song exploder', 'the dollop', 'science friday'];
const TEAMS = ['the lakers', 'the packers', 'the yankees', 'the red sox', 'the warriors', 'the chiefs', 'the celtics', 'the cowboys', 'manchester united', 'real madrid', 'the seahawks', 'the saints', 'the cardinals', 'the rangers', 'the giants', 'the royals', 'the mariners', 'the padres', 'the bills', 'the browns', 'the jazz', 'the magic', 'the thunder', 'the heat'];
const CUISINES = ['thai', 'ethiopian', 'korean barbecue', 'vegan', 'sushi', 'tacos', 'pho', 'pizza', 'indian', 'greek', 'soul food', 'ramen', 'dim sum', 'brunch'];
const DOMAINS = ['gmail dot com', 'yahoo dot com', 'hotmail dot com', 'outlook dot com', 'icloud dot com', 'aol dot com', 'proton mail dot com', 'comcast dot net', 'me dot com', 'live dot com'];

// --- times (no one's PHI in a request: neutral, as slurp-devel marks them) -------------------------

const WHEN = ['tomorrow', 'tonight', 'today', 'this afternoon', 'next friday', 'on monday', 'at six pm', 'at noon', 'tomorrow morning', 'in an hour', 'at seven thirty', 'on the fifteenth', 'next week', 'this weekend', 'on saturday at ten', 'at four o clock', 'on march third', 'every tuesday'];
const when = (): Piece => ['DATE', pick(WHEN), false];

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** A phone number in words; "area code" before it is no part of the number. */
function spokenPhone(): Piece[] {
  const d = (n: number) => Array.from({ length: n }, () => (chance(0.1) ? 'oh' : pick(DIGITS))).join(' ');
  const r = rnd();
  if (r < 0.4) return [['PHONE', `${d(3)} ${d(3)} ${d(4)}`]];
  if (r < 0.7) return ['area code ', ['PHONE', `${d(3)} ${d(3)} ${d(4)}`]];
  return [['PHONE', `${d(3)} ${d(4)}`]];
}
function spokenEmail(first: string, last: string): string {
  const num = () => pick(['eighty eight', 'twenty two', 'one two three', 'nineteen ninety', 'seven', 'two thousand']);
  const user = pick([
    () => `${first} dot ${last}`,
    () => `${first}${last}`,
    () => `${first[0]} ${last}`,
    () => `${first} underscore ${last}`,
    () => `${first} ${num()}`,
    () => `${last} dot ${first[0]}`,
  ])();
  return chance(0.12) ? `${user.replace(/ dot /g, '.').replace(/ /g, '')}@${pick(DOMAINS).replace(' dot ', '.')}` : `${user} at ${pick(DOMAINS)}`;
}

// --- requests ------------------------------------------------------------------------------------

type Template = () => Piece[];
const withName: Template[] = [
  () => [pick(['call ', 'phone ', 'ring ', 'dial ', 'please call ', 'can you call ', 'call up ', 'facetime ', 'video call ']), N(person()), pick(['', '', ' please', ' on speaker', ' on her cell', ' on his mobile', ' at work', ' for me'])],
  () => [pick(['text ', 'message ', 'send a text to ', 'send a message to ', 'whatsapp ', 'sms ']), N(person()), pick([' that ', ' saying ', ' and tell them ', ' ']), pick(["i'm running late", 'dinner is at eight', 'the keys are under the mat', "i'll pick up the kids", 'happy birthday', 'call me back', 'the game got moved'])],
  () => [pick(['email ', 'send an email to ', 'write an email to ', 'compose a mail to ', 'reply to ', 'forward this to ']), N(person()), pick([' about the invoice', ' about ', ' with the photos', '', ' and say thanks', ' regarding the lease']), ...(chance(0.3) ? [' ', when()] : [])],
  () => [pick(['did ', 'has ', 'when did ']), N(person()), pick([' email me', ' call', ' text me back', ' reply to my message', ' send the file', ' post anything new on instagram'])],
  () => [pick(['check emails from ', 'read my messages from ', 'any new texts from ', 'show me emails from ', 'do i have a voicemail from ', 'play the voicemail from ']), N(person())],
  () => [pick(['hello is this ', 'hi is this ', 'hey is this ', 'yes hello is this ']), N(person(0.6)), pick(['', '', ' speaking', ' i am calling about the appointment'])],
  () => [pick(['hi ', 'hello ', 'hey ', 'good morning ', 'good afternoon ']), N(given()), pick([" it's ", ' this is ', ' ']), N(given()), pick(['', ' from next door', ' calling back', ' from the school'])],
  () => [pick(['hi this is ', 'hello this is ', 'yes this is ', "hey it's ", 'my name is ', "hi my name's ", 'this is ']), N(person(0.6)), pick(['', ' calling from ' + pick(BUSINESSES), ' returning your call', ' i need help with my account', ' speaking'])],
  () => [pick(['may i speak with ', 'can i talk to ', 'is ', 'could you put me through to ']), N(person(0.5)), pick(['', ' there', ' please', ' in'])],
  () => [pick(['remind me to ', 'set a reminder to ']), pick(['pick up ', 'call ', 'email ', 'thank ', 'pay back ', 'meet ', 'visit ', 'drive ']), N(person()), ' ', when()],
  () => [pick(['schedule a meeting with ', 'set up lunch with ', 'book a call with ', 'add a meeting with ', 'put coffee with ']), N(person()), ...(chance(0.4) ? [' and ', N(given())] : []), ' ', when()],
  () => [pick(['when is ', "what's on ", 'add ', 'what time is ', 'cancel ']), ...poss(person(0.3)), pick([' birthday', ' calendar', ' party', ' recital', ' flight', ' appointment'])],
  () => [pick(["what's ", 'what is ', 'give me ', 'find ', 'look up ', 'show me ']), ...poss(person()), pick([' phone number', ' email address', ' email', ' address', ' number', ' work number'])],
  () => [pick(['call ', 'text ', 'email ', 'remind ', 'tell ']), pick(['my sister ', 'my brother ', 'my friend ', 'my cousin ', 'my son ', 'my daughter ', 'my neighbor ', 'my coworker ', 'my wife ', 'my husband ']), N(given()), pick(['', ' that dinner is ready', ' about the weekend', ' to bring the charger'])],
  () => [pick(['call ', 'text ', 'email ', 'make an appointment with ', 'remind me to thank ', 'message ']), pick(TITLES), ' ', N(chance(0.7) ? family() : given()), pick(['', ' ', ' tomorrow']).replace(/^ $/, '')],
  () => [pick(['add ', 'save ', 'create a contact for ', 'update the contact ']), N(person(0.7)), ...(chance(0.4) ? [pick([' with the number ', ' at ', ' ']), ...spokenPhone()] : [pick([' to my contacts', ' as a new contact', ''])])],
  () => {
    const f = chance(0.5) ? given() : pick(GIVEN);
    const l = family();
    return [pick(['send an email to ', 'email ', 'add ', 'my email is ', 'the address is ', 'forward it to ']), ['EMAIL', spokenEmail(f, l)], ...(chance(0.35) ? [pick([' for ', ' that is ', ' for my friend ']), N(`${f} ${l}`)] : [])];
  },
  () => [pick(['call ', 'text ', 'dial ']), ...spokenPhone(), ...(chance(0.3) ? [' ', pick(['and ask for ', "that's "]), N(given())] : [])],
  () => [pick(['how old is ', 'who is ', 'when was ', 'is ', 'tell me about ', 'what movies has ']), N(pick(CELEBRITIES)), pick(['', '', ' born', ' married', ' been in', ' on tour'])],
  () => [pick(['tell ', 'let ', 'ask ']), N(person(0.3)), pick([" i'll be there ", ' know the meeting is ', ' if she can come ', ' to join us ']), when()],
  () => [pick(['play ', 'share ', 'send ']), pick(['this song ', 'the photos ', 'my location ', 'the grocery list ']), 'with ', N(person()), ...(chance(0.3) ? [pick([' and ', ' or ']), N(given())] : [])],
  () => [pick(["i'm meeting ", 'i need to meet ', 'going to see ', 'having dinner with ']), N(person()), pick([' at ', ' near ']), pick(BUSINESSES), ' ', when()],
  () => [pick(RELATIONS), ' ', N(given()), pick([' wants to know ', ' asked ', ' says ']), pick(['what time the game starts', 'if we need milk', 'where the charger is'])],
  () => [pick(['call ', 'text ', 'email ']), ...poss(given()), pick([' mom', ' dad', ' husband', ' wife', ' office', ' school'])],
];

const withoutName: Template[] = [
  () => [pick(["what's the weather in ", 'will it rain in ', 'how hot is it in ', 'weather for ', 'is it snowing in ', "what's the forecast for "]), pick(TOWNS), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['play ', 'put on ', 'shuffle ', 'play some ', 'i want to hear ']), pick(BANDS), pick(['', '', ' on ' + pick(SERVICES), ' in the kitchen'])],
  () => [pick(['play ', 'play the song ', 'put on ', 'who sang ', 'add ']), pick(SONGS), pick(['', ' by ' + pick(BANDS), ' to my playlist', ' on repeat'])],
  () => [pick(['play some ', 'play ', 'start a station of ', 'i feel like ']), pick(GENRES), pick(['', ' music', ' on ' + pick(SERVICES)])],
  // An artist in a request to play music carries no span, as in slurp-devel ("play some david bowie").
  () => [pick(['play something by ', 'play the new album by ', 'put on some ', 'shuffle songs by ', 'play the latest single from ']), pick(CELEBRITIES), pick(['', '', ' on ' + pick(SERVICES)])],
  () => [pick(['play the latest episode of ', 'resume ', 'subscribe to ', 'download ', 'what is new on ']), pick(PODCASTS)],
  () => [pick(['add ', 'put ', 'i need ', 'order ', 'buy ']), pick(PRODUCTS), pick([' to my shopping list', ' from ' + pick(BUSINESSES), ' on ' + pick(['amazon', 'instacart', 'walmart']), ''])],
  () => [pick(['is ', 'what time does ', 'when does ', 'how late is ', 'find the nearest ', 'directions to ', 'navigate to ', 'how far is ']), pick(BUSINESSES), pick([' open', ' close', ' open on sunday', '', ''])],
  () => [pick(['book a train from ', 'find flights from ', 'how long is the drive from ', 'get me a bus from ', 'how far is it from ']), pick(TOWNS), ' to ', pick(TOWNS), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['find a ', 'is there a good ', 'book a table at a ', 'show me ']), pick(CUISINES), pick([' restaurant', ' place', ' spot']), pick([' near ', ' in ', ' around ']), pick([...TOWNS, ...SPOTS])],
  () => [pick(['did ', 'when do ', 'what was the score of ', 'who won ', 'are ']), pick(TEAMS), pick([' win last night', ' play next', ' game', ' playing ' + pick(TEAMS), ''])],
  () => [pick(['call an uber', 'get me a lyft', 'order a taxi', 'book a ride', 'call a cab']), ' to ', pick([...SPOTS, ...BUSINESSES, ...TOWNS])],
  () => [pick(['call ', 'text ', 'email ', 'message ']), pick(['the pharmacy', 'the dentist', 'the office', 'the family group', 'the team', 'the plumber', 'the vet', "the kids' school", 'customer service', 'my mom', 'mom', 'dad', 'grandma', 'my boss', 'my landlord', 'the babysitter', 'home', 'work'])],
  () => [pick(['call ', 'find the number for ', 'what is the phone number of ', 'text ']), pick(BUSINESSES), pick(['', ' in ' + pick(TOWNS), ' near me'])],
  () => [pick(['what does the word ', 'spell ', 'define ', 'what rhymes with ', 'translate ']), pick(['hope', 'grace', 'will', 'summer', 'frank', 'sterling', 'chase', 'bliss', 'honor', 'rusty', 'sage', 'ginger']), pick(['', ' mean', ' in spanish'])],
  () => [pick(['will you ', 'can you ', 'may i ', 'could you ']), pick(['turn off the lights', 'mark this as read', 'pay my phone bill', 'set an alarm', 'read me the news', 'start the dishwasher', 'lower the volume']), ...(chance(0.3) ? [' ', when()] : [])],
  () => [pick(['i hope it', 'will it', 'does it']), pick([' rains ', ' snow ', ' get warmer ']), when()],
  () => [pick(['set the thermostat to ', 'dim the lights to ', 'set a timer for ']), pick(['sixty eight', 'fifty percent', 'ten minutes', 'one hour'])],
  () => [pick(['open ', 'launch ', 'start ']), pick(SERVICES), pick(['', ' and play ' + pick(BANDS), ' on the tv'])],
  () => {
    const ask = pick(['what movies are playing at ', 'tickets for ', 'is there parking at ']);
    const venue = pick(['the regal in ', 'the amc in ', 'the fox theatre in ', 'madison square garden', 'the lincoln center', 'victoria station', 'union station in ']);
    const town = pick(['', ...TOWNS]);
    return [ask, (venue.endsWith(' ') ? venue + town : venue).trim()];
  },
  () => [pick(['how do i get to ', 'what is the population of ', 'tell me about ', 'what time is it in ', 'show me pictures of ']), pick(TOWNS)],
  () => [pick(['add ', 'schedule ', 'remind me about ']), pick(['the dentist', 'yoga class', 'the car wash at ' + pick(BUSINESSES), 'book club', 'the grand rounds', "the kids' recital", 'rent']), ' ', when()],
];

function request(i: number): Doc {
  const pieces = (chance(0.55) ? pick(withName) : pick(withoutName))();
  if (chance(0.12)) pieces.unshift(pick(['alexa ', 'ok google ', 'hey siri ', 'olly ', 'please ']));
  return build(`spc-${String(i).padStart(4, '0')}`, pieces);
}

const docs: Doc[] = Array.from({ length: 520 }, (_, i) => request(i + 1));
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules/redaction/data/spoken-requests-c.jsonl');
writeFileSync(out, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
const names = docs.reduce((n, d) => n + d.spans.filter((s) => s.label === 'NAME').length, 0);
console.log(`wrote ${docs.length} requests (${names} names) to ${out}`);
