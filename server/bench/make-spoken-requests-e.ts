/**
 * `npm run data:spoken-e` (R-DATA-2): writes server/src/modules/redaction/data/spoken-requests-e.jsonl,
 * a fifth spoken development set: voice-assistant requests in the style and scenarios of SLURP (alarm,
 * calendar, email, social, music, podcasts, audiobooks, radio, news, weather, iot, lists, qa and factoid
 * questions, recommendations, takeaway, transport, datetime, cooking, general chit-chat), written and
 * measured once before its author read the engine's spoken detectors, request rules or lexicon files,
 * with frames and name pools of its own, so that its first measurement estimates how the spoken-name
 * rules do on requests they were not written against (issue 30).
 * Deterministic: the same seed writes the same bytes; formats and labels as ../shared/data/phi/README.md;
 * the lockbox split is the same hash of the id (`isLockbox`).
 *
 * As SLURP's transcripts: lower case, no punctuation but the apostrophe, numbers and e-mail addresses
 * in words ("kay dot brennan at gmail dot com"), a wake word now and then ("olly", "alexa").
 * Most requests carry no person (as in SLURP, where one request in fifteen names someone), and many of
 * those hold a word that could be a name: relations ("mom", "my boss"), towns named like people
 * ("savannah", "madison"), businesses and products named after people ("papa john's"), artists and
 * bands in a request to play, songs, podcasts, teams, holidays, and the words that are given names in
 * their plain sense ("will it", "mark as read", "the phone bill", "in june").
 *
 * Labels, as slurp-devel: person names NAME (contacts, family by name, colleagues, people asked about
 * in factoid and news questions; a possessive "'s" inside the span), e-mail addresses EMAIL; only
 * these two are scored. Places (LOCATION), businesses (ORGANIZATION) and dates and times (DATE) are
 * `"scored": false`. An artist or band in a request to play, songs, apps, products, foods, teams and
 * relation words carry no span, so masking them counts against precision.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, draws, prng, writeDevSet, type Doc, type Piece } from './make-redaction-dev-sets.ts';

const rnd = prng(3051);
const { pick, chance } = draws(rnd);

// --- people ------------------------------------------------------------------------------------------

/** Given names as a US voice assistant hears them most (SLURP's contacts are mostly of this kind). */
const USUAL_GIVEN = [
  'jessica', 'michael', 'sarah', 'david', 'ashley', 'matthew', 'amanda', 'chris', 'jennifer', 'andrew', 'stephanie', 'kevin',
  'melissa', 'brian', 'nicole', 'justin', 'rachel', 'tyler', 'megan', 'brandon', 'lauren', 'eric', 'kayla', 'adam', 'rebecca',
  'steve', 'linda', 'paul', 'susan', 'frank', 'carol', 'george', 'nancy', 'peter', 'diane', 'tom', 'kathy', 'gary', 'donna',
  'john', 'mary', 'james', 'patricia', 'robert', 'barbara', 'richard', 'lisa', 'joe', 'karen', 'mike', 'sandra', 'anthony',
  'emily', 'daniel', 'sophia', 'jacob', 'isabella', 'mason', 'abigail', 'logan', 'madison', 'lucas', 'ella', 'oliver',
  'charlotte', 'henry', 'amelia', 'harry', 'jake', 'claire', 'simon', 'fiona', 'ian', 'helen', 'martin', 'laura', 'alan',
];
/** Given names of many origins. */
const WORLD_GIVEN = [
  'adebayo', 'chinonso', 'folake', 'kehinde', 'nnamdi', 'abena', 'kofi', 'amara', 'zainab', 'hamza', 'bilal', 'ayesha',
  'imran', 'sana', 'vikram', 'ananya', 'rohan', 'kavya', 'arjun', 'lakshmi', 'sunil', 'gurpreet', 'harjit', 'minh', 'linh',
  'quang', 'hieu', 'mai', 'jun', 'hiroshi', 'aiko', 'kenji', 'yui', 'ji ho', 'min jun', 'soo ah', 'wen', 'li na', 'xiao',
  'tomasz', 'agnieszka', 'katarzyna', 'piotr', 'dmitri', 'natasha', 'oksana', 'bogdan', 'ingrid', 'lars', 'sigrid', 'astrid',
  'jurgen', 'heike', 'pierre', 'amelie', 'giulia', 'matteo', 'lorenzo', 'chiara', 'joao', 'thiago', 'beatriz', 'ximena',
  'alejandro', 'valentina', 'santiago', 'camila', 'mateo', 'yolanda', 'ofelia', 'efrain', 'tevita', 'leilani', 'kai',
  'aroha', 'tane', 'siobhan', 'ciaran', 'niamh', 'aoife', 'rhys', 'bronwen', 'hamish', 'ailsa', 'yitzhak', 'shoshana',
  'avraham', 'noa', 'dalia', 'farid', 'samira', 'layla', 'arash', 'parisa', 'cem', 'aylin', 'burak', 'nikos', 'eleni',
];
/** Given names that are common English words or months. */
const WORD_GIVEN = ['will', 'mark', 'june', 'grace', 'hope', 'bill', 'rose', 'jack', 'sue', 'art', 'april', 'summer', 'autumn', 'frank', 'faith', 'joy', 'ray', 'gene', 'don', 'guy', 'pat', 'rich', 'harmony', 'sky', 'hunter', 'chance', 'royal', 'star', 'bo', 'lily', 'jasmine', 'violet', 'olive', 'pearl', 'amber', 'brook', 'glen', 'dale', 'lance', 'rusty', 'sonny', 'trinity', 'heaven', 'angel', 'king', 'major', 'price', 'journey', 'bliss', 'ace'];
/** Nicknames and short forms. */
const NICK = ['katie', 'becky', 'jimmy', 'tommy', 'danny', 'maggie', 'abby', 'josie', 'benji', 'frankie', 'charlie', 'sammy', 'nate', 'libby', 'trish', 'manny', 'ronnie', 'gabe', 'izzy', 'zach', 'lexi', 'tori', 'ricky', 'vinny', 'bea', 'dottie', 'bunny', 'peaches', 'tiny', 'shorty', 'junior', 'doc'];
/** Spellings a transcriber writes for a name it heard: variants and slips. */
const MISSPELT = ['jon', 'micheal', 'steven', 'stephen', 'kaitlyn', 'caitlin', 'katelyn', 'sara', 'jeniffer', 'brittney', 'brittany', 'ashleigh', 'mathew', 'nickolas', 'zackary', 'jakob', 'erik', 'krystal', 'alyssa', 'alissa', 'shawn', 'sean', 'jayden', 'jaden', 'aidan', 'aiden', 'kristopher', 'geoff', 'jeff', 'allan', 'alan', 'rebeca', 'marc', 'phillip', 'philip', 'tomas', 'lynda', 'cathy', 'kathleen', 'colleen', 'deborah', 'debra'];
const SURNAMES = [
  'smith', 'johnson', 'williams', 'jones', 'brown', 'davis', 'miller', 'wilson', 'moore', 'taylor', 'thomas', 'jackson',
  'harris', 'martin', 'thompson', 'garcia', 'martinez', 'robinson', 'clark', 'rodriguez', 'lewis', 'walker', 'allen',
  'hernandez', 'nguyen', 'kim', 'patel', 'shah', 'singh', 'chen', 'wang', 'liu', 'park', 'choi', 'tanaka', 'suzuki',
  'okafor', 'adeyemi', 'mensah', 'boateng', 'kowalczyk', 'nowak', 'schmidt', 'weber', 'becker', 'rossi', 'russo',
  'ferrari', 'costa', 'silva', 'santos', 'oliveira', 'murphy', 'kelly', 'obrien', 'ryan', 'byrne', 'walsh', 'mcdonald',
  'campbell', 'stewart', 'morgan', 'hughes', 'evans', 'reyes', 'cruz', 'flores', 'ramos', 'gutierrez', 'mendoza',
  'morales', 'ortiz', 'jimenez', 'haddad', 'khoury', 'nasser', 'cohen', 'levy', 'friedman', 'petrov', 'ivanov',
  'novak', 'dvorak', 'horvath', 'nagy', 'andersen', 'hansen', 'larsen', 'johansson', 'lindberg', 'dubois', 'lefebvre',
  'brennan', 'sato', 'watanabe', 'ito', 'lim', 'tan', 'ng', 'wu', 'zhou', 'huang', 'nakashima', 'fitzpatrick',
];
/** Family names that are common English words. */
const WORD_SURNAMES = ['baker', 'cook', 'miller', 'hill', 'king', 'green', 'young', 'wright', 'carter', 'turner', 'parker', 'cooper', 'ward', 'bird', 'fields', 'snow', 'frost', 'winter', 'day', 'knight', 'long', 'short', 'black', 'white', 'gray', 'brown', 'golden', 'price', 'sharp', 'rich', 'love', 'best', 'lamb', 'fox', 'wolf', 'steel', 'church', 'chapman', 'mason', 'porter'];
/** People asked about in factoid, news and social questions (SLURP labels them as persons). */
const FAMOUS = [
  'tom hanks', 'brad pitt', 'angelina jolie', 'leonardo dicaprio', 'barack obama', 'donald trump', 'joe biden',
  'hillary clinton', 'bill gates', 'elon musk', 'mark zuckerberg', 'oprah winfrey', 'queen elizabeth', 'prince harry',
  'meghan markle', 'albert einstein', 'isaac newton', 'george washington', 'martin luther king', 'mahatma gandhi',
  'winston churchill', 'michael jordan', 'serena williams', 'roger federer', 'tiger woods', 'lionel messi',
  'david beckham', 'kim kardashian', 'jennifer aniston', 'tom cruise', 'morgan freeman', 'keanu reeves', 'scarlett johansson',
  'emma watson', 'daniel radcliffe', 'steve jobs', 'warren buffett', 'jk rowling', 'stephen hawking', 'charles darwin',
  'cleopatra', 'napoleon', 'shakespeare', 'vladimir putin', 'angela merkel', 'justin trudeau', 'boris johnson',
  'theresa may', 'emmanuel macron', 'pope benedict', 'neil armstrong', 'jeff goldblum', 'julia roberts', 'halle berry',
];
/** Recording artists and bands: in a request to play they carry no span, as slurp-devel. */
const ARTISTS = [
  'taylor swift', 'ed sheeran', 'adele', 'beyonce', 'rihanna', 'bruno mars', 'justin bieber', 'katy perry', 'michael jackson',
  'madonna', 'the beatles', 'queen', 'coldplay', 'imagine dragons', 'maroon five', 'the rolling stones', 'pink floyd',
  'led zeppelin', 'metallica', 'ac dc', 'nirvana', 'radiohead', 'eminem', 'kanye west', 'jay z', 'snoop dogg', 'dolly parton',
  'garth brooks', 'shania twain', 'tim mcgraw', 'kenny chesney', 'bob dylan', 'neil young', 'david bowie', 'elvis presley',
  'frank ocean', 'john mayer', 'sam smith', 'lana del rey', 'shakira', 'celine dion', 'mariah carey', 'the weeknd',
  'harry belafonte', 'van morrison', 'tom petty', 'bon jovi', 'bruce springsteen', 'fleetwood mac', 'simon and garfunkel',
  'the jackson five', 'james taylor', 'vivaldi', 'debussy', 'jack johnson', 'jack white', 'grace jones', 'sia',
];
const SONGS = ['bohemian rhapsody', 'hey jude', 'let it be', 'yesterday', 'imagine', 'wonderwall', 'shape of you', 'hello', 'someone like you', 'thriller', 'like a prayer', 'born to run', 'sweet caroline', 'gloria', 'angie', 'michelle', 'delilah', 'lola', 'allison', 'brandy', 'mandy', 'barbara ann', 'peggy sue', 'proud mary', 'ruby', 'sweet jane', 'jenny from the block', 'mrs robinson', 'fernando', 'mary jane', 'uptown funk', 'happy', 'despacito', 'africa', 'september', 'april come she will', 'summer of sixty nine', 'hallelujah', 'wake me up'];
const AUDIOBOOKS = ['harry potter', 'the hobbit', 'pride and prejudice', 'to kill a mockingbird', 'the great gatsby', 'moby dick', 'jane eyre', 'oliver twist', 'little women', 'anne of green gables', 'the da vinci code', 'the hunger games', 'sherlock holmes', 'david copperfield', 'charlotte\'s web', 'peter pan', 'matilda', 'huckleberry finn', 'wuthering heights', 'emma'];
const PODCASTS = ['serial', 'the daily', 'this american life', 'stuff you should know', 'planet money', 'the moth', 'reply all', 'crime junkie', 'my favorite murder', 'ted radio hour', 'how i built this', 'hidden brain', 'the dollop', 'wait wait don\'t tell me', 'science vs', 'up first'];
const RADIO = ['bbc radio one', 'npr', 'kiss fm', 'capital fm', 'classic fm', 'jazz fm', 'heart radio', 'radio two', 'the country station', 'kexp', 'magic one oh six', 'absolute radio'];
const NEWS_SOURCES = ['bbc', 'cnn', 'fox news', 'the guardian', 'the new york times', 'reuters', 'sky news', 'npr', 'the washington post', 'al jazeera', 'abc news', 'the wall street journal'];
const BUSINESSES = ["papa john's", 'olive garden', "domino's", 'pizza hut', 'subway', 'chipotle', 'starbucks', 'dunkin', "arby's", "culver's", "zaxby's", "jason's deli", "mcalister's", "bob evans", "ruth's chris", "applebee's", "chili's", "nando's", 'panera', 'kfc', 'taco bell', 'five guys', 'in n out', 'whole foods', 'walmart', 'ikea', "victoria's secret", "bj's", 'dollar general', 'jcpenney', 'nordstrom', 'barnes and noble', 'marshalls', 'ross', 'uber', 'lyft', 'amtrak', 'greyhound', 'united', 'american airlines', 'jetblue', 'hertz', 'avis', 'enterprise', 'tesla', 'ford', 'toyota', 'netflix', 'hulu', 'disney', 'microsoft', 'google', 'samsung', 'sony', 'nike', 'adidas', 'morgan stanley', 'goldman sachs', 'charles schwab', 'johnson and johnson', 'procter and gamble', 'dell', 'hewlett packard', 'wendy\'s', 'grubhub', 'just eat', 'deliveroo'];
const TOWNS = ['savannah', 'madison', 'lincoln', 'raleigh', 'sydney', 'adelaide', 'alexandria', 'georgetown', 'orlando', 'phoenix', 'dallas', 'denver', 'houston', 'santa clara', 'st petersburg', 'victoria', 'eugene', 'augusta', 'cleveland', 'jackson', 'troy', 'chelsea', 'regina', 'florence', 'paris', 'london', 'berlin', 'tokyo', 'mumbai', 'lagos', 'nairobi', 'dublin', 'edinburgh', 'boston', 'seattle', 'chicago', 'new york', 'san diego', 'miami', 'atlanta', 'york', 'kingston', 'columbus', 'hamilton', 'wellington', 'nelson', 'camden', 'charlotte', 'tyler', 'austin'];
const VENUES = ['the empire state building', 'central park', 'the eiffel tower', 'the louvre', 'hyde park', 'wembley stadium', 'the golden gate bridge', 'madison square garden', 'the lincoln memorial', 'st paul\'s cathedral', 'buckingham palace', 'fenway park'];
const TEAMS = ['the yankees', 'the lakers', 'the patriots', 'manchester united', 'arsenal', 'chelsea', 'real madrid', 'the cubs', 'the warriors', 'the packers', 'the cowboys', 'the celtics', 'the giants', 'the saints', 'the jazz', 'the magic', 'the thunder', 'the heat', 'the royals', 'the cardinals'];
const FOODS = ['spaghetti bolognese', 'chicken tikka masala', 'lasagna', 'banana bread', 'pancakes', 'shepherd\'s pie', 'caesar salad', 'beef stroganoff', 'chicken parmesan', 'eggs benedict', 'a victoria sponge', 'nachos', 'sushi', 'a margarita pizza', 'pavlova', 'crepes suzette', 'lamb curry', 'tom yum', 'baked alaska', 'french onion soup', 'a johnny cake', 'bananas foster', 'sloppy joes', 'peach melba', 'waldorf salad'];
const GROCERIES = ['milk', 'eggs', 'bread', 'butter', 'apples', 'bananas', 'coffee', 'toilet paper', 'dish soap', 'cereal', 'orange juice', 'chicken', 'rice', 'pasta', 'tomatoes', 'cheese', 'yogurt', 'granny smith apples', 'ben and jerry\'s', 'uncle ben\'s rice', 'aunt jemima syrup', 'dr pepper', 'jack daniels', 'captain morgan', 'mrs dash', 'little debbie snacks', 'sara lee bread', 'newman\'s own dressing', 'mr clean', 'earl grey'];
const RELATIONS = ['mom', 'dad', 'my mom', 'my dad', 'my mother', 'my father', 'my wife', 'my husband', 'my sister', 'my brother', 'my son', 'my daughter', 'grandma', 'grandpa', 'my grandmother', 'my aunt', 'my uncle', 'my cousin', 'my boss', 'my manager', 'my team', 'my friend', 'my best friend', 'my girlfriend', 'my boyfriend', 'my partner', 'my roommate', 'my neighbour', 'my neighbor', 'my landlord', 'my coworkers', 'my colleague', 'the kids', 'my kids', 'my family', 'my parents', 'my in laws', 'my doctor', 'my dentist', 'my teacher', 'my mum', 'mum', 'the babysitter', 'hr', 'the office', 'the team', 'everyone', 'all my contacts'];
const DOMAINS = ['gmail dot com', 'yahoo dot com', 'hotmail dot com', 'outlook dot com', 'aol dot com', 'icloud dot com', 'comcast dot net', 'yahoo dot co dot uk', 'btinternet dot com', 'me dot com'];
const WAKE = ['olly ', 'alexa ', 'hey google ', 'ok google ', 'hey siri ', 'hey olly ', 'olly please ', 'hi olly '];

