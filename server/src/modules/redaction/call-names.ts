/**
 * Names that a call says which they are (R-DATA-2, issue 30), in lower case speech:
 * - after the part of a name it is ("first name jewel last name best", "the last name is house",
 *   "surname glass"): the words are that part even when a dictionary holds them;
 * - after a clinician's role said in words ("the p a dvorak", "nurse practitioner yamamoto", "my
 *   physician assistant ochoa"), as after "doctor";
 * - after "with" or "to see" once a time or a date is said ("monday at noon with broussard", "the
 *   fifth at ten thirty to see whitfield"): whom the appointment is with, when no dictionary holds the word
 *   or it is a known family name.
 * Called from utterance.ts for speech only.
 */
import { WORD } from './gazetteer.ts';
import { ENDS_NAME, NOT_NAME, isContraction } from './names.ts';
import { candidate, type Candidate } from './resolution.ts';
import { isNumberWord } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

/** Words before "name" that say which part it is. */
const PARTS = new Set(['first', 'last', 'middle', 'maiden', 'family', 'given', 'sur']);
/** Between the part and the name: "last name is", "last name uh it's". */
const BETWEEN = new Set(['is', 'it', 'its', 'uh', 'um', 'okay', 'ok', 'oh', 'yeah', 'sure', 'of', 'the', 'patient', 'patients', 'on', 'file', 'account']);
/** Words that a name said after its part never holds. */
const NEVER_PART = new Set(['spelled', 'spell', 'spelling', 'that', "that's", 'thats', 'please', 'first', 'last', 'middle', 'name', 'and', 'no', 'sorry', 'wait', 'as', 'like', 'for', 'with', 'same', 'too', 'again', 'then', 'only', 'here', 'over', 'at', 'from', 'hold', 'hang']);
const MAX_NAME_WORDS = 3;

/** Up to three name words from token k: no filler, verb that ends a name, number word or spelled letter. */
function nameWordsFrom(tokens: readonly Token[], k: number, anyWord: boolean): number {
  let last = -1;
  for (let m = k; m < tokens.length && m < k + MAX_NAME_WORDS; m++) {
    const t = tokens[m]!;
    // One space between the words of a name: a line break or a comma ends it.
    if (m > k && t.start !== tokens[m - 1]!.end + 1) break;
    if (t.isDigits || t.lower.length < 2 || NEVER_PART.has(t.lower) || ENDS_NAME.has(t.lower) || (t.tags & TAG.NOT_NAME) !== 0 || isNumberWord(t.lower) || isContraction(t.lower) || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.RELATION)) !== 0) break;
    if (!anyWord && (t.flags & WORD.DICTIONARY) !== 0 && (t.flags & (WORD.FIRST | WORD.LAST)) === 0) break;
    last = m;
  }
  return last;
}

/** "first name jewel", "last name is best", "surname house". */
function nameParts(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const isPart = (t.lower === 'name' && i > 0 && PARTS.has(tokens[i - 1]!.lower)) || t.lower === 'surname' || t.lower === 'lastname' || t.lower === 'firstname';
    if (!isPart) continue;
    let k = i + 1;
    while (k < tokens.length && k < i + 4 && BETWEEN.has(tokens[k]!.lower)) k++;
    // The answer on the next line is the answer's (utterance.ts reads what a question asks of the next line).
    if (k >= tokens.length || text.slice(t.end, tokens[k]!.start).includes('\n')) continue;
    const last = nameWordsFrom(tokens, k, true);
    if (last >= k) out.push(candidate('namePart', tokens[k]!.start, tokens[last]!.end, 'NAME', 0.8));
  }
}

/** A clinician's role said in words, ending at token i: "p a", "n p", "nurse practitioner", "physician assistant". */
function roleEndsAt(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]!.lower;
  const p = tokens[i - 1]?.lower;
  if (w === 'a') return p === 'p';
  if (w === 'p') return p === 'n';
  if (w === 'practitioner') return p === 'nurse';
  if (w === 'assistant') return p === 'physician' || p === "physician's" || p === 'physicians';
  return w === 'midwife' || w === 'pa' || w === 'np' || w === 'aprn';
}

function clinicianRoles(tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (!roleEndsAt(tokens, i)) continue;
    const last = nameWordsFrom(tokens, i + 1, true);
    if (last > i) out.push(candidate('cuedName', tokens[i + 1]!.start, tokens[last]!.end, 'NAME', 0.75));
  }
}

