/**
 * Identifiers of spoken calls that the redaction engine leaves in place on purpose or misses, found
 * for the AI gateway only (R-AI-1, R-AI-3: nothing a vendor may read back as PHI; the engine's own
 * precision for masked views is unchanged). Each is a span the pseudonymiser replaces by a surrogate:
 *   - the agent's name in a greeting ("riverside health haruka how can i help");
 *   - a name given alone before "i should be listed";
 *   - a name spelled out letter by letter ("d a v i s");
 *   - an age said in words after "i'm", "he's", "they is" … (the engine masks ages over 89 only, as
 *     Safe Harbor asks; a model needs no age ≤ 89 either);
 *   - a day of the month said as an ordinal ("the twenty eighth at noon").
 *   - (general rules, not tuned on any call) a word that is a given or family name of the gazetteer and
 *     no English word of its dictionary; a US state said alone (the engine leaves states, as Safe
 *     Harbor allows; a model needs none); more lead words of ages ("i'll be", "age is", "… years old");
 *     an ordinal day after "on the", "by the", "until the" … or before a weekday or "of the month".
 *   - (general rules found on the tuning seeds 3–6, never on the lockbox) the name after a name cue
 *     ("my maiden name yamamoto", "under my old name …", "my name is …"), after a relation ("my sibling
 *     seoyeon"), before "by the way|calling|speaking" ("i'm haruka by the way"), and at the start of the
 *     answer to a question asking for a name ("what's your name …" → "jack yes i'm on it"): a word there
 *     is taken for a name when it is a gazetteer name or no English word; more subjects of ages ("they's
 *     forty five"), spoken ages before "years old"; and a run of four or more spoken digits ("double nine
 *     two one seven", a ZIP code or a piece of a phone number); and (seeds 7–10) a surname after a title
 *     when it is no common English word ("doctor shin"), and an utterance that is
 *     only single letters ("uh x u": a short name spelled out).
 *   - (general rules, seeds 3–10 again) a one-word name before "by the way" even when it is an English
 *     word ("i'm wren by the way"; "i'm fine by the way" is no one), the one greeted at the start of an
 *     utterance before a new clause ("hi wren i have your details"), and the word after a courtesy title
 *     (mr, mrs, ms, mister, missus) even when it is an English word ("missus king").
 *   - (general rules, tuning seeds 11–48) the answer to a name question, or to whether the caller is
 *     listed, on file or on the patient's authorization, opens with the caller's name even when it is an
 *     English word ("wren yes i'm on it", "wren rossi r o s s i"), and an utterance opening with a word
 *     that is no English word before "yes" is a name after any question ("hiroshi yes i'm on it"); a
 *     word followed by its own spelling is a name ("shin s h i n"), and two letters after a name cue
 *     spell one ("last name x u"); a run of spoken letters and digits is an identifier ("five q c seven
 *     k v four n p nine three"), and "for", "to", "too", "won" and "ate" count as digits inside a run
 *     of spoken digits ("three for three to"); an English given name before a surname in a name slot
 *     ("my name is wren okafor"); a child's age in words after a person ("they's fifteen"; masked
 *     wherever the call says it, like every spoken age, "four fifteen" too); someone asked for by name ("looking for bao");
 *     a letter said "as in" a word inside a spoken id ("x as in x ray").
 * Tuned on the demo calls of seeds 1 and 3–48; seed 2 is kept as the lockbox (npm run bench:ai reports both).
 */
import { gazetteer } from '../redaction/index.ts';
export interface CueSpan {
  start: number;
  end: number;
  cls: 'PERSON' | 'AGE' | 'DATE' | 'LOCATION' | 'ID';
}