function invented(): string {
  const a = ['za', 'ke', 'lo', 'mi', 'ra', 'tu', 'vo', 'shan', 'dre', 'kel', 'bri', 'ny', 'ja', 'quin', 'ro', 'ela'];
  return Array.from({ length: chance(0.6) ? 2 : 3 }, () => pick(a)).join('');
}
function first(): string {
  const r = rnd();
  return r < 0.42 ? pick(USUAL_GIVEN) : r < 0.62 ? pick(WORLD_GIVEN) : r < 0.76 ? pick(WORD_GIVEN) : r < 0.85 ? pick(NICK) : r < 0.96 ? pick(MISSPELT) : invented();
}
function last(): string {
  return chance(0.8) ? pick(SURNAMES) : pick(WORD_SURNAMES);
}
/** A contact as a request names them: mostly a given name alone, as in SLURP. */
function contact(pFull = 0.25): string {
  return chance(pFull) ? `${first()} ${last()}` : first();
}
const N = (s: string): Piece => ['NAME', s];
const poss = (s: string): Piece => ['NAME', chance(0.85) ? `${s}'s` : `${s}s`];
const D = (s: string): Piece => ['DATE', s, false];
const L = (s: string): Piece => ['LOCATION', s, false];
const O = (s: string): Piece => ['ORGANIZATION', s, false];