/** A word that ends a time or a date said in a call: "noon", "thirty", "a m", "fifth". */
const ORDINAL = /^(?:\d+(?:st|nd|rd|th)|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth))$/;
const WHEN_WORDS = new Set(['noon', 'm', 'clock', "o'clock", 'am', 'pm', 'morning', 'afternoon', 'evening']);
function endsWhen(t: Token): boolean {
  return t.isDigits || isNumberWord(t.lower) || WHEN_WORDS.has(t.lower) || ORDINAL.test(t.lower);
}

function appointmentWith(tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 2; i + 1 < tokens.length; i++) {
    const w = tokens[i]!.lower;
    let before = -1;
    if (w === 'with') before = i - 1;
    else if (w === 'see' && tokens[i - 1]!.lower === 'to') before = i - 2;
    if (before < 0 || !endsWhen(tokens[before]!)) continue;
    const last = nameWordsFrom(tokens, i + 1, false);
    if (last > i) out.push(candidate('lexicalName', tokens[i + 1]!.start, tokens[last]!.end, 'NAME', 0.7));
  }
}

/** Words after which a closing offer of help ends: "anything else i can help with", "anything else today". */
const OFFER_ENDS = new Set(['with', 'today']);
/** Words said to the caller at the end of an offer that are no name ("anything else today sir"). */
const NOT_ADDRESSED = new Set(['sir', 'maam', "ma'am", 'madam', 'miss', 'mister', 'mr', 'mrs', 'ms', 'dear', 'hun', 'honey', 'please', 'then', 'now', 'there', 'here', 'that', 'this', 'everything', 'anything', 'something', 'it', 'you', 'yourself', 'friend']);

/**
 * The caller named at the end of the agent's closing offer ("is there anything else i can help with hardy",
 * "anything else today iyer"): one or two words that end the line, after "else" and "with" or "today", a
 * title between allowed. The offer names no thing there, so even a word is the name ("anything else today king").
 */
function addressedInOffer(text: string, tokens: readonly Token[], out: Candidate[]): void {
  for (let i = 2; i + 1 < tokens.length; i++) {
    if (!OFFER_ENDS.has(tokens[i]!.lower)) continue;
    let elseAt = false;
    for (let k = i - 1; k >= 0 && k >= i - 6 && !elseAt; k--) elseAt = tokens[k]!.lower === 'else';
    if (!elseAt) continue;
    let k = i + 1;
    if ((tokens[k]!.flags & WORD.TITLE) !== 0 && tokens[k + 1] !== undefined) k++;
    let last = -1;
    for (let m = k; m < tokens.length && m < k + 2; m++) {
      const t = tokens[m]!;
      if (text.slice(tokens[m - 1]!.end, t.start).includes('\n') || t.isDigits || t.lower.length < 2 || NOT_ADDRESSED.has(t.lower) || ENDS_NAME.has(t.lower) || (t.tags & TAG.NOT_NAME) !== 0 || isNumberWord(t.lower) || isContraction(t.lower) || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.RELATION)) !== 0) break;
      last = m;
    }
    // The words end the line (or the text): an offer said in the middle of a line goes on with something else.
    const after = last >= 0 ? tokens[last + 1] : undefined;
    if (last < 0 || (after !== undefined && !text.slice(tokens[last]!.end, after.start).includes('\n'))) continue;
    out.push(candidate('cuedName', tokens[k]!.start, tokens[last]!.end, 'NAME', 0.75));
    i = last;
  }
}

/** Names in a call that say which they are: parts of a name, clinicians' roles, whom an appointment is with. */
/** Words without which an utterance holds none of these cues (tagged: utterance.ts reads the tag with each token). */
const CALL_NAME_TRIGGERS: ReadonlySet<string> = new Set(['name', 'surname', 'lastname', 'firstname', 'with', 'see', 'p', 'practitioner', 'assistant', 'midwife', 'pa', 'np', 'aprn', 'today']);
tagWords(CALL_NAME_TRIGGERS, TAG.CALL_NAME_TRIGGER);

export function callNames(text: string, tokens: readonly Token[], includeClinicians: boolean, out: Candidate[]): void {
  nameParts(text, tokens, out);
  addressedInOffer(text, tokens, out);
  if (!includeClinicians) return;
  clinicianRoles(tokens, out);
  appointmentWith(tokens, out);
}
