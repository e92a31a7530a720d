/**
 * Person names and places in calls (R-DATA-2, lower-case speech recognition output): a known given name
 * that is not also a common English word ("tom", "claire"), the words after a strong cue ("my name is
 * raju"), greetings and requests ("hello is this jo tran", "text mei"), and towns after "in", "near".
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import type { Token } from './tokens.ts';
import { isNumberWord } from './spoken-numbers.ts';
import { lexiconWords } from './lexicons.ts';
import { MEDIA_HEAD, boughtAt, languageAt, resumedTitleAt, tasteAt, openingHoursAt, verbIndex, destinationAt, dishAskedAbout, foundersBusinessAfter, listItemAt, settingAt, songSlotAt, titleAfter, townAfterHome, travelPlaceAt, venueAfter } from './request-slots.ts';
import { TAG, tagWords } from './word-tags.ts';
import { KIN, askedAboutAt, askedPersonEnd, askedUnknownPersonEnd, holidayOrCountryAt, barePossessiveOfPerson, personSlotAt, personSlotBefore, willNameEnd, dishOrProductAt, isPossessive, personVerbAt, possessiveOfPerson, possessiveOwnsNothing, contactSavedAt, statementSubjectAt, timeGreetingBefore, wordAskedAbout } from './request-cues.ts';
import { NAME_SYLLABLE, agentIntroAt, familyAfter, familyCandidate, ownsThingAt, stateAfterIts } from './request-grammar.ts';
import { CLINICIAN_TITLES, NAME_CUE, NOT_NAME, STRONG_CUE, cueBefore, directRequestBefore, introBefore, isContraction, placeAt, requestBefore, spokenGivenName, type LexicalMatch } from './name-cues.ts';

export function spoken(text: string, tokens: readonly Token[], g: Gazetteer, includeClinicians: boolean): LexicalMatch[] {
  const out: LexicalMatch[] = [];
  /** The token after "and" / "or" / "," that follows a name: a given name or no English word there is the next name of a list. */
  let listNext = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.lower === 'will') {
      // "call will", "is this will novakova": the one modal verb that is also a common given name.
      const j = willNameEnd(text, tokens, i, personSlotBefore);
      if (j >= 0) out.push({ start: t.start, end: tokens[j]!.end, label: 'NAME', confidence: 0.7 });
      i = Math.max(i, j);
      continue;
    }
    if (t.isDigits || t.lower.length < 2 || (t.flags & WORD.NUMBER) !== 0 || (t.flags & WORD.NEVER_NAME) !== 0 || isContraction(t.lower)) continue;
    // "who is tom cruise related to", "facts about bill gates": a person asked about, whose family name is a word.
    // "how old is xi jinping", "where was usain bolt born": words no list knows, where only a person is asked about.
    const asked = (t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 ? askedPersonEnd(tokens, i) : (t.flags & WORD.DICTIONARY) === 0 ? askedUnknownPersonEnd(tokens, i) : -1;
    if (asked > 0) {
      out.push({ start: t.start, end: tokens[asked]!.end, label: 'NAME', confidence: 0.75 });
      i = asked;
      continue;
    }
    // "valentine's day", "mother's day": a possessive before "day" names a holiday, not a person.
    if (tokens[i + 1]?.lower === 'day' && isPossessive(text, t)) continue;
    // The word that says which letter is meant ("w as in william") is no one's name.
    if (i >= 3 && tokens[i - 1]!.lower === 'in' && tokens[i - 2]!.lower === 'as' && tokens[i - 3]!.end - tokens[i - 3]!.start === 1) continue;
    const prev = tokens[i - 1];
    // A saint's name names a church, a hospital or a town ("st marys", "saint luke's").
    if (prev !== undefined && (prev.lower === 'st' || prev.lower === 'saint')) continue;
    // The cue's last word is the word before: checked on the token before the regex runs.
    const strong = prev !== undefined && (prev.flags & WORD.CUE_TAIL) !== 0 && cueBefore(text, t.start, STRONG_CUE);
    // After an article a title is a role, not before a name ("text the nurse line", "ask the judge").
    // A title at the end of a line has no name after it ("anything else today mr" / "thats all").
    const titled = prev !== undefined && (prev.flags & WORD.TITLE) !== 0 && prev.lower !== 'patient' && !ARTICLES.has(tokens[i - 2]?.lower ?? '') && !lineBetween(text, prev.end, t.start);
    if (titled && CLINICIAN_TITLES.has(prev.lower) && !includeClinicians) continue;
    // A town that is also a given name, after "in", "near" or "from", is the town ("weather in london"),
    // unless what comes from there is a message ("new emails from sara").
    // So is one where a trip goes or starts ("a bus from troy to victoria", "how do i get to victoria").
    if (!strong && !titled && prev !== undefined && (t.flags & (WORD.CITY | WORD.PLACE)) !== 0 && (t.flags & WORD.FIRST) !== 0 && (((prev.flags & WORD.TOWN_BEFORE) !== 0 && !(prev.lower === 'from' && requestBefore(text, t.start))) || (travelPlaceAt(text, tokens, i) && !requestBefore(text, t.start))) && !dishAskedAbout(tokens, i)) {
      out.push({ start: t.start, end: t.end, label: 'LOCATION', confidence: 0.6 });
      continue;
    }
    // A US state is a given name only after a cue ("this is georgia"), never alone ("orlando florida").
    // A month that is also a given name ("april", "june") is the month unless a cue says otherwise.
    const isFirst = (t.flags & WORD.FIRST) !== 0 && (t.flags & (WORD.DICTIONARY | WORD.DATE)) === 0 && ((t.flags & WORD.STATE) === 0 || introBefore(text, t.start) || requestBefore(text, t.start));
    const isLast = (t.flags & WORD.LAST) !== 0 && (t.flags & WORD.COMMON) === 0;
    const unknownWord = (t.flags & WORD.COMMON) === 0 && (t.flags & WORD.PLACE) === 0;
    let hit = false;
    let confidence = 0.6;
    /** Found by a cue (strong, title, introduction or request): the next word may be a family name that is a word. */
    let cued = false;
    /** The subject of a question ("did mark post anything"): the word after it is a verb, not a newspaper's name. */
    let subject = false;
    if (strong || titled) {
      cued = true;
      // After a title or a strong cue, a family or given name that is also a word too ("mr sparrow", "miss crane").
      hit = (t.flags & WORD.DICTIONARY) === 0 || (t.flags & (WORD.FIRST | WORD.LAST | WORD.FAMILY_WORD | WORD.GIVEN_CUED)) !== 0;
      confidence = 0.85;
    } else if (isFirst) {
      cued = requestBefore(text, t.start) || introBefore(text, t.start);
      // A business's or an app's name that is also a given name is a person's only when a cue says so ("launch pandora", "call pandora").
      hit = cued || !BRANDS.has(t.lower);
      confidence = 0.7;
    } else if (isLast && prev && (prev.flags & WORD.FIRST) !== 0) {
      hit = true;
    } else if (unknownWord && (t.flags & WORD.FIRST) !== 0 && prev !== undefined && (prev.flags & WORD.CUE_TAIL) !== 0 && cueBefore(text, t.start, NAME_CUE)) {
      hit = true;
    } else if ((t.flags & WORD.DICTIONARY) === 0 && (t.flags & WORD.PLACE) === 0 && (t.tags & TAG.ENDS_NAME) === 0 && introBefore(text, t.start)) {
      hit = true;
      cued = true;
      confidence = 0.7;
    } else if (i === listNext && spokenGivenName(t) && ((t.flags & WORD.FIRST) !== 0 || (t.flags & WORD.CLINICAL) === 0)) {
      // "mike jim and bob", "ben and jen", "email susan and metion": the list goes on with names.
      hit = true;
      confidence = 0.7;
    } else if (possessiveOfPerson(text, tokens, i) && (spokenGivenName(t, true) || isLast || (t.flags & WORD.FAMILY_WORD) !== 0 || townWord(t))) {
      // "greg's email", "bob's birthday", "reply to mark's email", "what's tran's email": whose the thing
      // is, is a person, named by a given name (even one that is also a word: "rich's appointment") or a
      // family name that is no common word (even a town's).
      hit = true;
      confidence = 0.75;
    } else if (spokenGivenName(t, true) && (requestBefore(text, t.start) || (introBefore(text, t.start) && !stateAfterIts(tokens, i)) || timeGreetingBefore(tokens, i) || personSlotAt(tokens, i) || askedAboutAt(tokens, i))) {
      // "hello is this jo tran", "text mei i'm late", "what's walt's email": a given name, even one that
      // is also a word ("grant", "summer"), or a word no dictionary holds, is who is asked for.
      hit = true;
      cued = true;
      confidence = 0.75;
    } else if (spokenGivenName(t, true) && (t.flags & WORD.PLACE) === 0 && ((t.tags & TAG.BRAND) === 0 || (t.flags & WORD.FIRST) !== 0) && (statementSubjectAt(tokens, i, i === verbIndex(tokens)) || statementSubjectAt(tokens, i, false))) {
      // "khanh is coming over at six", "tell me when nyra gets home": whom a statement is about.
      hit = true;
      cued = true;
      confidence = 0.7;
    } else if (spokenGivenName(t, true) && (t.flags & WORD.PLACE) === 0 && (contactSavedAt(tokens, i, i, verbIndex(tokens)) || (familyCandidate(tokens[i + 1]) && contactSavedAt(tokens, i, i + 1, verbIndex(tokens))))) {
      // "add kako email t u a n at …", "add todd field with the email …": whom a contact is saved for.
      hit = true;
      cued = true;
      confidence = 0.7;
    } else if (agentIntroAt(tokens, i) && (spokenGivenName(t, true) || townWord(t))) {
      // "riverside haruto speaking", "lakeside community health jack how may i help you": the agent's name
      // said between the organisation and the offer of help.
      hit = true;
      cued = true;
      confidence = 0.75;
    } else if (townWord(t) && (directRequestBefore(text, t.start) || requestBefore(text, t.start) || (introBefore(text, t.start) && !stateAfterIts(tokens, i)) || personSlotAt(tokens, i))) {
      // "email ngozi", "call ngozi at five": whom a call, text or e-mail is for is a person even when some
      // town is called so.
      hit = true;
      cued = true;
      confidence = 0.7;
    } else if (prev !== undefined && ((prev.flags & (WORD.NEVER_NAME | WORD.CUE_TAIL)) !== 0 || prev.lower === 'if' || prev.lower === 'whether') && ((subject = subjectAfterAux(tokens, i)) || forPersonalThing(tokens, i))) {
      // (The auxiliaries are words that end a name, "for" and "of" cue words: one flag test for most tokens.)
      // "did mark post anything", "does bob live in france": a given name, even one that is also a word,
      // as the subject of a question or of a clause after "if"; "the email address for bill": whose thing it is.
      hit = true;
      cued = true;
      confidence = 0.7;
    } else if (barePossessiveOfPerson(tokens, i, g)) {
      // "what's chases email address", "when is jasons graduation": a possessive the recogniser wrote
      // without its apostrophe, before a person's thing.
      hit = true;
      confidence = 0.7;
    } else if (familyAfter(text, tokens, i)) {
      // "bill pullman", "aamir khan": a given name that is also a word before a word no dictionary holds,
      // or a word no dictionary holds before a known family name, is a person's full name.
      hit = true;
      confidence = 0.7;
    }
    if (!hit) continue;
    // "call nana", "text hubby": a word of the family said in place of a name; "define earnest": a word
    // asked about; "put on valerie", "skip jolene", "add roxanne by the eagles": a song or an artist.
    // "turn the fan to max": a setting; "add basil pesto to my cart", "a recipe for beef wellington": a thing.
    if (KIN.has(t.lower) || wordAskedAbout(tokens, i) || languageAt(tokens, i) || (!strong && !titled && (boughtAt(tokens, i) || tasteAt(tokens, i))) || holidayOrCountryAt(tokens, i) || songSlotAt(tokens, i) || settingAt(tokens, i) || (!strong && !titled && (destinationAt(text, tokens, i) || (!cued && (listItemAt(tokens, i) || dishAskedAbout(tokens, i)))))) continue;
    // A word inside a place of several words is the place's ("new york", "san francisco", "west chester",
    // "north dakota"), and so is the first word of one (looked up only for a word taken for a name).
    if (insidePlace(text, tokens, i, g) || ((t.flags & WORD.PLACE_HEAD) !== 0 && (placeAt(text, tokens, i, g) ?? i) > i)) continue;
    let j = i;
    // A family name after the given name: known, or no English word ("raju patel", "george brown").
    // A possessive ends the name ("kenny's facebook").
    while (j + 1 < tokens.length && j < i + 2 && text.charCodeAt(tokens[j]!.end) === CH.SPACE && tokens[j + 1]!.start === tokens[j]!.end + 1 && !isPossessive(text, tokens[j]!)) {
      const n = tokens[j + 1]!;
      // A middle initial, said or written in lower case ("eric g. samoylova", "benjamin a seiler"), when
      // a family name follows it.
      const after = tokens[j + 2];
      // Never before a month or a weekday ("the twenty third of april a saturday").
      if (n.end - n.start === 1 && j === i && after && after.start - n.end <= 2 && after.lower.length > 2 && !after.isDigits && (after.flags & WORD.DATE) === 0 && (((after.flags & WORD.LAST) !== 0 && (after.flags & WORD.COMMON) === 0) || (after.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.NUMBER)) === 0)) {
        j += 2;
        break;
      }
      // "hyun woo", "xin yi": the second syllable of a given name written as two words.
      if (j === i && (cued || (t.flags & WORD.FIRST) !== 0) && NAME_SYLLABLE.has(n.lower)) {
        j++;
        continue;
      }
      const lead = text.charCodeAt(n.start);
      // A person's thing ends the name ("sineads voicemail", "rhys recital"): no family name is one.
      if (isNumberWord(n.lower) || (n.flags & WORD.PERSONAL) !== 0 || (n.tags & TAG.NOT_NAME) !== 0 || (n.tags & TAG.ENDS_NAME) !== 0 || n.isDigits || (lead >= CH.DIGIT_0 && lead <= CH.DIGIT_9) || (n.flags & WORD.PRESS) !== 0 || (n.tags & TAG.BRAND) !== 0 || MEDIA_HEAD.has(n.lower) || isContraction(n.lower) || n.lower.length < 2) break;
      // After a cued given name, a word that is no common one is the family name ("is this paul moody").
      // After a given name that is no common word, a word that is no common one either is the family
      // name, even when a dictionary holds it ("donald trump", "britney spears").
      const knownFamily = (cued || (t.flags & WORD.COMMON) === 0) && j === i && (t.flags & WORD.FIRST) !== 0 && (n.flags & (WORD.COMMON | WORD.PLACE | WORD.STATE | WORD.DATE | WORD.NUMBER | WORD.MEDIA | WORD.PERSONAL)) === 0 && n.lower.length > 2 && !pastTense(n);
      // After a cued given name, a family name that is also a word ("is this lou rich", "my aunt carmen long").
      const familyWord = cued && j === i && (n.flags & WORD.FAMILY_WORD) !== 0 && ((t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 || (t.flags & WORD.DICTIONARY) === 0);
      if (familyWord || ((n.flags & WORD.LAST) !== 0 && (n.flags & WORD.COMMON) === 0) || ((n.flags & WORD.LAST) !== 0 && (t.flags & WORD.FIRST) !== 0 && j === i) || ((n.flags & WORD.DICTIONARY) === 0 && (n.flags & WORD.PLACE) === 0 && n.lower.length > 2) || knownFamily) j++;
      else break;
    }
    // A holiday ("martin luther king day", "columbus day"), a dish or a product named after someone
    // ("peach melba", "jimmy dean sausage") is no one's name, unless a title or a strong cue says it is.
    const namedAfter = !strong && !titled && ((tokens[j + 1]?.lower === 'day' && !cued) || dishOrProductAt(tokens, i, j));
    // A venue's name ("victoria station") or a business named after its founders ("ben and jerry's") is no person's.
    // "the hilton", "the dallas cowboys": a name after an article and no cue is a business's, a team's or a
    // title's; a podcast's host and a person's thing keep the person ("the bill simmons podcast", "the kevin email").
    const afterArticle = !strong && !titled && !cued && prev?.lower === 'the' && !MEDIA_HEAD.has(tokens[j + 1]?.lower ?? '') && ((tokens[j + 1]?.flags ?? 0) & WORD.PERSONAL) === 0;
    // "resume oliver twist", "read me jane eyre": a title; "read me emma kamau's work number" stays a person.
    const resumed = !strong && !titled && resumedTitleAt(tokens, i) && !possessiveOfPerson(text, tokens, j) && !possessiveOfPerson(text, tokens, j + 1) && !ownsThingAt(text, tokens, i, j, g);
    if (namedAfter || afterArticle || resumed || (pressAfter(tokens, j) && !subject) || openingHoursAt(tokens, i, j) || COUNTY_WORDS.has(tokens[j + 1]?.lower ?? '') || businessAfter(text, tokens, j) || (!strong && !titled && (venueAfter(tokens, j) || foundersBusinessAfter(text, tokens, j) || (!cued && titleAfter(tokens, j)))) || (!strong && !titled && possessiveOwnsNothing(text, tokens, j))) {
      i = j;
      continue;
    }
    // "find cash lane's email", "kavitha sandhu's recital": the given name before a family name in the
    // possessive before a person's thing, when no span holds it already.
    const before = tokens[i - 1];
    const withGiven = j === i && possessiveOfPerson(text, tokens, i) && before !== undefined && spokenGivenName(before, true) && (before.flags & WORD.NEVER_NAME) === 0 && !isContraction(before.lower) && (out.length === 0 || out[out.length - 1]!.end < before.start) && text.charCodeAt(before.end) === CH.SPACE && before.end + 1 === t.start;
    out.push({ start: withGiven ? before.start : t.start, end: tokens[j]!.end, label: 'NAME', confidence });
    i = j;
    const joiner = tokens[j + 1];
    // "rosa and also faith": the list goes on after "also".
    if (joiner && (joiner.lower === 'and' || joiner.lower === 'or')) listNext = tokens[j + 2]?.lower === 'also' ? j + 3 : j + 2;
    else if (joiner && text.charCodeAt(tokens[j]!.end) === CH.COMMA) listNext = j + 1;
  }
  // Places said in a call ("i live in springfield"): a gazetteer city that is not a common word or a name;
  // after a place word ("in green bay", "moved to boise") any town of the world's list.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    // A word of the family is no town ("to bro"), nor a dish asked about ("calories in margherita pizza"), nor
    // a business named in the possessive ("the car wash at chili's tonight").
    // The word that says which letter it is ("i as in india") is no place either.
    if (i >= 3 && prev!.lower === 'in' && tokens[i - 2]!.lower === 'as' && tokens[i - 3]!.end - tokens[i - 3]!.start === 1) continue;
    let last = prev !== undefined && (prev.flags & WORD.PLACE_TAIL) !== 0 ? placeAt(text, tokens, i, g) : undefined;
    if (last !== undefined && (KIN.has(t.lower) || dishAskedAbout(tokens, i) || possessiveOwnsNothing(text, tokens, i))) last = undefined;
    if (last !== undefined) {
      // "from the new york times", "the chicago tribune": a newspaper, not a place.
      if (!pressAfter(tokens, last)) out.push({ start: t.start, end: tokens[last]!.end, label: 'LOCATION', confidence: 0.6 });
      i = last;
    } else if (prev?.lower === 'in' && townAfterHome(tokens, i) && (t.flags & (WORD.DICTIONARY | WORD.FIRST | WORD.NUMBER)) === 0 && t.lower.length > 2 && !t.isDigits) {
      // "i live at … oak road in queltaton", "i live in werorotafield": a word no dictionary holds is the town,
      // with a town's part after it ("uladokdal falls").
      const part = tokens[i + 1] !== undefined && (tokens[i + 1]!.flags & WORD.PLACE_PART) !== 0 && tokens[i + 1]!.start === t.end + 1;
      out.push({ start: t.start, end: part ? tokens[i + 1]!.end : t.end, label: 'LOCATION', confidence: 0.6 });
      if (part) i++;
    } else if (t.lower.length > 3 && (t.flags & WORD.PLACE) !== 0 && (t.flags & (WORD.COMMON | WORD.FIRST | WORD.LAST)) === 0 && ((t.flags & WORD.DICTIONARY) === 0 || businessAfter(text, tokens, i)) && !pressAfter(tokens, i) && !dishAskedAbout(tokens, i)) {
      // Said with no place word before it, a place that is also a word is the word ("cook a turkey", "a
      // reunion event"), unless a business is named after it ("riverside health partners").
      out.push({ start: t.start, end: t.end, label: 'LOCATION', confidence: 0.55 });
    }
  }
  return out;
}