const WHEN = ['tomorrow', 'today', 'tonight', 'this afternoon', 'tomorrow morning', 'on monday', 'next friday', 'this weekend', 'at three pm', 'at five thirty', 'at noon', 'on the twenty first', 'next week', 'in an hour', 'on march the second', 'on wednesday at ten am', 'this evening at seven', 'every morning', 'on the first of may', 'in june', 'next april', 'at eight o\'clock'];
const when = (): Piece => D(pick(WHEN));
const NUMWORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'twenty', 'ninety nine', 'eighty seven', 'two thousand', 'oh one', 'twenty three'];

function spokenEmail(f: string, l: string): string {
  const g = f.replace(/ /g, '');
  const s = l.replace(/ /g, '');
  const user = pick([
    () => `${g} dot ${s}`,
    () => `${g}${s}`,
    () => `${g} ${pick(NUMWORDS)}`,
    () => `${g[0]} ${s}`,
    () => `${g} underscore ${s}`,
    () => `${s} ${g}`,
    () => g,
    () => `${g} dot ${s} ${pick(NUMWORDS)}`,
  ])();
  return `${user} at ${pick(DOMAINS)}`;
}
const email = (): Piece => ['EMAIL', spokenEmail(chance(0.6) ? pick(USUAL_GIVEN) : first(), last())];

