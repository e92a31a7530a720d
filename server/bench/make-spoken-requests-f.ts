/**
 * `npm run data:spoken-f` (R-DATA-2): writes server/src/modules/redaction/data/spoken-requests-f.jsonl, a
 * sixth spoken development set, written and committed before its author read the engine's name rules, request
 * cues or lexicon files (issue 30), so that its first measurement estimates how those rules do on requests
 * they were not written against. Name pools, places, businesses, artists and frames are its own (none copied
 * from make-spoken-requests-e.ts).
 * Deterministic: the same seed writes the same bytes; formats and labels as ../shared/data/phi/README.md; the
 * lockbox split is the same hash of the id (`isLockbox`).
 *
 * Aimed at the failures issue 30 names for spoken requests: names after "call", "text", "email", "facetime",
 * "whatsapp" that no list holds; names in greetings and call openings ("hello is this jo tran", "hi it's
 * dee", "may i speak to"); self-introductions; names that open a statement ("priya is coming at six");
 * e-mail addresses spelled out letter by letter ("j o h n at gmail dot com"); and, in the requests that name
 * no one, the words that are taken for names: towns after "in", "to", "near", "from" (many named like people:
 * "marion", "tyler", "helena"), businesses and shops named after people ("wendy's", "trader joe's"), apps and
 * devices ("spotify", "alexa"), artists, bands and songs in a request to play ("play jolene by dolly
 * parton"), holidays, products, and given-name words in their plain sense.
 *
 * Style of SLURP: lower case, no punctuation but the apostrophe, numbers and e-mails in words, a wake word now
 * and then. Labels as slurp-devel: NAME (people; a possessive "'s" inside the span) and EMAIL are scored;
 * places (LOCATION), businesses (ORGANIZATION) and dates (DATE) are `"scored": false`; artists played, songs,
 * apps, products, relation words carry no span, so masking them counts against precision.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, prng, writeDevSet, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(60613);
const { pick, chance } = draws(rnd);

// --- people ------------------------------------------------------------------------------------------

/** Given names common in the US, of the generation a voice assistant's owner calls. */
const US_GIVEN = [
  'tiffany', 'heather', 'crystal', 'jamal', 'deshawn', 'latoya', 'keisha', 'marcus', 'terrence', 'dwayne', 'courtney',
  'kelsey', 'chelsey', 'brenda', 'sheila', 'wanda', 'roger', 'dennis', 'randy', 'wayne', 'doug', 'craig', 'todd', 'trevor',
  'shane', 'cody', 'dustin', 'travis', 'caleb', 'ethan', 'noah', 'liam', 'aiden', 'harper', 'avery', 'riley', 'peyton',
  'mackenzie', 'addison', 'brooke', 'paige', 'whitney', 'lindsey', 'erin', 'colleen', 'maureen', 'gloria', 'beverly',
  'marilyn', 'norma', 'vernon', 'clarence', 'leroy', 'earl', 'floyd', 'howard', 'herbert', 'gordon', 'stanley', 'walter',
  'jerome', 'tyrone', 'darnell', 'jasmine', 'monique', 'ebony', 'shanice', 'kendra', 'tamika', 'rochelle', 'gwen',
];
/** Short given names and short forms, two or three letters (the "jo tran"). */
const SHORT_GIVEN = ['jo', 'al', 'ed', 'vi', 'di', 'ty', 'cy', 'lu', 'bo', 'dee', 'kat', 'jen', 'ben', 'sam', 'max', 'liz', 'ava', 'zoe', 'eli', 'ari', 'kit', 'mo', 'abe', 'ida', 'ned', 'rex', 'tad', 'val', 'wes', 'em'];
/** Given names of many origins. */
const WORLD_GIVEN = [
  'thanh', 'phuong', 'huong', 'duc', 'tuan', 'khanh', 'seo yeon', 'jae', 'hyun woo', 'chiamaka', 'oluwaseun', 'tendai',
  'kwame', 'ngozi', 'thabo', 'nomvula', 'guadalupe', 'lupe', 'maricela', 'rigoberto', 'yesenia', 'jesus', 'omar', 'yusuf',
  'fatima', 'khalid', 'noor', 'priya', 'deepak', 'anjali', 'ravi', 'sanjay', 'meera', 'zofia', 'milan', 'vesna', 'goran',
  'sione', 'malia', 'keanu', 'ilse', 'wouter', 'annika', 'mikko', 'aino', 'sinead', 'declan', 'eoin', 'rhiannon', 'bronagh',
  'takeshi', 'haruka', 'ren', 'xin yi', 'jia hui', 'wei', 'mehmet', 'elif', 'dariush', 'shirin', 'tariq', 'hadiza', 'chidi',
];
/** Given names that are words, places or months (context must decide). */
const WORD_GIVEN = ['austin', 'dallas', 'brooklyn', 'paris', 'sydney', 'georgia', 'virginia', 'jordan', 'kennedy', 'carter', 'dawn', 'may', 'sunny', 'misty', 'cliff', 'rocky', 'sandy', 'penny', 'holly', 'ivy', 'iris', 'robin', 'wren', 'sage', 'river', 'storm', 'destiny', 'precious', 'honey', 'cash', 'chase', 'forrest', 'reed', 'miles', 'bud', 'buck', 'chip', 'skip', 'bob'];
/** Names no list is likely to hold: invented in a voice assistant's transcript. */
function invented(): string {
  const a = ['tav', 'ori', 'nes', 'qua', 'mel', 'dov', 'ysa', 'bren', 'ka', 'lio', 'sha', 'tre', 'vel', 'zu', 'ny', 'ro'];
  const b = ['dra', 'lyn', 'nie', 'ra', 'vo', 'shawn', 'ley', 'tae', 'mi', 'ko', 'dee', 'nah'];
  return `${pick(a)}${pick(b)}`;
}
const SURNAMES = [
  'tran', 'le', 'pham', 'vo', 'dang', 'bui', 'okonkwo', 'abernathy', 'delacruz', 'villanueva', 'castillo', 'nakamura',
  'yamamoto', 'oconnor', 'mcallister', 'kowalski', 'zielinski', 'fitzgerald', 'lindqvist', 'haugen', 'gallagher', 'bennett',
  'sullivan', 'jenkins', 'powell', 'russell', 'griffin', 'hawkins', 'dunn', 'chambers', 'sandoval', 'acosta', 'espinoza',
  'bhatt', 'iyer', 'reddy', 'menon', 'khan', 'siddiqui', 'farouk', 'osei', 'asante', 'nkemelu', 'adeleke', 'moyo', 'dlamini',
  'petrovic', 'jovanovic', 'kaur', 'gill', 'sharma', 'yilmaz', 'demir', 'rahimi', 'karimi', 'tanaka', 'hoang', 'lam', 'cheung',
  'mcintyre', 'donnelly', 'whitaker', 'pruitt', 'gonzales', 'salazar', 'figueroa', 'benson', 'holloway', 'mccormick',
];
/** Family names that are common words. */
const WORD_SURNAMES = ['fisher', 'hunter', 'bishop', 'marsh', 'banks', 'rivers', 'stone', 'woods', 'lane', 'story', 'noble', 'bell', 'holmes', 'cross', 'field', 'temple', 'sparks', 'brooks', 'hayes', 'reed', 'foster', 'little', 'strong', 'wise', 'moody', 'swift', 'fair', 'rose', 'summers', 'north'];
/** People asked about in questions (scored as persons, as SLURP labels them). */
const ASKED = [
  'rosa parks', 'amelia earhart', 'frida kahlo', 'nelson mandela', 'abraham lincoln', 'jeff bezos', 'marie curie', 'jane goodall',
  'malala yousafzai', 'usain bolt', 'simone biles', 'lebron james', 'tom brady', 'kamala harris', 'nancy pelosi', 'bernie sanders',
  'greta thunberg', 'bill clinton', 'george bush', 'ronald reagan', 'john f kennedy', 'princess diana', 'prince william',
  'king charles', 'denzel washington', 'meryl streep', 'will smith', 'ryan reynolds', 'sandra bullock', 'zendaya', 'pele',
  'muhammad ali', 'serena', 'oprah', 'gordon ramsay', 'martha stewart', 'neil degrasse tyson', 'jacinda ardern', 'rishi sunak',
  'narendra modi', 'xi jinping', 'kim jong un', 'pope francis', 'dalai lama', 'mother teresa', 'galileo', 'mozart',
];
/** Artists and bands: in a request to play they carry no span, as in slurp-devel. */
const ARTISTS = [
  'luke combs', 'carrie underwood', 'billie eilish', 'olivia rodrigo', 'harry styles', 'lizzo', 'post malone', 'doja cat',
  'dua lipa', 'stevie wonder', 'aretha franklin', 'ray charles', 'willie nelson', 'johnny cash', 'miles davis',
  'ella fitzgerald', 'norah jones', 'john legend', 'alicia keys', 'lady gaga', 'dolly parton', 'the eagles', 'the killers',
  'kings of leon', 'florence and the machine', 'arctic monkeys', 'the black keys', 'the lumineers', 'mumford and sons',
  'chris stapleton', 'morgan wallen', 'kelly clarkson', 'whitney houston', 'prince', 'elton john', 'billy joel',
  'phil collins', 'rod stewart', 'tina turner', 'janet jackson', 'nat king cole', 'frank sinatra', 'louis armstrong',
];
/** Songs, many named after a person. */
const SONGS = ['jolene', 'roxanne', 'layla', 'billie jean', 'hey there delilah', 'valerie', 'rosanna', 'maria maria', "jessie's girl", 'come on eileen', 'dear prudence', 'eleanor rigby', 'my sharona', 'beth', 'candy', 'mr brightside', 'take me home country roads', 'tennessee whiskey', 'bad guy', 'drivers license', 'as it was', 'uptown girl', 'piano man', 'rocket man', 'tiny dancer', 'cecilia', 'daniel', 'stan', 'alejandro', 'gloria'];
/** Towns and cities, many of them named like people. */
const TOWNS = ['marion', 'florence', 'elizabeth', 'lafayette', 'beverly hills', 'santa monica', 'san jose', 'jacksonville', 'charlottesville', 'fort worth', 'lake charles', 'st louis', 'mount vernon', 'warren', 'shelby', 'clifton', 'chester', 'preston', 'kent', 'derby', 'milton', 'carson city', 'helena', 'juneau', 'bismarck', 'victoria', 'alice springs', 'darwin', 'hobart', 'gilbert', 'frisco', 'tyler', 'odessa', 'jasper', 'laurel', 'aurora', 'irvine', 'douglas', 'wallace', 'portland', 'salem', 'reno', 'tucson', 'memphis', 'nashville', 'toronto', 'vancouver', 'manchester', 'leeds', 'glasgow', 'cork', 'brisbane', 'auckland', 'delhi', 'manila'];
/** Venues and neighbourhoods named after people. */
const VENUES = ['lincoln park', 'washington square', 'jefferson memorial', 'franklin park zoo', 'grant park', 'madison avenue', 'harvard square', 'st james park', 'mount rushmore', 'kennedy space center', 'the smithsonian', 'wrigley field', 'lambeau field', 'victoria station', 'hamilton place'];
/** Businesses, shops and banks, many named after a person. */
const BUSINESSES = ["wendy's", "denny's", "carl's jr", "dave and buster's", "trader joe's", "kohl's", "macy's", "lowe's", "dillard's", "sam's club", 'kroger', "jimmy john's", "marie callender's", "long john silver's", 'bojangles', "church's chicken", "moe's", "jersey mike's", "hardee's", "raising cane's", 'tim hortons', 'wells fargo', 'charles schwab', 'edward jones', 'sherwin williams', 'ace hardware', "dick's sporting goods", 'whataburger', 'costco', 'target', 'walgreens', 'cvs', 'home depot', 'best buy', "fred meyer", "harris teeter", "jack in the box", "tony roma's", "maggiano's", "carrabba's", "ruby tuesday", "bob's discount furniture", "ashley furniture", "victoria's secret", "claire's"];
/** Apps, services and devices: no span. */
const APPS = ['spotify', 'pandora', 'youtube', 'netflix', 'whatsapp', 'facetime', 'skype', 'zoom', 'slack', 'teams', 'instagram', 'tiktok', 'snapchat', 'pinterest', 'tinder', 'venmo', 'paypal', 'uber eats', 'doordash', 'audible', 'kindle', 'roku', 'chromecast', 'the echo dot', 'the nest', 'the ring doorbell', 'the roomba', 'the philips hue lights', 'alexa', 'siri', 'cortana', 'bixby'];
const PRODUCTS = ["ben and jerry's", "reese's cups", 'hershey bars', 'jimmy dean sausage', "kellogg's cornflakes", 'quaker oats', 'heinz ketchup', "campbell's soup", 'orville redenbacher popcorn', 'betty crocker cake mix', 'tommy hilfiger jeans', 'calvin klein perfume', 'ralph lauren shirts', 'michael kors bag', 'kenneth cole shoes', 'tom ford', 'hugo boss', 'jose cuervo', 'johnnie walker', 'jack daniels', 'jim beam', 'sam adams', 'stella artois', 'tim tams'];
const HOLIDAYS = ["valentine's day", "st patrick's day", "mother's day", "father's day", 'memorial day', 'labor day', 'columbus day', 'martin luther king day', 'presidents day', 'hanukkah', 'diwali', 'eid', 'thanksgiving', 'halloween', 'easter', 'christmas eve'];
const RELATIONS = ['my mom', 'my dad', 'mommy', 'daddy', 'nana', 'papa', 'granny', 'my stepdad', 'my stepmom', 'my fiance', 'my ex', 'my sister in law', 'my brother in law', 'my nephew', 'my niece', 'my godmother', 'my supervisor', 'my coach', 'my tutor', 'my therapist', 'the plumber', 'the vet', 'my pastor', 'the landlord', 'the nanny', 'my bestie', 'my carpool', 'the school', 'my lawyer', 'my accountant'];
const DOMAINS = ['gmail dot com', 'yahoo dot com', 'hotmail dot com', 'outlook dot com', 'icloud dot com', 'aol dot com', 'protonmail dot com', 'live dot com', 'msn dot com', 'att dot net', 'verizon dot net', 'gmail dot co dot uk'];
const WAKE = ['olly ', 'alexa ', 'hey siri ', 'ok google ', 'computer ', 'hey olly ', 'olly can you ', 'um '];
const NUMWORDS = ['one', 'two', 'seven', 'nine', 'eleven', 'twenty two', 'eighty eight', 'nineteen', 'oh four', 'ninety', 'one two three', 'two thousand and one'];
const WHEN = ['tomorrow at nine', 'tonight', 'on saturday', 'next tuesday', 'at four thirty', 'this friday at noon', 'in twenty minutes', 'on the third', 'on august the ninth', 'after lunch', 'sunday morning', 'at half past six', 'on new year\'s day', 'first thing monday'];