/** Auxiliaries that open a question; the word after them is its subject ("did mark post", "does bob live"). */
const AUX = new Set(['did', 'does', 'do', 'has', 'have', 'had', 'is', 'was', 'will', 'would', 'can', 'could', 'should']);
tagWords(AUX, TAG.AUX);
/**
 * Words before such an auxiliary that keep it the opening of a question ("tell me if did …", "so when will
 * grant arrive", "alexa does bob …"); after a pronoun or a noun it is no question ("i will mark it").
 */
const BEFORE_AUX = new Set(['if', 'whether', 'when', 'where', 'why', 'how', 'what', 'and', 'so', 'but', 'alexa', 'olly', 'google', 'siri', 'hey', 'ok', 'okay', 'well', 'please', 'oh']);

/** A given name (even one that is also a word, but no month or season) or a word no dictionary holds. */
function givenOrUnknown(t: Token): boolean {
  return spokenGivenName(t, true) && (t.flags & WORD.CLINICAL_TERM) === 0;
}

/**
 * Token i is the subject of a question opened by an auxiliary ("did mark post anything", "does bob live in
 * france", "when will grant arrive"): a common noun there takes a determiner ("did the mail come"), so a
 * given name there is a person even when it is also a word. A word no dictionary holds counts only
 * before a verb in "-ing" ("what is barack obama doing"): "what is bitcoin" asks about a thing.
 */