// --- requests that name a person ---------------------------------------------------------------------

type Template = () => Piece[];
const withPerson: Template[] = [
  // email
  () => [pick(['send an email to ', 'email ', 'compose an email to ', 'write an email to ', 'send a mail to ', 'new email to ', 'shoot an email to ']), N(contact()), pick(['', ' about the meeting', ' saying i will be late', ' about tomorrow\'s presentation', ' and tell him thanks', ' asking for the report', ' with the subject lunch', ' that the party is cancelled'])],
  () => [pick(['check my email from ', 'do i have any emails from ', 'did i get an email from ', 'read the latest email from ', 'any new mail from ', 'show me emails from ', 'has ', 'did ']), ...(chance(0.7) ? [N(contact())] : [N(contact()), pick([' sent me an email', ' replied to my email', ' emailed me'])])],
  () => [pick(['reply to ', 'respond to ', 'answer ']), poss(contact(0.2)), pick([' email', ' last email', ' message', ' mail']), pick(['', ' saying yes', ' and say i agree', ' that i can make it'])],
  () => [pick(['send an email to ', 'email ', 'send this to ', 'forward this email to ']), email()],
  () => [pick(['add ', 'save ', 'please add ']), email(), ...pick<Piece[]>([[' to my contacts'], [' as a new contact'], [' as the email for ', N(contact(0.4))], [' to the contact ', N(contact(0.4))]])],
  () => [pick(["what is ", "what's ", 'give me ', 'tell me ', 'find ']), poss(contact(0.3)), pick([' email address', ' email', ' phone number', ' number', ' address', ' birthday', ' mobile number'])],
  () => [pick(['add ', 'create a new contact ', 'save a contact for ', 'new contact ']), N(contact(0.6)), pick([' to my contacts', '', ' with number ' + pick(NUMWORDS) + ' ' + pick(NUMWORDS) + ' ' + pick(NUMWORDS), ' as my dentist'])],
  // calls and texts
  () => [pick(['call ', 'please call ', 'ring ', 'phone ', 'dial ', 'make a call to ', 'call up ', 'give ']), N(contact()), pick(['', '', ' a call', ' on speaker', ' now', ' on her mobile', ' at work'])],
  () => [pick(['text ', 'send a text to ', 'send a message to ', 'message ', 'tell ', 'send ']), N(contact()), pick([' that i\'m running late', ' i love you', ' happy birthday', ' good luck today', ' i am on my way', ' to pick up milk', ' dinner is ready', ' a message saying call me'])],
  // calendar
  () => [pick(['set up a meeting with ', 'schedule a meeting with ', 'book a meeting with ', 'add a meeting with ', 'put a lunch with ', 'create an event with ', 'arrange a call with ']), N(contact()), ' ', when(), pick(['', '', ' in my calendar', ' at the office'])],
  () => [pick(['remind me to call ', 'remind me to email ', 'remind me to text ', 'remind me to meet ', 'remind me to pick up ', 'remind me to buy a present for ', 'remind me to visit ', 'set a reminder to call ']), N(contact()), ' ', when()],
  () => [pick(['remind me of ', 'when is ', 'add ', 'put ', 'what day is ', 'set a reminder for ']), poss(contact(0.15)), pick([' birthday', ' birthday party', ' wedding', ' anniversary', ' graduation', ' baby shower', ' retirement party']), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['when is my meeting with ', 'what time is my appointment with ', 'do i have anything with ', 'cancel my meeting with ', 'delete the meeting with ', 'move my lunch with ', 'is my meeting with ']), N(contact()), pick(['', '', ' ' + pick(WHEN), ' still on'])],
  () => [pick(['am i meeting ', 'am i seeing ', 'when am i seeing ', 'where am i meeting ']), N(contact()), pick(['', ' ' + pick(WHEN), ' this week'])],
  () => [pick(['add to my calendar dinner with ', 'put in my diary coffee with ', 'block out time for ', 'calendar lunch with ']), N(contact()), ' ', when()],
  () => [pick(['invite ', 'add ']), N(contact()), pick([' to the meeting ', ' to my party ', ' to the event ']), when()],
  // social
  () => [pick(['what did ', 'what has ', 'check what ', 'show me what ']), N(contact()), pick([' post on facebook', ' posted on instagram', ' tweeted', ' post today', ' say on facebook'])],
  () => [pick(['post on ', 'write on ']), poss(contact()), pick([' facebook wall', ' wall', ' timeline']), pick([' happy birthday', ' congratulations', ' miss you'])],
  () => [pick(['any updates from ', 'latest posts from ', 'what is new with ', 'check facebook for ']), N(contact())],
  // factoid, news, people asked about
  () => {
    const [head, tails] = pick<[string, string[]]>([
      ['how old is ', ['', ' now', ' today']], ['who is ', ['', '']], ['how tall is ', ['', ' in feet']], ['where was ', [' born']],
      ['when was ', [' born']], ['is ', [' alive', ' still alive', ' married', ' still married']], ['where does ', [' live', ' come from']],
      ['what is the net worth of ', ['']], ['tell me about ', ['', ' please']], ['who was ', ['']], ['what nationality is ', ['']],
      ['give me some facts about ', ['']], ['how many kids does ', [' have']], ['what is ', [' famous for', ' doing now']],
    ]);
    return [head, N(pick(FAMOUS)), pick(tails)];
  },
  () => [pick(['who is ', 'who was ']), N(pick(FAMOUS)), pick([' married to', ' dating', ' related to'])],
  () => {
    const [head, tail] = pick<[string, string]>([['what movies has ', ' been in'], ['what films did ', ' star in'], ['list the movies of ', ''], ['what is the latest movie with ', ''], ['movies starring ', ''], ['recommend a movie with ', ''], ['which films has ', ' directed']]);
    return [head, N(pick(FAMOUS.slice(0, 40))), tail];
  },
  () => [pick(['news about ', 'what is the latest news on ', 'any news about ', 'latest on ', 'headlines about ']), N(pick(FAMOUS)), pick(['', '', ' today', ' this week'])],
  () => [pick(['when did ', 'how did ', 'why did ']), N(pick(FAMOUS)), pick([' die', ' become famous', ' win the nobel prize', ' get married'])],
  () => [N(`${pick(FAMOUS)}'s`), pick([' age', ' height', ' birthday', ' wife', ' husband', ' latest tweet'])],
  () => ['what did ', N(pick(FAMOUS)), ' say ', pick(['on twitter', 'yesterday', 'about the election'])],
  // family and colleagues by name
  () => [pick(['call ', 'text ', 'email ', 'remind me to call ']), pick(['my sister ', 'my brother ', 'my son ', 'my daughter ', 'my cousin ', 'my friend ', 'my aunt ', 'my uncle ', 'my boss ', 'my coworker ', 'my neighbour ']), N(first()), pick(['', '', ' ' + pick(WHEN)])],
  () => [pick(['call ', 'text ', 'email ', 'is ']), pick(['doctor ', 'dr ', 'mister ', 'mrs ', 'miss ', 'professor ', 'aunt ', 'uncle ', 'grandma ', 'nana ']), N(chance(0.5) ? last() : first()), pick(['', '', ' back', ' available ' + pick(WHEN)])],
  () => [pick(['order a pizza for ', 'book a table for two for me and ', 'get a taxi for ', 'book a train ticket for ', 'buy a gift for ', 'find a restaurant for me and ']), N(contact(0.2)), ...(chance(0.5) ? [' ', when()] : [])],
  () => [pick(['play ', 'put on ']), poss(contact(0.1)), pick([' playlist', ' favourite song', ' favorite playlist', ' wedding song'])],
  () => [pick(['how far is ', 'how long to get to ', 'directions to ', 'navigate to ']), poss(contact(0.1)), pick([' house', ' place', ' office', ' school'])],
  () => [pick(['tell ', 'ask ', 'let ']), N(contact(0.15)), pick([' to call me back', ' if she wants to come', ' that dinner is at six', ' know i\'m home', ' whether he fed the dog'])],
  () => [N(first()), pick([' is coming over ', ' has a dentist appointment ', ' needs a ride ', ' is arriving ']), when(), pick([' add it to the calendar', ' remind me', ''])],
  () => [pick(['what time does ', 'when does ']), poss(first()), pick([' flight land', ' train arrive', ' class finish', ' shift end'])],
];