function given(): string {
  const r = rnd();
  return r < 0.32 ? pick(US_GIVEN) : r < 0.44 ? pick(SHORT_GIVEN) : r < 0.66 ? pick(WORLD_GIVEN) : r < 0.82 ? pick(WORD_GIVEN) : invented();
}
const family = (): string => (chance(0.78) ? pick(SURNAMES) : pick(WORD_SURNAMES));
/** A person as a request names them: a given name alone more often than not. */
const person = (pFull = 0.35): string => (chance(pFull) ? `${given()} ${family()}` : given());
const N = (s: string): Piece => ['NAME', s];
const poss = (s: string): Piece => ['NAME', chance(0.8) ? `${s}'s` : `${s}s`];
const D = (s: string): Piece => ['DATE', s, false];
const L = (s: string): Piece => ['LOCATION', s, false];
const O = (s: string): Piece => ['ORGANIZATION', s, false];
const when = (): Piece => D(pick(WHEN));
const spell = (w: string): string => w.replace(/ /g, '').split('').join(' ');

/** An address as a person says it: in words, often spelled out letter by letter. */
function spokenEmail(): string {
  const g = given().replace(/ /g, '');
  const f = family().replace(/ /g, '');
  const user = pick([
    () => spell(g),
    () => `${spell(g)} dot ${spell(f)}`,
    () => `${g[0]} ${spell(f)}`,
    () => `${g} ${spell(f)}`,
    () => `${spell(g)} ${pick(NUMWORDS)}`,
    () => `${g} dot ${f}`,
    () => `${g}${f} ${pick(NUMWORDS)}`,
    () => `${g[0]} dot ${f}`,
    () => `${f} underscore ${g[0]}`,
  ])();
  return `${user} ${pick(['at', 'at', 'at', 'at the rate'])} ${pick(DOMAINS)}`;
}
const email = (): Piece => ['EMAIL', spokenEmail()];