function subjectAfterAux(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (prev === undefined) return false;
  // "ask her if dean turned in his homework", "tell me if bob has called": the subject of a clause
  // after "if", before an auxiliary or a verb in "-ed".
  if (prev.lower === 'if' || prev.lower === 'whether' || prev.lower === 'what') {
    const t = tokens[i]!;
    const n = tokens[i + 1];
    // "show me what yui posted", "tell me what rose said": the subject of what a person did.
    if (prev.lower === 'what') return n !== undefined && givenOrUnknown(t) && personVerbAt(tokens, i + 1) && (pastTense(n) || n.lower === 'said' || n.lower === 'wrote');
    return n !== undefined && (t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 && givenOrUnknown(t) && ((n.tags & TAG.AUX) !== 0 || pastTense(n));
  }
  if ((prev.tags & TAG.AUX) === 0) return false;
  const before = tokens[i - 2];
  if (before !== undefined && !BEFORE_AUX.has(before.lower) && !whPhraseBefore(tokens, i - 1)) return false;
  const t = tokens[i]!;
  if (!givenOrUnknown(t)) return false;
  // After "is" or "was" a given name that is also a word needs the verb in "-ing" too ("how much is bill").
  if ((t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 && (!COPULAS.has(prev.lower) || (t.flags & WORD.DICTIONARY) === 0)) return true;
  // A word no list knows: a verb in "-ing" right after it, or after the family name that follows; after an
  // auxiliary of action ("did", "has", not "is"), a second word no dictionary holds ("how many runs did
  // cheteshwar pujara score"): a thing asked about is one word ("did bitcoin crash").
  for (let k = i + 1; k <= i + 2 && k < tokens.length; k++) {
    const n = tokens[k]!;
    if (n.lower.length > 4 && n.lower.endsWith('ing') && (n.flags & WORD.DICTIONARY) !== 0) return true;
    // After an auxiliary of action, a verb only a person does ("did quang email me", "did rhys love post").
    if (!COPULAS.has(prev.lower) && personVerbAt(tokens, k)) return true;
    if ((n.flags & WORD.DICTIONARY) !== 0) return false;
    if (k === i + 1 && !COPULAS.has(prev.lower) && (n.flags & (WORD.PLACE | WORD.CITY | WORD.NEVER_NAME | WORD.NUMBER)) === 0 && n.lower.length > 2) return true;
  }
  return false;
}

/** Question words that open a phrase before an auxiliary ("how many runs did …", "what time does …"). */
const WH = new Set(['how', 'what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'why']);

/** A question word one to three words before the auxiliary at `aux`, with no other auxiliary between. */
function whPhraseBefore(tokens: readonly Token[], aux: number): boolean {
  for (let k = aux - 2; k >= 0 && k >= aux - 4; k--) {
    const w = tokens[k]!.lower;
    if (WH.has(w)) return true;
    if (AUX.has(w)) return false;
  }
  return false;
}

/** Auxiliaries that ask what something is ("what is bitcoin"), not what someone did. */
const COPULAS = new Set(['is', 'was']);

/**
 * Token i follows a person's thing and "for" or "of" ("the email address for bill", "the birthday of
 * grant"), a given name; or a relative and "of" ("the wife of obama", "the son of mister rivera"), a given
 * name, a family name that is no common word or a word no dictionary holds.
 */
function forPersonalThing(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const thing = tokens[i - 2];
  if (prev === undefined || thing === undefined || (prev.lower !== 'for' && prev.lower !== 'of')) return false;
  const t = tokens[i]!;
  if ((thing.flags & WORD.RELATION) !== 0 && prev.lower === 'of' && (thing.flags & WORD.CLINICIAN) === 0) {
    // A town's name counts too ("obama" names a town): no town has a wife.
    return givenOrUnknown(t) || ((t.flags & WORD.LAST) !== 0 && (t.flags & WORD.COMMON) === 0) || townWord(t);
  }
  return (thing.flags & WORD.PERSONAL) !== 0 && (t.flags & (WORD.FIRST | WORD.GIVEN_CUED)) !== 0 && givenOrUnknown(t);
}

/** Token i is a later word of a place of several words that starts one or two words before it ("new york", "san francisco"). */
function insidePlace(text: string, tokens: readonly Token[], i: number, g: Gazetteer): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 2; k--) {
    if ((tokens[k]!.flags & WORD.PLACE_HEAD) === 0) continue;
    const last = placeAt(text, tokens, k, g);
    if (last !== undefined && last >= i) return true;
  }
  return false;
}

/** A town's name that is no English word, no country and no state ("ngozi"): a person's name when a request or greeting says so. */
function townWord(t: Token): boolean {
  return (t.flags & WORD.CITY) !== 0 && (t.flags & (WORD.DICTIONARY | WORD.PLACE | WORD.STATE)) === 0 && t.lower.length > 2 && (t.tags & TAG.BRAND) === 0;
}

const ORG_AFTER = lexiconWords('orgword');
tagWords(ORG_AFTER, TAG.ORG_AFTER);
/** Businesses, brands, services and currencies (data/lexicons/brands.txt); those that are no given name also have `WORD.NEVER_NAME`. */
const BRANDS = lexiconWords('brand');
tagWords(BRANDS, TAG.BRAND);
const ORG_MODIFIERS = lexiconWords('orgmodifier');

/**
 * The words after token j make the name before them a business's or a practice's ("brightwell dental",
 * "quelton family medicine", "brooklyn heights pediatrics", "kaiser permanente"): a word of `orgword`
 * or a brand not after a possessive ("kenny's facebook" is a person's), after at most two modifiers or town parts.
 */
function businessAfter(text: string, tokens: readonly Token[], j: number): boolean {
  for (let k = j + 1; k < tokens.length && k <= j + 3; k++) {
    const n = tokens[k]!;
    if ((n.tags & TAG.ORG_AFTER) !== 0) return true;
    // "kenny's facebook": a person's account, not a business.
    if ((n.tags & TAG.BRAND) !== 0) return !isPossessive(text, tokens[j]!);
    if (!ORG_MODIFIERS.has(n.lower) && (n.flags & WORD.PLACE_PART) === 0) return false;
  }
  return false;
}

/** Words after a name that make it a place's: "wayne county". */
const COUNTY_WORDS = new Set(['county', 'township', 'parish']);

/** The word after token i is a newspaper's or a channel's ("times", "tribune", "post"): the words before it name the paper. */
function pressAfter(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return next !== undefined && (next.flags & WORD.PRESS) !== 0;
}

/** A dictionary word in "-ed" ("emailed", "texted"): a verb after the name, not its family name. */
function pastTense(t: Token): boolean {
  const n = t.lower.length;
  return (t.flags & WORD.DICTIONARY) !== 0 && n > 4 && t.lower.charCodeAt(n - 1) === CH.LOWER_D && t.lower.charCodeAt(n - 2) === CH.LOWER_E;
}

const ARTICLES = new Set(['the', 'a', 'an']);

/** A line break between two offsets. */
function lineBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === CH.LF) return true;
  return false;
}