/** Words that end a greeting before "how can i help" and are no one's name. */
const GREETING_WORDS = new Set([
  'health', 'healthcare', 'partners', 'clinic', 'center', 'centre', 'community', 'medical', 'care', 'office', 'calling', 'today', 'you', 'hi', 'hello',
  'hey', 'so', 'okay', 'ok', 'and', 'now', 'well', 'yes', 'yeah', 'um', 'uh', 'again', 'morning', 'afternoon', 'evening', 'there', 'great', 'sure',
  'thanks', 'here', 'right', 'alright', 'then', 'line', 'desk', 'scheduling', 'billing', 'pharmacy', 'nurse', 'i', 'me', 'we', 'us', 'please',
]);
const GREETING = /(?<![\p{L}'])(\p{L}[\p{L}'-]*) (?:speaking|how (?:can|may) i help|what can i do for you)\b/giu;
const LISTED = /(?:^|\n[a-z_]+: )((?:\p{L}[\p{L}'-]* ){0,2}?\p{L}[\p{L}'-]*)(?: uh| um)? i should be listed\b/giu;
const SPELLED = /(?<![\p{L}\p{N}])\p{L}(?:[ .-]+\p{L}){2,}(?![\p{L}\p{N}])/gu;
const TENS = '(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)';
const UNITS = '(?:one|two|three|four|five|six|seven|eight|nine)';
const SPOKEN_AGE = `(?:${TENS}(?:[ -]${UNITS})?|eighteen|nineteen|(?:a |one )?hundred(?: and ${UNITS}| and ten| ${UNITS})?)`;
const AGE = new RegExp(`\\b(?:i'm|i am|(?:he|she|they|we|you)(?:'s|'re| is| are| was| were)|who is|who's|turn(?:ed|s|ing)?|aged?|(?:i|he|she|they|you)'ll be|(?:i|he|she|they|you) will be|age is|ages?|was) (${SPOKEN_AGE})\\b(?! (?:dollars?|cents?|percent|minutes?|hours?|days?|weeks?|months?|pounds?|milligrams?|times|degrees|o'clock|thousand|hundred))`, 'gi');
const ORDINAL_UNITS = '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)';
const DAY = new RegExp(`\\bthe ((?:twenty|thirty)[ -]${ORDINAL_UNITS}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|${ORDINAL_UNITS}(?= at\\b))\\b`, 'gi');

/** A child's age in words ("they's fifteen", "she's three"): after a person and a verb only, never before a unit or "of". */
const CHILD_AGE_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen'];
const CHILD_AGE = new RegExp(
  `\\b(?:(?:he|she|they|you)(?:'s|'re| is| are| was| were)|who is|who's|turn(?:ed|s|ing)?|aged?|(?:he|she|they)'ll be|(?:he|she|they) will be) (${CHILD_AGE_WORDS.join('|')})\\b`
    + `(?! (?:of|to|in|on|at|more|less|times|dollars?|cents?|percent|minutes?|hours?|days?|weeks?|months?|pounds?|milligrams?|degrees|o'clock|thousand|hundred|${TENS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|${UNITS}|p m|a m|pm|am)\\b)`,
  'gi',
);
const DIGIT_AGE = new RegExp(`\\b(\\d{1,3}|${SPOKEN_AGE}) (?:years?[ -]old|year-old|yo)\\b`, 'gi');
const LEAD_DAY = new RegExp(`\\b(?:on|by|until|till|before|after|from|for|since) the ((?:twenty|thirty)[ -]${ORDINAL_UNITS}|${ORDINAL_UNITS}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|\\d{1,2}(?:st|nd|rd|th))\\b(?! (?:floor|time|one|thing|page|line|option|step|visit|dose|week|month|year|of (?:those|them|these)))`, 'gi');
const DAY_BEFORE = new RegExp(`\\bthe (${ORDINAL_UNITS}|\\d{1,2}(?:st|nd|rd|th)) (?=(?:of (?:the month|january|february|march|april|may|june|july|august|september|october|november|december)|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b)`, 'gi');
/** Letters of a name word (apostrophes and hyphens inside). */
const WORD = /(?<![\p{L}\p{N}'-])\p{L}[\p{L}'-]*\p{L}(?![\p{L}\p{N}])/gu;

let stateRe: RegExp | null = null;
function states(): RegExp {
  if (!stateRe) {
    const names = [...gazetteer().states].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
    stateRe = new RegExp(`(?<![\\p{L}])(?:${names.join('|')})(?![\\p{L}])`, 'giu');
  }
  return stateRe;
}

/** Words never taken for a name after a cue (function words, fillers, the call's own vocabulary). */
const NOT_NAME = new Set([
  'is', 'was', 'and', 'the', 'a', 'an', 'on', 'in', 'under', 'for', 'it', 'its', "it's", 'that', 'so', 'because', 'still', 'too', 'also', 'there', 'here',
  'of', 'from', 'with', 'as', 'be', 'uh', 'um', 'er', 'oh', 'yes', 'yeah', 'no', 'not', 'i', "i'm", 'me', 'my', 'we', 'you', 'he', 'she', 'they', 'her', 'his',
  'their', 'our', 'your', 'this', 'but', 'or', 'if', 'then', 'now', 'just', 'sure', 'okay', 'ok', 'right', 'well', 'hi', 'hello', 'hey', 'please', 'thanks',
  'calling', 'speaking', 'spelled', 'spelt', 'changed', 'sorry',
]);
/** Fillers that may open the answer to a name question before the name. */
const ANSWER_OPENERS = new Set(['yeah', 'yes', 'yep', 'uh', 'um', 'er', 'oh', 'sure', 'okay', 'ok', 'so', 'well', "it's", 'its', 'it', 'is', 'this', "i'm", 'i', 'am', 'my', 'name', "name's", 'hi', 'hello', 'right', 'sorry']);
const RELATION = '(?:sibling|son|daughter|kid|child|mother|father|mom|mum|dad|wife|husband|partner|spouse|brother|sister|grandmother|grandfather|grandma|grandpa|grandson|granddaughter|grandchild|aunt|uncle|niece|nephew|cousin|friend|neighbou?r|boyfriend|girlfriend|fiance|fiancee|stepson|stepdaughter|stepmother|stepfather|caregiver|roommate)';
const NAME_AFTER = new RegExp(
  `\\b(?:(?:maiden|married|old|former|previous|last|family|legal|full|first|middle|preferred|birth|other) name|(?:my|her|his|their|your|the patient's) name|my ${RELATION}(?:'s name)?|name (?:is|was|'s)|name's)(?: is| was|'s)?(?: uh| um)? (\\p{L}[\\p{L}'-]*(?: \\p{L}[\\p{L}'-]*)?)`,
  'giu',
);
/** Asking for someone by name ("i'm looking for bao is he there", "can i speak to ines"). */
const ASK_FOR = /\b(?:looking for|ask(?:ing)? for|speak(?:ing)? (?:to|with)|talk(?:ing)? (?:to|with)|is this|put me through to|transfer me to) (\p{L}[\p{L}'-]*(?: \p{L}[\p{L}'-]*)?)/giu;
const NAME_BEFORE = /\b(?:i'm|i am|this is|it's) (\p{L}[\p{L}'-]*(?: \p{L}[\p{L}'-]*)?) (?=by the way\b|calling\b|speaking\b|here\b)/giu;
/** "i'm ⟨one word⟩ by the way": a name, even an English word ("wren"), unless it says how one is. */
const ONE_WORD_BY_THE_WAY = /\b(?:i'm|i am|this is|it's) (\p{L}[\p{L}'-]*) by the way\b/giu;
/** Words that say how or where someone is, after "i'm" or a greeting: no one's name. */
const STATE_WORDS = new Set([
  'fine', 'good', 'great', 'well', 'better', 'worse', 'sick', 'ill', 'new', 'back', 'home', 'away', 'out', 'ready', 'done', 'free', 'busy', 'late', 'early',
  'single', 'married', 'divorced', 'widowed', 'retired', 'pregnant', 'diabetic', 'allergic', 'tired', 'worried', 'nervous', 'confused', 'alright', 'all',
  'again', 'everyone', 'everybody', 'guys', 'folks', 'much', 'there', 'doctor', 'nurse', 'ma\'am', 'sir', 'miss', 'dear', 'honey', 'love', 'morning', 'afternoon',
  'evening', 'thanks', 'thank', 'gonna', 'going', 'also', 'actually', 'really', 'glad', 'happy', 'sorry', 'calling', 'here', 'the', 'a', 'an',
]);
/** A greeting that names the one greeted before a new clause ("hi wren i have your details"). */
const VOCATIVE = /^(?:(?:hi|hello|hey|thanks|good (?:morning|afternoon|evening)),? )(\p{L}[\p{L}'-]*),? (?=(?:i|i'm|i've|i'll|we|we're|you|you're|it's|this|so|how|what|let|let's|can|just|yes|welcome|thanks)\b)/iu;
/** A title, then a word: a surname when it is no common English word ("doctor shin"; "doctor said" is no one). */
const TITLE = /\b(?:doctor|dr\.?|nurse|mr\.?|mrs\.?|ms\.?|mx\.?|mister|missus|miss|professor|prof\.?) (\p{L}[\p{L}'-]*)/giu;
const NOT_AFTER_TITLE = new Set(['practitioner', 'practitioners', 'visit', 'visits', 'referral', 'referrals', 'appointment', 'appointments', 'office', 'offices', 'note', 'notes', 'orders', 'portal', 'assistant', 'aide', 'navigator', 'educator', 'triage', 'line', 'who', 'whom']);
/** An utterance that is only single letters (after fillers) spells a name out ("uh x u"). */
const SPELLED_LINE = /^((?:(?:uh|um|er|oh|yeah|yes|yep|sure|right|it's|its|it is|that's|that is|so|okay|ok),? )*)(\p{L}(?:[ .-]+\p{L})+)[.?!]?$/u;
const ASKS_NAME = /\b(?:(?:your|their|his|her|the patient's|the caller's|the) (?:first |last |full |maiden |legal )?name\b|who am i speaking (?:to|with)|who(?:'s| is) calling)/i;
/** A question whether the caller is listed for the patient: the answer opens with the caller's name. */
const ASKS_LISTED = /\bare you (?:listed|on file|(?:on|named on|in) (?:his|her|their|the) (?:authori[sz]ation|release|hipaa|file|account|form|contacts?))/i;
/** Interjections that open an answer and are nobody's name. */
const INTERJECTIONS = new Set([
  'mhm', 'hmm', 'mm', 'mmhmm', 'uh-huh', 'uhhuh', 'yup', 'nope', 'yep', 'gotcha', 'alright', 'perfect', 'absolutely', 'definitely', 'correct', 'exactly',
  'indeed', 'certainly', 'of', 'course', 'great', 'good', 'fine', 'cool', 'awesome', 'totally', 'true', 'affirmative', 'uh', 'um', 'er', 'ah', 'oh', 'hm',
]);
/** Words that may stand between an opening name and "yes" ("cora uh yes", "ezra okay so yes"). */
const NAME_YES = /^(\p{L}[\p{L}'-]*),? (?:(?:uh|um|er|so|okay|ok|well|yeah|right)[,.]? )*(?:yes|yeah|yep)\b/iu;
/** Two or more single letters after a name cue spell a name ("last name x u", "spelled l i"). */
const SPELLED_AFTER_CUE = /\b(?:name(?: is|'s)?|spelled|spelt|spelling|that's|as in)(?: uh| um)? (\p{L}(?:[ .-]+\p{L})+)(?![\p{L}\p{N}])/giu;
/** A two-letter word, then its two letters ("xu x u"). */
const SPELLS_WORD = /(?<![\p{L}\p{N}'-])(\p{L}{2}),? (\p{L}[ .-]+\p{L})(?![\p{L}\p{N}])/gu;
/** Spoken letters and digits mixed, six or more: a member id, a claim or policy number ("five q c seven k v"). */
const ALNUM_TOKEN = `(?:\\p{L} as in (?:x ray|\\p{L}+)|zero|oh|one|two|three|four|five|six|seven|eight|nine|for|to|too|won|ate|double|triple|\\p{L})`;
const ALNUM_RUN = new RegExp(`(?<![\\p{L}\\p{N}])${ALNUM_TOKEN}(?:[ .-]+${ALNUM_TOKEN}){5,}(?![\\p{L}\\p{N}])`, 'giu');
const DIGIT_NAMES = new Set(['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);
/** Words that sound like digits: a digit only inside a run of spoken digits. */
const HOMOPHONES = new Set(['for', 'to', 'too', 'won', 'ate']);
const DIGIT_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)';
const DIGIT_RUN = new RegExp(`(?<![\\p{L}])(?:(?:double|triple) )?${DIGIT_WORD}(?:[ -](?:(?:double|triple) )?${DIGIT_WORD})+(?![\\p{L}])`, 'giu');
/** A run of spoken digits in which "for", "to", … sound like digits: starts on a digit, at least two real ones. */
const HOMOPHONE_RUN = new RegExp(`(?<![\\p{L}])${DIGIT_WORD}(?:[ -](?:${DIGIT_WORD}|for|to|too|won|ate))+(?![\\p{L}])`, 'giu');

/** Whether `w` (lower case) may be a name after a cue: a gazetteer name, or no English word at all. */
function nameLike(w: string, given = false): boolean {
  if (w.length < 2 || NOT_NAME.has(w)) return false;
  const g = gazetteer();
  // A contraction of a word ("they's", "don't") is no name; "o'brien" may be.
  const contracted = /^(\p{L}+)'(?:s|re|ll|ve|d|m|t)$/u.exec(w);
  if (contracted && (NOT_NAME.has(contracted[1]!) || g.dictionary.has(contracted[1]!))) return false;
  if (given) return (g.firstNames.has(w) && !g.commonWords.has(w)) || !g.dictionary.has(w);
  return g.firstNames.has(w) || g.lastNames.has(w) || !g.dictionary.has(w);
}

/** The leading name-like words of `words` (offsets into the text), at most `max`. */
function nameWords(text: string, from: number, to: number, max: number, given = false): CueSpan | null {
  let start = -1;
  let end = -1;
  let n = 0;
  const words = [...text.slice(from, to).matchAll(/\p{L}[\p{L}'-]*/gu)];
  for (const [i, m] of words.entries()) {
    const w = m[0].toLowerCase();
    // A given name that is an English word before a surname that is none ("my name is wren okafor").
    const beforeSurname = n === 0 && i === 0 && max > 1 && words[1] !== undefined && !NOT_NAME.has(w) && !STATE_WORDS.has(w) && !INTERJECTIONS.has(w) && !GREETING_WORDS.has(w)
      && nameLike(words[1][0].toLowerCase());
    if (n === max || (!nameLike(w, given && n === 0) && !beforeSurname)) break;
    if (start < 0) start = from + m.index;
    end = from + m.index + m[0].length;
    n++;
  }
  return start < 0 ? null : { start, end, cls: 'PERSON' };
}

/** A run's digits: "double nine" is two. */
const runDigits = (run: string) => run.toLowerCase().split(/[ -]+/).reduce((n, w, i, all) => (w === 'double' || w === 'triple' ? n : n + (all[i - 1] === 'double' ? 2 : all[i - 1] === 'triple' ? 3 : 1)), 0);

/** Whether `w` (lower case) is a given or family name and no word of the English dictionary. */
export function isNameOnly(w: string): boolean {
  const g = gazetteer();
  if (w.length < 3 || g.dictionary.has(w) || g.commonWords.has(w)) return false;
  return g.firstNames.has(w) || g.lastNames.has(w);
}

export function spokenCueSpans(text: string): CueSpan[] {
  const out: CueSpan[] = [];
  for (const m of text.matchAll(WORD)) {
    if (isNameOnly(m[0].toLowerCase())) out.push({ start: m.index, end: m.index + m[0].length, cls: 'PERSON' });
  }
  for (const m of text.matchAll(states())) out.push({ start: m.index, end: m.index + m[0].length, cls: 'LOCATION' });
  for (const re of [DIGIT_AGE]) {
    for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[1]!.length, cls: 'AGE' });
  }
  for (const re of [LEAD_DAY, DAY_BEFORE]) {
    for (const m of text.matchAll(re)) {
      const start = m.index + m[0].indexOf(m[1]!, m[0].indexOf(' ') + 1);
      out.push({ start, end: start + m[1]!.length, cls: 'DATE' });
    }
  }
  for (const m of text.matchAll(GREETING)) {
    if (!GREETING_WORDS.has(m[1]!.toLowerCase())) out.push({ start: m.index, end: m.index + m[1]!.length, cls: 'PERSON' });
  }
  for (const m of text.matchAll(LISTED)) {
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ start, end: start + m[1]!.length, cls: 'PERSON' });
  }
  for (const m of text.matchAll(SPELLED)) out.push({ start: m.index, end: m.index + m[0].length, cls: 'PERSON' });
  for (const re of [NAME_AFTER, NAME_BEFORE]) {
    for (const m of text.matchAll(re)) {
      const at = m.index + m[0].lastIndexOf(m[1]!);
      // "i'm … by the way": a given name that is no common word ("i'm fine by the way" is no one).
      const s = nameWords(text, at, at + m[1]!.length, 2, re === NAME_BEFORE);
      if (s) out.push(s);
    }
  }
  // Someone asked for by name: a given name that is no common word, or no English word at all ("looking for a refill" is no one).
  for (const m of text.matchAll(ASK_FOR)) {
    const at = m.index + m[0].length - m[1]!.length;
    const s = nameWords(text, at, at + m[1]!.length, 2, true);
    if (s) out.push(s);
  }
  for (const m of text.matchAll(ONE_WORD_BY_THE_WAY)) {
    const w = m[1]!.toLowerCase();
    // A name-like word is NAME_BEFORE's already.
    if (w.length < 2 || NOT_NAME.has(w) || STATE_WORDS.has(w) || nameLike(w, true)) continue;
    const start = m.index + m[0].length - ' by the way'.length - m[1]!.length;
    out.push({ start, end: start + m[1]!.length, cls: 'PERSON' });
  }
  for (const m of text.matchAll(TITLE)) {
    const word = m[1]!.replace(/'s$/i, '');
    const w = word.toLowerCase();
    if (w.length < 2 || NOT_NAME.has(w) || NOT_AFTER_TITLE.has(w)) continue;
    const g = gazetteer();
    // After a courtesy title (never a verb: "miss" is), the word is a surname even when it is an English word ("mrs king").
    if (!g.commonWords.has(w) || /^(?:mr|mrs|ms|mx|mister|missus)\b/i.test(m[0])) {
      const start = m.index + m[0].length - m[1]!.length;
      out.push({ start, end: start + word.length, cls: 'PERSON' });
    }
  }
  // The answer to a question asking for a name opens with the name ("jack yes i'm on it").
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const body = /^[a-z_]+: /.test(line) ? line.indexOf(': ') + 2 : 0;
    const vocative = VOCATIVE.exec(line.slice(body));
    if (vocative) {
      const w = vocative[1]!.toLowerCase();
      if (!NOT_NAME.has(w) && !STATE_WORDS.has(w) && !GREETING_WORDS.has(w)) {
        const start = offset + body + vocative[0].indexOf(vocative[1]!, vocative[0].indexOf(' '));
        out.push({ start, end: start + vocative[1]!.length, cls: 'PERSON' });
      }
    }
    const spelled = SPELLED_LINE.exec(line.slice(body));
    if (spelled) {
      const start = offset + body + spelled[1]!.length;
      out.push({ start, end: start + spelled[2]!.length, cls: 'PERSON' });
    }
    const asked = i > 0 && (ASKS_NAME.test(lines[i - 1]!) || ASKS_LISTED.test(lines[i - 1]!));
    if (asked) {
      let at = body;
      for (const m of line.slice(body).matchAll(/\S+/g)) {
        if (!ANSWER_OPENERS.has(m[0].toLowerCase().replace(/[,.]$/, ''))) break;
        at = body + m.index + m[0].length;
      }
      const first = /^\s*(\p{L}[\p{L}'-]*)(?:,? (\S+))?/u.exec(line.slice(at));
      const w = first?.[1]?.toLowerCase() ?? '';
      let s = INTERJECTIONS.has(w) ? null : nameWords(line, at, line.length, 3);
      // An English word opens the answer as a name when "yes", a filler, the end or a name follows ("wren yes i'm on it", "wren rossi").
      if (!s && first && w.length > 1 && !NOT_NAME.has(w) && !STATE_WORDS.has(w) && !GREETING_WORDS.has(w) && !INTERJECTIONS.has(w) && !ANSWER_OPENERS.has(w)) {
        const next = first[2]?.toLowerCase().replace(/[,.]$/, '');
        if (next === undefined || /^(?:yes|yeah|yep|uh|um|er|so|okay|ok|well)$/.test(next) || nameLike(next)) {
          const start = at + first[0].indexOf(first[1]!);
          s = nameWords(line, start + first[1]!.length, line.length, 2);
          s = { start, end: s && next !== undefined && nameLike(next) ? s.end : start + first[1]!.length, cls: 'PERSON' };
        }
      }
      if (s) out.push({ start: offset + s.start, end: offset + s.end, cls: 'PERSON' });
    }
    // After any question, a word that is no English word opening an answer before "yes" is a name ("hiroshi yes i'm on it").
    const yes = NAME_YES.exec(line.slice(body));
    if (yes) {
      const w = yes[1]!.toLowerCase();
      if (!INTERJECTIONS.has(w) && !ANSWER_OPENERS.has(w) && !GREETING_WORDS.has(w) && !STATE_WORDS.has(w) && nameLike(w, true)) {
        out.push({ start: offset + body, end: offset + body + yes[1]!.length, cls: 'PERSON' });
      }
    }
    // Digits said with words that sound like them ("three for three to"): a whole answer, or four real digits.
    for (const m of line.slice(body).matchAll(HOMOPHONE_RUN)) {
      const words = m[0].toLowerCase().split(/[ -]+/);
      const whole = /^(?:(?:uh|um|yeah|yes|so|okay|ok|it's|its|that's),? )*$/.test(line.slice(body, body + m.index)) && /^[\s.?!]*$/.test(line.slice(body + m.index + m[0].length));
      // Inside a sentence a trailing "to" or "for" is a word ("… nine three for you"); a whole answer is all digits.
      if (!whole) while (words.length && HOMOPHONES.has(words.at(-1)!)) words.pop();
      const digits = words.filter((x) => DIGIT_NAMES.has(x)).length;
      if (words.length < 4 || !words.some((x) => HOMOPHONES.has(x))) continue;
      if (digits >= 4 || (whole && digits >= 2)) {
        out.push({ start: offset + body + m.index, end: offset + body + m.index + words.join(' ').length, cls: 'ID' });
      }
    }
    offset += line.length + 1;
  }
  for (const m of text.matchAll(DIGIT_RUN)) if (runDigits(m[0]) >= 4) out.push({ start: m.index, end: m.index + m[0].length, cls: 'ID' });
  // Spoken letters and digits mixed: an identifier when it has two of each ("six u to four c k four a r three four").
  for (const m of text.matchAll(ALNUM_RUN)) {
    const tokens = [...m[0].matchAll(/\p{L}+/gu)];
    while (tokens.length && (HOMOPHONES.has(tokens[0]![0].toLowerCase()) || /^(?:a|i)$/i.test(tokens[0]![0]))) tokens.shift();
    while (tokens.length && (HOMOPHONES.has(tokens.at(-1)![0].toLowerCase()) || /^(?:a|i|double|triple)$/i.test(tokens.at(-1)![0]))) tokens.pop();
    const letters = tokens.filter((t) => t[0].length === 1).length;
    const digits = tokens.filter((t) => DIGIT_NAMES.has(t[0].toLowerCase())).length;
    if (tokens.length >= 6 && letters >= 2 && digits >= 2) {
      out.push({ start: m.index + tokens[0]!.index, end: m.index + tokens.at(-1)!.index + tokens.at(-1)![0].length, cls: 'ID' });
    }
  }
  // A spelled name: two letters after a name cue ("last name x u"); the word a spelling follows ("shin s h i n"),
  // and the spelled word wherever else the call says it.
  const spelled: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(SPELLED_AFTER_CUE)) {
    const start = m.index + m[0].length - m[1]!.length;
    spelled.push({ start, end: start + m[1]!.length });
    out.push({ start, end: start + m[1]!.length, cls: 'PERSON' });
  }
  for (const m of text.matchAll(SPELLED)) spelled.push({ start: m.index, end: m.index + m[0].length });
  // Two letters that spell the word before them ("eleanor xu x u").
  for (const m of text.matchAll(SPELLS_WORD)) {
    if (m[2]!.replace(/[ .-]+/g, '').toLowerCase() !== m[1]!.toLowerCase()) continue;
    const start = m.index + m[0].length - m[2]!.length;
    spelled.push({ start, end: start + m[2]!.length });
    out.push({ start, end: start + m[2]!.length, cls: 'PERSON' });
  }
  const spelledWords = new Set<string>();
  for (const sp of spelled) {
    const word = text.slice(sp.start, sp.end).replace(/[ .-]+/g, '').toLowerCase();
    if (word.length >= 2 && !NOT_NAME.has(word)) spelledWords.add(word);
  }
  if (spelledWords.size) {
    for (const m of text.matchAll(/(?<![\p{L}\p{N}'-])\p{L}[\p{L}'-]*\p{L}(?![\p{L}\p{N}])/gu)) {
      const w = m[0].toLowerCase().replace(/'s$/, '');
      if (spelledWords.has(w)) out.push({ start: m.index, end: m.index + w.length, cls: 'PERSON' });
    }
  }
  for (const m of text.matchAll(CHILD_AGE)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ start, end: start + m[1]!.length, cls: 'AGE' });
  }
  for (const m of text.matchAll(AGE)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ start, end: start + m[1]!.length, cls: 'AGE' });
  }
  for (const m of text.matchAll(DAY)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ start, end: start + m[1]!.length, cls: 'DATE' });
  }
  return out;
}