// --- requests that name a person ---------------------------------------------------------------------

type Template = () => Piece[];
const withPerson: Template[] = [
  // greetings and call openings
  () => [pick(['hello is this ', 'hi is this ', 'hello is that ', 'hey is this ', 'yes hello is this ']), N(person(0.55)), pick(['', '', ' speaking', ' i am calling about the appointment'])],
  () => [pick(['hi ', 'hey ', 'hello ', 'good morning ', 'morning ']), N(given()), pick([' it\'s ', ' this is ']), N(given()), pick(['', ' from work', ' from next door', ' can you call me back'])],
  () => [pick(['may i speak to ', 'can i talk to ', 'could i speak with ', 'is ', 'put ']), N(person(0.4)), pick([' please', ' there', ' on the line', ' available', ''])],
  () => [pick(['hi this is ', 'hello my name is ', 'yes this is ', 'hey it\'s ', 'my name is ', 'i am ']), N(person(0.5)), pick(['', ' calling back', ' and i need a reminder', ' from the dentist office'])],
  // calls, video calls, messages
  () => [pick(['call ', 'call ', 'facetime ', 'video call ', 'skype ', 'ring up ', 'dial ', 'phone ', 'get ']), N(person(0.3)), pick(['', '', ' on whatsapp', ' on speaker', ' on her cell', ' at home', ' for me', ' on the phone'])],
  () => [pick(['text ', 'whatsapp ', 'message ', 'send a text to ', 'send a whatsapp to ', 'ping ', 'dm ', 'send a voice note to ']), N(person(0.3)), pick([' running ten minutes late', ' see you soon', ' where are you', ' call me when you can', ' thanks for dinner', ' on slack', ' happy anniversary', ' are we still on'])],
  () => [pick(['read my texts from ', 'any messages from ', 'did ', 'what did ', 'play the voicemail from ', 'show missed calls from ']), N(person(0.3)), pick(['', ' text me', ' say', ' call', ' today'])],
  () => [pick(['return ', 'reply to ', 'answer ']), poss(given()), pick([' call', ' text', ' message', ' missed call', ' voicemail'])],
  // email
  () => [pick(['email ', 'send an email to ', 'write to ', 'draft an email to ', 'cc ', 'forward this to ']), N(person(0.35)), pick(['', ' the invoice', ' about the report', ' saying i am sick today', ' and ask about friday'])],
  () => [pick(['send it to ', 'email ', 'forward the photos to ', 'share the document with ', 'my email is ', 'her email is ', 'his address is ', 'add the email ', 'the address is ']), email(), pick(['', '', ' thanks', ' please'])],
  () => ['add ', N(person(0.7)), pick([' with the email ', ' email ', ' address ']), email()],
  () => [pick(['what is ', 'what\'s ', 'look up ', 'find ']), poss(person(0.35)), pick([' email', ' email address', ' work email', ' cell number', ' home address'])],
  () => {
    const f = pick(SURNAMES);
    return [pick(['add ', 'the contact is ', 'new contact ']), N(`${given()} ${f}`), pick([' that\'s ', ' spelled ', ' last name ']), N(spell(f))];
  },
  // calendar, reminders
  () => [pick(['lunch with ', 'coffee with ', 'dinner with ', 'meet ', 'call with ', 'interview with ', 'drinks with ']), N(person(0.3)), ' ', when()],
  () => [...pick<Piece[]>([['remind me to pick up ', N(given()), ' from school '], ['remind me to thank ', N(given()), ' '], ['remind me to pay ', N(given()), ' back '], ['remind me to visit ', N(given()), ' ']]), when()],
  () => [pick(['remind me that ', 'remind me when ']), N(given()), pick([' is coming ', ' lands ', ' starts work ']), when()],
  () => [N(person(0.2)), pick([' is coming over ', ' has a dentist appointment ', ' needs a ride ', ' is picking me up ', ' will be here ', ' gets home ']), when()],
  () => [pick(['tell me when ', 'let me know if ', 'let me know when ', 'notify me when ']), N(given()), pick([' gets home', ' calls', ' texts back', ' arrives', ' is online'])],
  () => [pick(['my sister ', 'my brother ', 'my boss ', 'my son ', 'my daughter ', 'my friend ', 'my neighbor ', 'my cousin ', 'my coworker ']), N(given()), pick([' is visiting ', ' has a recital ', ' wants to meet ', ' is flying in ']), when()],
  () => [pick(['when is ', 'remind me about ', 'add ', 'what time is ']), poss(given()), pick([' recital', ' soccer game', ' birthday', ' flight', ' baby shower', ' party']), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['cancel ', 'move ', 'reschedule ']), pick(['my call with ', 'the meeting with ', 'drinks with ', 'my session with ']), N(person(0.3)), pick(['', ' to ' + pick(WHEN)])],
  // social
  () => [pick(['tag ', 'send a friend request to ', 'follow ', 'unfollow ', 'like ']), N(person(0.5)), pick(['', ' on instagram', ' on facebook', ' in the photo'])],
  () => [pick(['show me ', 'open ', 'what\'s new on ']), poss(person(0.3)), pick([' instagram', ' story', ' profile', ' latest photos'])],
  // people asked about
  () => [pick(['how old is ', 'who is ', 'where was ', 'is ', 'how tall is ', 'what is ', 'how much money does ', 'when did ']), N(pick(ASKED)), pick(['', ' born', ' still alive', ' famous for', ' have', ' die', ' married'])],
  () => [pick(['tell me a fact about ', 'who was married to ', 'what year was ', 'show me pictures of ', 'latest news on ', 'did ']), N(pick(ASKED)), pick(['', ' born', ' win'])],
];