// --- requests without a person -----------------------------------------------------------------------

const withoutPerson: Template[] = [
  // alarm and datetime
  () => [pick(['wake me up ', 'set an alarm ', 'set an alarm for ', 'alarm ', 'cancel my alarm ', 'remove the alarm ', 'what alarms do i have ']), when()],
  () => [pick(['what time is it in ', 'what is the time in ', 'what\'s the date in ', 'time zone of ', 'convert this time to ']), L(pick(TOWNS))],
  () => [pick(['what day is it', 'what is today\'s date', 'what time is it', 'how many days until christmas', 'what day is the fourth of july', 'is it a leap year', 'how many weeks until june', 'when is easter this year', 'what day of the week is may tenth'])],
  // weather
  () => [pick(['what\'s the weather ', 'will it rain ', 'is it going to snow ', 'do i need an umbrella ', 'what is the temperature ', 'how hot will it be ', 'will it be sunny ']), ...(chance(0.6) ? ['in ', L(pick(TOWNS)), ' '] : []), when()],
  () => [pick(['will it ', 'will i need a coat ', 'will there be a storm ', 'will the sun come out ']), pick(['rain today', 'snow this weekend', 'be windy tomorrow', 'today', 'later', 'tonight'])],
  // music, radio, podcasts, audiobooks
  () => [pick(['play ', 'play some ', 'play songs by ', 'put on ', 'i want to listen to ', 'shuffle ', 'play the new album by ', 'play music from ', 'i like ', 'i don\'t like ', 'save this song by ']), pick(ARTISTS), pick(['', '', ' please', ' on spotify', ' in the kitchen', ' loud'])],
  () => [pick(['play ', 'play the song ', 'play me ', 'who sings ', 'what album is ', 'repeat ', 'add this song ']), pick(SONGS), pick(['', '', ' by ' + pick(ARTISTS), ' on repeat', ' to my playlist'])],
  () => [pick(['play ', 'tune in to ', 'turn on ', 'put on ', 'switch to ']), pick(RADIO)],
  () => [pick(['play the next episode of ', 'play ', 'resume ', 'play the latest episode of ', 'continue ', 'what is the newest episode of ']), pick(PODCASTS), pick(['', ' podcast', ''])],
  () => [pick(['play the audiobook ', 'resume ', 'continue reading ', 'read me ', 'play chapter three of ', 'start the audiobook of ']), pick(AUDIOBOOKS)],
  () => [pick(['play ', 'put on ']), pick(['some jazz', 'some rock music', 'relaxing music', 'classical music', 'country music', 'my workout playlist', 'the top forty', 'christmas songs', 'something upbeat', 'music for sleeping', 'my discover weekly'])],
  () => [pick(['turn it up', 'volume down', 'mute', 'skip this song', 'next song', 'pause the music', 'louder please', 'what song is this', 'who is this artist', 'like this song', 'set volume to five', 'stop the music', 'turn on shuffle'])],
  // news
  () => [pick(['what\'s the latest news from ', 'read me the headlines from ', 'news from ', 'give me the top stories on ']), O(pick(NEWS_SOURCES)), pick(['', ' today', ' about the economy'])],
  () => [pick(['what\'s happening in ', 'news in ', 'latest news in ', 'any news from ']), L(pick(TOWNS))],
  () => [pick(['what is the latest sports news', 'what\'s in the news today', 'tell me the headlines', 'any breaking news', 'what\'s trending on twitter', 'news about the stock market', 'latest technology news', 'what is the news about brexit'])],
  // iot
  () => [pick(['turn off the lights in the ', 'dim the lights in the ', 'turn on the lights in the ', 'set the lights to blue in the ', 'switch off the lamp in the ', 'turn down the lights in the ']), pick(['kitchen', 'bedroom', 'living room', 'hallway', 'bathroom', 'garage', 'den', 'nursery']), pick(['', ' please', ' now'])],
  () => [pick(['start the vacuum', 'turn on the hoover', 'make me a coffee', 'start the coffee machine', 'turn on the wemo plug', 'lock the front door', 'set the thermostat to seventy', 'turn the heating up', 'open the blinds', 'turn on the robot vacuum', 'is the garage door closed', 'turn off the tv', 'start the dishwasher', 'make the lights brighter', 'change the lights to party mode'])],
  // lists
  () => {
    const [head, tails] = pick<[string, string[]]>([['add ', [' to my shopping list', ' to the list']], ['put ', [' on the grocery list']], ['remove ', [' from the list', ' from my shopping list']], ['i need ', ['', ' from the store']], ['we are out of ', ['']]]);
    return [head, pick(GROCERIES), pick(tails)];
  },
  () => [pick(['create a new list called ', 'make a list named ', 'what is on my ', 'delete my ', 'read my ']), pick(['groceries', 'to do', 'christmas presents', 'packing list', 'books to read', 'hardware store', 'party supplies', 'chores']), pick(['', ' list'])],
  // calendar without a person
  () => [pick(['what\'s on my calendar ', 'do i have any meetings ', 'am i free ', 'clear my calendar ', 'what is my schedule ', 'add a dentist appointment ', 'remind me to take my pills ', 'remind me to water the plants ', 'book the car service ']), when()],
  () => [pick(['remind me to call ', 'set up a meeting with ', 'remind me to email ', 'schedule lunch with ', 'email ', 'call ', 'text ', 'send a message to ', 'message ']), pick(RELATIONS), pick(['', ' ' + pick(WHEN), ' about the bill', ' that i love them', ' about dinner'])],
  () => [pick(['call ', 'ring ', 'email ', 'send a complaint to ', 'tweet ', 'contact ', 'find the phone number of ']), O(pick(BUSINESSES)), pick(['', ' customer service', ' about my order', ' support', ' that my order is late'])],
  () => [pick(['mark ', 'mark all ', 'delete ', 'archive ', 'flag ']), pick(['this email as read', 'emails as read', 'the spam', 'this message as important', 'the last email', 'my emails from last week'])],
  () => [pick(['do i have any new emails', 'read my emails', 'check my inbox', 'any unread messages', 'send an email', 'reply to the last email', 'how many emails do i have', 'any emails from work', 'did my boss email me', 'what did mom text me'])],
  // social without a person
  () => [pick(['post on facebook ', 'tweet ', 'update my status to ', 'post a picture on instagram ', 'share on twitter ']), pick(['that i\'m at the beach', 'happy new year everyone', 'i love mondays', 'feeling great', 'the game was amazing', 'my new haircut', 'that the service at ' + pick(BUSINESSES) + ' was terrible'])],
  () => [pick(['tweet at ', 'complain to ', 'send a tweet to ']), O(pick(BUSINESSES)), pick([' about my delayed flight', ' that my package is lost', ' about bad service'])],
  // qa without a person
  () => [pick(['what is the capital of ', 'how big is ', 'what is the population of ', 'how far is it to ', 'what language do they speak in ', 'tell me about ']), L(pick(TOWNS))],
  () => {
    const [head, tails] = pick<[string, string[]]>([['define ', ['']], ['what does ', [' mean']], ['what is the meaning of ', ['']], ['spell ', ['']], ['what is a synonym for ', ['']], ['how do you say ', [' in french', ' in spanish']]]);
    return [head, pick(['grace', 'hope', 'will', 'mark', 'bill', 'june', 'rose', 'jack', 'sue', 'art', 'faith', 'frank', 'earnest', 'serendipity', 'pearl', 'amber', 'summer', 'chance', 'major', 'journey']), pick(tails)];
  },
  () => [pick(['what is the exchange rate to ', 'how much is a dollar in ', 'convert fifty pounds to ']), pick(['euros', 'yen', 'pesos']), pick(['', ' today'])],
  () => {
    const [head, tail] = pick<[string, string]>([['what is the stock price of ', ''], ['how is ', ' stock doing'], ['is ', ' stock up today'], ['how much is a share of ', ' today']]);
    return [head, O(pick(BUSINESSES)), tail];
  },
  () => [pick(['what is twenty plus fifteen', 'what is the square root of eighty one', 'how many ounces in a pound', 'how tall is mount everest', 'how deep is the ocean', 'why is the sky blue', 'who invented the telephone', 'who won the world cup', 'who is the president of france', 'who wrote hamlet', 'who painted the mona lisa', 'what is the tallest building', 'how many people live in china', 'who was the first man on the moon', 'who is the richest person in the world'])],
  // recommendations
  () => [pick(['recommend a restaurant in ', 'what are good bars in ', 'any events in ', 'what is there to do in ', 'find a good hotel in ', 'suggest a museum in ']), L(pick(TOWNS)), ...(chance(0.3) ? [' ', when()] : [])],
  () => [pick(['recommend a good movie', 'what movies are playing tonight', 'suggest a comedy', 'what\'s a good thriller', 'any good art exhibitions this weekend', 'recommend some art galleries', 'what concerts are on this weekend', 'find me a romantic comedy', 'is there a jazz festival near me', 'recommend a good book'])],
  () => [pick(['how do i get to ', 'what time does ', 'is ', 'opening hours of ', 'find the nearest ', 'take me to ']), ...(chance(0.5) ? [O(pick(BUSINESSES))] : [L(pick(VENUES))]), pick(['', ' open', ' close', ' open on sundays'])],
  // takeaway
  () => {
    const [head, tails] = pick<[string, string[]]>([['order a pizza from ', ['', ' for delivery', ' tonight']], ['order takeaway from ', ['', ' tonight']], ['does ', [' deliver', ' do takeaway']], ['what is the status of my order from ', ['']], ['how long will my order from ', [' take']], ['get me dinner from ', ['', ' tonight']]]);
    return [head, O(pick(BUSINESSES.slice(0, 27))), pick(tails)];
  },
  () => [pick(['order ', 'i want to order ', 'get me ', 'find a place that delivers ']), pick(['a large pepperoni pizza', 'chinese food', 'thai food', 'sushi', 'a burger and fries', 'indian takeaway', 'fish and chips', 'a chicken caesar wrap', 'pad thai'])],
  // transport
  () => [pick(['book a train ticket to ', 'how do i get to ', 'when is the next train to ', 'book a taxi to ', 'what is the traffic like to ', 'get me an uber to ', 'buy a bus ticket to ', 'how long is the drive to ', 'book a flight to ']), L(pick(TOWNS)), ...(chance(0.4) ? [' ', when()] : [])],
  () => [pick(['call a taxi', 'get me a cab', 'book an uber', 'is there traffic on the way to work', 'how is the traffic on the m twenty five', 'when is the next bus', 'is my train on time', 'how much is a ticket to the airport'])],
  () => [pick(['book a ', 'call a ', 'get me a ']), O(pick(['uber', 'lyft', 'amtrak', 'greyhound'])), pick([' to the airport', ' home', ' ride', ' ticket ' + pick(WHEN)])],
  // cooking
  () => [pick(['how do i make ', 'give me a recipe for ', 'how long do i cook ', 'what do i need for ', 'find a recipe for ', 'how many calories are in ']), pick(FOODS)],
  () => [pick(['how long to boil an egg', 'how do i cook rice', 'what temperature to roast a chicken', 'convert two cups to grams', 'what can i make with chicken and rice', 'set a timer for ten minutes', 'how long to bake a potato'])],
  // chit-chat
  () => [pick(['tell me a joke', 'how are you', 'good morning', 'thank you', 'you are funny', 'what is your name', 'do you like music', 'sing me a song', 'i am bored', 'tell me something interesting', 'are you a robot', 'what can you do', 'good night', 'i love you', 'tell me a riddle', 'what is the meaning of life', 'do you have a boyfriend', 'you are so smart', 'say something funny', 'tell me a story'])],
  () => [pick(['i hope ', 'i wish ', 'will you ', 'may i ', 'can i ']), pick(['it doesn\'t rain', 'you have a good day', 'remind me later', 'ask you something', 'change your voice', 'it snows for christmas', 'be my friend'])],
  // words that are names, in their plain sense
  () => [pick(['pay my phone bill', 'when is my electricity bill due', 'how much is my gas bill', 'split the bill four ways', 'jack up the volume', 'turn up the volume a notch', 'say grace', 'play amazing grace', 'is it cold in june', 'what is the weather in may', 'remind me in april to renew my license', 'show me some art', 'mark my calendar for the fifth', 'will it be hot this summer', 'when does autumn start', 'i hope it is sunny tomorrow', 'buy a dozen red roses', 'order roses for mother\'s day', 'what day is father\'s day', 'find a rose garden near me', 'how do i sue my landlord', 'how much does a rich tea biscuit weigh', 'play frank sinatra', 'play some hope sandoval', 'price of gold today', 'find the best price on a tv', 'play a game', 'how long is the major league season', 'is the king of the netherlands married'])],
];

function request(i: number): Doc {
  const pieces = (chance(0.34) ? pick(withPerson) : pick(withoutPerson))();
  if (chance(0.12)) pieces.unshift(pick(WAKE));
  return build(`spe-${String(i).padStart(4, '0')}`, pieces);
}

const docs: Doc[] = Array.from({ length: 560 }, (_, i) => request(i + 1));
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.stdout.write(`spoken-requests-e.jsonl: ${writeDevSet('spoken-requests-e.jsonl', docs)}\n`);
}