// --- requests that name no one ---------------------------------------------------------------------

const withoutPerson: Template[] = [
  // places after in, to, near, from
  () => [pick(['what\'s the weather in ', 'will it rain in ', 'how cold is it in ', 'what is the temperature in ', 'is it snowing in ', 'weather for ']), L(pick(TOWNS)), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['directions to ', 'how far is ', 'navigate to ', 'how long to drive to ', 'book a hotel near ', 'train times from ', 'flights from ', 'find a gas station near ']), L(pick(TOWNS)), pick(['', '', ' from here', ' to ' + pick(TOWNS)])],
  () => [pick(['take me to ', 'how do i get to ', 'what time does ', 'restaurants near ', 'parking near ']), L(pick(VENUES)), pick(['', ' open', ' close', ''])],
  () => [pick(['what time is it in ', 'time zone of ', 'what\'s happening in ', 'events in ', 'traffic in ']), L(pick(TOWNS))],
  // businesses and apps
  () => [pick(['order from ', 'book a table at ', 'is ', 'what time does ', 'find the nearest ', 'call ', 'directions to the closest ', 'does ']), O(pick(BUSINESSES)), pick(['', ' open', ' close tonight', ' deliver', ' near me', ' have curbside pickup'])],
  () => [pick(['open ', 'launch ', 'start ', 'close ', 'update ', 'turn on ', 'turn off ', 'restart ']), pick(APPS)],
  () => [pick(['play my playlist on ', 'send money on ', 'order dinner on ', 'how do i use ', 'is ', 'connect to ']), pick(APPS), pick(['', ' working', ' down right now'])],
  () => [pick(['add ', 'put ', 'i need ', 'buy ', 'order more ']), pick(PRODUCTS), pick([' to the shopping list', ' on my list', '', ' from ' + pick(['costco', 'target', 'kroger'])])],
  // play: artists, bands, songs
  () => [pick(['play ', 'play some ', 'shuffle ', 'play songs by ', 'play the latest from ', 'i want to hear ', 'put on some ', 'play anything by ']), pick(ARTISTS), pick(['', '', ' on spotify', ' in the living room', ' please'])],
  () => [pick(['play ', 'play the song ', 'who sings ', 'play ', 'add ', 'repeat ']), pick(SONGS), pick(['', ' by ' + pick(ARTISTS), ' to my playlist', ' again'])],
  () => [pick(['what is the new album by ', 'when is ', 'is ', 'when does ']), pick(ARTISTS), pick([' coming to ' + pick(TOWNS), ' touring', ' playing near me', ''])],
  // plain-sense words, holidays, relations
  () => [pick(['when is ', 'how many days until ', 'remind me before ', 'what day is ']), pick(HOLIDAYS), pick(['', ' this year', ' next year'])],
  () => [pick(['call ', 'text ', 'email ', 'remind me to call ', 'facetime ', 'message ']), pick(RELATIONS), pick(['', ' ' + pick(WHEN), ' about the rent', ' i\'m home'])],
  () => [pick(['it\'s sunny', 'is it going to be sunny', 'will it be misty tomorrow', 'is there a storm coming', 'how deep is the river', 'find a sandy beach', 'play rain sounds', 'set the lights to ivy green', 'what is a penny worth', 'is my cash balance low', 'turn off the dawn simulator', 'how many miles to the coast', 'chase the bank app', 'what does destiny mean', 'add holly to the christmas list', 'the rocky road ice cream', 'when does may end', 'cliff notes for hamlet', 'how tall is a reed', 'what is sage used for', 'how do robins build nests', 'is honey good for a cough', 'how do i skip an ad', 'turn down the bass', 'what is a buck in slang', 'chip in for the gift'])],
  // chit-chat, household
  () => [pick(['set an alarm ', 'wake me up ', 'remind me to take out the trash ', 'turn on the porch light ', 'start the sprinklers ']), when()],
  () => [pick(['what can you do', 'you are hilarious', 'goodnight olly', 'how is your day', 'what\'s up', 'tell me a knock knock joke', 'who made you', 'turn the volume to three', 'stop', 'never mind', 'cancel that', 'thanks olly', 'repeat that please'])],
  () => [pick(['how do i make ', 'recipe for ', 'how long do i bake ']), pick(['chicken alfredo', 'eggs florentine', 'beef wellington', 'oysters rockefeller', 'a reuben sandwich', 'caesar dressing', 'a tom collins', 'a shirley temple', 'a bloody mary', 'peach cobbler', 'salisbury steak', 'a charlotte russe'])],
];

function request(i: number): Doc {
  const pieces = (chance(0.38) ? pick(withPerson) : pick(withoutPerson))();
  if (chance(0.1)) pieces.unshift(pick(WAKE));
  return build(`spf-${String(i).padStart(4, '0')}`, pieces);
}

const docs: Doc[] = Array.from({ length: 640 }, (_, i) => request(i + 1));
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.stdout.write(`spoken-requests-f.jsonl: ${writeDevSet('spoken-requests-f.jsonl', docs)}\n`);
}
