/**
 * Street addresses (Safe Harbor: geographic units smaller than a state). A house number followed by a
 * street word ("12 Oak Street", "one two three main street"), or a street name ending in a street
 * word of another language followed by a number ("Koskikatu 25"), then the unit, city, state and postal
 * code that follow on the same or the next lines.
 */
import { CH } from './chars.ts';
import { WORD, type Gazetteer } from './gazetteer.ts';
import { ENDS_NAME, placeAt } from './names.ts';
import type { NumberRun } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';
import { TAG, tagWords } from './word-tags.ts';

const STREET_ENDINGS = /(?:katu|gatan|gata|vägen|vej|veien|vegur|vegen|gade|stien|stræde|straße|strasse|straat|weg|laan|gasse|platz|tie|polku|kuja|utca|ulica|street|avenue|road)$/;
const CONNECTORS = new Set(['de', 'des', 'du', 'la', 'le', 'da', 'do', 'dos', 'del', 'van', 'von', 'der', 'ul', 'ul.', 'of', 'st', 'n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw', 'north', 'south', 'east', 'west', 'old']);
// A line break may be followed by a quotation mark of a forwarded e-mail ("> Suite 828").
const TAIL_SEP = /^(?:\.?[ \t]*[,\n][ \t\n,>?]*|[ \t]+)/;
/** Words that introduce the unit after a street ("apartment nine b", "unit 4", "number five"). */
const UNIT_WORDS = new Set(['apartment', 'apt', 'unit', 'suite', 'ste', 'number', 'no', 'room', 'rm', 'floor', 'fl', 'building', 'bldg', 'flat', 'lot', 'space', 'trailer']);
// A town may carry a note in brackets ("Cyprus (Greek)") and, in Greek text, the look-alike "∆" for "Δ".
const TAIL_ITEM = /^(?:nan(?![\w])|(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Bldg|Building|Box|No|#)\.?[ ]?#?[\w-]+|\d{4,6}(?:-\d{3,4})?|\d{2}-\d{3}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[\p{Lu}][\p{L}\p{M}'.∆-]*(?:[ ](?:\p{Ll}{1,3}[ ])?(?:[\p{Lu}][\p{L}\p{M}'.∆-]*|\([\p{L} ]{1,30}\))){0,4}(?:[ ]\d{4,6})?)/u;
const UNIT_ONLY = /^(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Bldg|Building|Box|No|#)\b/;

export interface AddressMatch {
  start: number;
  end: number;
}

function isStreetWord(t: Token, g: Gazetteer): boolean {
  // Tokens hold no '.', so "St." is looked up as "st".
  return (t.flags & WORD.STREET) !== 0 || (t.lower.length > 5 && STREET_ENDINGS.test(t.lower));
}

/**
 * A line break or a punctuation mark (`,;:!?`) between two words of a street, read as character codes:
 * every number of a note is tried as a house number, so this runs for each word after one.
 */
function breaksStreet(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === CH.LF || c === CH.COMMA || c === CH.SEMICOLON || c === CH.COLON || c === CH.BANG || c === CH.QUESTION) return true;
  }
  return false;
}

function wordy(t: Token): boolean {
  if (t.isDigits) return false;
  if (t.isCap || t.isUpper) return true;
  const c = t.text.charCodeAt(0);
  if (c >= CH.LOWER_A && c <= CH.LOWER_Z) return true;
  return CONNECTORS.has(t.lower) || (c >= 128 && /^\p{Ll}/u.test(t.text));
}

/** Street words that come before the street's name: "63 Avenue du Golf Arabe", "974 Via Roma 131". */
const LEADING_STREET = new Set(['avenue', 'rue', 'via', 'viale', 'rua', 'rúa', 'calle', 'avenida', 'avda', 'strada', 'piazza', 'corso', 'largo', 'chemin', 'boulevard', 'ul', 'ulica', 'plaza', 'praça', 'travessa', 'carrer', 'paseo', 'allée', 'place', 'route', 'camino', 'vicolo']);
tagWords(LEADING_STREET, TAG.LEADING_STREET);
/** Leading street words that are no English word, so that lower case is enough ("31 rue de la Hulotais"). */
const LOWER_LEADING_STREET = new Set(['rue', 'rua', 'rúa', 'calle', 'avenida', 'avda', 'strada', 'ulica', 'carrer', 'travessa', 'viale']);
const NAME_CONNECTORS = new Set(['de', 'des', 'du', 'la', 'le', 'les', 'da', 'do', 'dos', 'das', 'del', 'della', 'delle', 'dei', 'di', 'e', 'y', 'van', 'von', 'der', 'den', 'of', 'the']);

/** After a leading street word at k: its name's capitalised words, then the number if one follows. */
function leadingStreet(text: string, tokens: readonly Token[], k: number): number {
  let last = -1;
  // One of the name's words at least is no common English word ("Via Roma", not "Via Rail").
  let isNamed = false;
  for (let m = k + 1; m < tokens.length && m < k + 7; m++) {
    const w = tokens[m]!;
    const gap = text.slice(tokens[m - 1]!.end, w.start);
    if (gap !== ' ' && gap !== '. ') break;
    if (w.isDigits) return last > 0 && w.text.length <= 5 ? m : isNamed ? last : -1;
    if (w.isCap || w.isUpper) {
      last = m;
      if ((w.flags & WORD.COMMON) === 0) isNamed = true;
    } else if (!NAME_CONNECTORS.has(w.lower)) break;
  }
  return isNamed ? last : -1;
}

/** One to five ASCII digits and an ASCII letter ("12a", "221B"): `/^\d{1,5}[a-z]$/i`. */
function numberAndLetter(word: string): boolean {
  const n = word.length;
  if (n < 2 || n > 6) return false;
  const last = word.charCodeAt(n - 1) | CH.CASE_BIT;
  if (last < CH.LOWER_A || last > CH.LOWER_Z) return false;
  for (let i = 0; i < n - 1; i++) if (word.charCodeAt(i) < CH.DIGIT_0 || word.charCodeAt(i) > CH.DIGIT_9) return false;
  return true;
}

/** What follows a label's word: "C:", "Speaker 2:", "spk_1:". */
const LABEL_AFTER = /^[ \t]*\d{0,3}[ \t]*:/;

/** A street's direction said as one letter. */
const DIRECTIONS = new Set(['n', 's', 'e', 'w']);

/** Street words a number may follow in a call ("county road six", "route nine", "highway one nineteen"). */
const NUMBERED_ROADS = new Set(['road', 'route', 'highway']);

/** Words after a spoken number that make it a time of day, not a house number. */
const SPOKEN_TIME = new Set(['am', 'pm', "o'clock", 'oclock', 'a.m.', 'p.m.']);

export function findAddresses(text: string, tokens: readonly Token[], runsByToken: ReadonlyMap<number, NumberRun>, g: Gazetteer, isWritten: boolean): AddressMatch[] {
  const out: AddressMatch[] = [];
  // Most texts hold no spoken run: their tokens are not looked up.
  const anyRun = runsByToken.size > 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const run = anyRun ? runsByToken.get(i) : undefined;
    const c0 = t.text.charCodeAt(0);
    // "one three two n river lane": a house number said before the street's direction, which the run took for a spelled letter.
    const directed = run !== undefined && run.letterCount === 1 && run.lastToken > run.firstToken && DIRECTIONS.has(tokens[run.lastToken]!.lower);
    const isHouseNumber = (t.isDigits && t.text.length <= 6) || (run !== undefined && run.letterCount === 0) || directed || (c0 >= CH.DIGIT_0 && c0 <= CH.DIGIT_9 && numberAndLetter(t.text));
    let streetEnd = -1;
    let startTok = i;
    if (isHouseNumber) {
      let after = run ? (directed ? run.lastToken : run.lastToken + 1) : i + 1;
      // "704 1436 Redbud Drive", "9554 62 Rue Gafsa": a building number before the house number.
      const second = tokens[after];
      if (isWritten && t.isDigits && second?.isDigits && second.text.length <= 5 && text.slice(t.end, second.start) === ' ' && tokens[after + 1] && wordy(tokens[after + 1]!)) after++;
      // Number, then up to five words the last of which is a street word: "221 B Baker Street". In a call,
      // no time of day or day said with the number ("at nine am wednesday at dr greens", "the twenty
      // second fall on").
      const spokenTime = !isWritten && (tokens[i - 1]?.lower === 'the' || SPOKEN_TIME.has(tokens[after]?.lower ?? ''));
      for (let k = after; k < Math.min(tokens.length, after + 6) && !spokenTime; k++) {
        const w = tokens[k]!;
        if (breaksStreet(text, tokens[k - 1]!.end, w.start)) break;
        if (!isWritten && (w.flags & WORD.DATE) !== 0) break;
        // In a call a number said after the first one starts the house number ("the new one is eight seven …"),
        // and "the" is no word of a street ("at ten thirty the link will come").
        if (!isWritten && ((k > after && runsByToken.get(k)?.isSpoken === true) || w.lower === 'the')) break;
        if (!wordy(w) && !(w.isDigits && k > after)) break;
        const street = isStreetWord(w, g);
        if (isWritten && !w.isCap && !w.isUpper && !CONNECTORS.has(w.lower) && !street) break;
        if (k > after && street) {
          // "Forrest Hill Road": the street ends at its last street word.
          while (tokens[k + 1] && isStreetWord(tokens[k + 1]!, g) && (!isWritten || tokens[k + 1]!.isCap) && text.slice(tokens[k]!.end, tokens[k + 1]!.start) === ' ') k++;
          streetEnd = k;
          // "Koskikatu 25", "Király u. 15": a number after the street word belongs to it.
          if (tokens[k + 1]?.isDigits && /^\.? $/.test(text.slice(w.end, tokens[k + 1]!.start))) streetEnd = k + 1;
          // "county road six", "state route ninety": in a call, a road named by its number said after it.
          else if (!isWritten && NUMBERED_ROADS.has(tokens[k]!.lower) && runsByToken.get(k + 1)?.letterCount === 0 && runsByToken.get(k + 1)!.digitCount <= 3) streetEnd = runsByToken.get(k + 1)!.lastToken;
          break;
        }
        if (k === after && street && tokens[k + 1]?.isDigits) {
          streetEnd = k + 1;
          break;
        }
        if (k === after && isWritten && (w.isCap || LOWER_LEADING_STREET.has(w.lower)) && (w.tags & TAG.LEADING_STREET) !== 0) {
          streetEnd = leadingStreet(text, tokens, k);
          break;
        }
      }
      // Written: "353 Buerlia 227", "772 ul. Narewska 94": a house number, one to four capitalised words
      // that are no English words, then the street's own number (the continental order), all on one line.
      if (streetEnd < 0 && isWritten && t.isDigits) streetEnd = continentalStreet(text, tokens, after, g);
    } else if (isWritten && t.isCap && (t.tags & TAG.LEADING_STREET) !== 0 && !tokens[i - 1]?.isDigits) {
      // "lives on Via Tasso 129", "Rue Dielhère 130": a leading street word, the name, and its number.
      const last = leadingStreet(text, tokens, i);
      if (last > i && tokens[last]!.isDigits) streetEnd = last;
    } else if (isWritten && t.text.length > 5 && tokens[i + 1]?.isDigits && tokens[i + 1]!.start === t.end + 1 && text.charCodeAt(t.end) === CH.SPACE && tokens[i + 1]!.text.length <= 5 && (t.isCap || /^[a-zà-ž]/.test(t.text)) && STREET_ENDINGS.test(t.lower)) {
      // "Östbygatan 14", "Hlíðarvegur 97": a street name in another language, then its number.
      streetEnd = i + 1;
      const prev = tokens[i - 1];
      if (prev && prev.isCap && /^ $/.test(text.slice(prev.end, t.start))) startTok = i - 1;
    }
    if (streetEnd < 0) continue;
    // A unit written before the house number ("Apt. 675 62314 Mellemvej 32").
    if (startTok >= 2 && tokens[startTok - 1]!.isDigits && UNIT_WORDS.has(tokens[startTok - 2]!.lower) && tokens[startTok - 1]!.start - tokens[startTok - 2]!.end <= 2) startTok -= 2;
    else if (startTok >= 1 && t.isDigits && UNIT_WORDS.has(tokens[startTok - 1]!.lower) && t.start - tokens[startTok - 1]!.end <= 2) startTok -= 1;
    streetEnd = unitAfter(tokens, streetEnd, runsByToken);
    if (!isWritten) streetEnd = townAfter(text, tokens, streetEnd, runsByToken, g);
    let end = tokens[streetEnd]!.end;
    if (text[end] === '.' && /^(?:st|ave|rd|str|blvd|ln|dr|ct|pl)$/i.test(tokens[streetEnd]!.lower)) end++;
    if (isWritten) end = extendTail(text, end);
    out.push({ start: tokens[startTok]!.start, end });
    while (i + 1 < tokens.length && tokens[i + 1]!.start < end) i++;
  }
  if (text.includes('orner of')) corners(text, tokens, g, isWritten, out);
  return out;
}

/** A street name word at k: capitalised (written), no common word (spoken), a number or a connector. */
function streetish(t: Token, g: Gazetteer, isWritten: boolean): boolean {
  if (t.isDigits || CONNECTORS.has(t.lower) || isStreetWord(t, g)) return true;
  return isWritten ? t.isCap : (t.flags & WORD.COMMON) === 0;
}

/**
 * An intersection: "the corner of 159 Eleftheriou Venizelou Str and Rennie Union", "at the corner of
 * Main and 5th". One to six street words, "and", one to four more.
 */
function corners(text: string, tokens: readonly Token[], g: Gazetteer, isWritten: boolean, out: AddressMatch[]): void {
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (tokens[i]!.lower !== 'corner' || tokens[i + 1]!.lower !== 'of') continue;
    let k = i + 2;
    while (k < tokens.length && k < i + 8 && tokens[k]!.lower !== 'and' && streetish(tokens[k]!, g, isWritten)) k++;
    if (k === i + 2 || tokens[k]?.lower !== 'and') continue;
    let e = k;
    while (e + 1 < tokens.length && e < k + 4 && streetish(tokens[e + 1]!, g, isWritten) && !/[,;:.\n]/.test(text.slice(tokens[e]!.end, tokens[e + 1]!.start).replace(/^\. $/, ' '))) e++;
    if (e === k) continue;
    const start = tokens[i - 1]?.lower === 'the' ? tokens[i - 1]!.start : tokens[i]!.start;
    let end = tokens[e]!.end;
    if (text[end] === '.' && /^(?:st|ave|rd|str|blvd)$/.test(tokens[e]!.lower)) end++;
    if (out.some((m) => m.start < end && start < m.end)) {
      // An address found inside the corner: the corner replaces it.
      for (let m = out.length - 1; m >= 0; m--) if (out[m]!.start < end && start < out[m]!.end) out.splice(m, 1);
    }
    out.push({ start, end });
    i = e;
  }
}

/**
 * The town, state and ZIP code said after a street: "… school court boise", "… in green bay",
 * "… kalamazoo michigan four nine zero nine zero".
 */
function townAfter(text: string, tokens: readonly Token[], end: number, runsByToken: ReadonlyMap<number, NumberRun>, g: Gazetteer): number {
  let k = end + 1;
  const isIn = tokens[k]?.lower === 'in';
  if (isIn) k++;
  // A town no list holds after "in" is left to the spoken-name rules (a LOCATION of its own, "in queltaton falls").
  const town = placeAt(text, tokens, k, g) ?? (isIn ? undefined : unlistedTown(text, tokens, k, runsByToken, g));
  if (town === undefined) return fiveDigitsAt(tokens, end, runsByToken);
  end = town;
  const state = placeAt(text, tokens, end + 1, g);
  if (state !== undefined && (tokens[end + 1]!.flags & WORD.STATE) !== 0) end = state;
  else if (state !== undefined && g.states.has(text.slice(tokens[end + 1]!.start, tokens[state]!.end).toLowerCase())) end = state;
  // A state that is also a given name ("florida", "virginia", "georgia") is no place to placeAt, but after a town it is the state.
  else if (state === undefined && (tokens[end + 1]?.flags ?? 0) & WORD.STATE) end++;
  return fiveDigitsAt(tokens, end, runsByToken);
}

/** A ZIP code said or written right after token `end` ("… avenue two nine three eight six"): its last token, or `end`. */
function fiveDigitsAt(tokens: readonly Token[], end: number, runsByToken: ReadonlyMap<number, NumberRun>): number {
  const zip = runsByToken.get(end + 1);
  if (zip && zip.letterCount === 0 && zip.digitCount === 5) return zip.lastToken;
  if (tokens[end + 1]?.isDigits && tokens[end + 1]!.text.length === 5) return end + 1;
  return end;
}

/**
 * A town no list holds, said right after a street in a call: one to three words, one at least no
 * dictionary holds ("coeur d alene", "la crosse"), before a US state or a ZIP code ("… tamarack terrace
 * coeur d alene two double one double five"). Its last token, or undefined.
 */
function unlistedTown(text: string, tokens: readonly Token[], k: number, runsByToken: ReadonlyMap<number, NumberRun>, g: Gazetteer): number | undefined {
  let last = -1;
  let strange = 0;
  for (let m = k; m < tokens.length && m < k + 3; m++) {
    const t = tokens[m]!;
    if (t.isDigits || runsByToken.has(m) || (t.flags & (WORD.NUMBER | WORD.DATE | WORD.STATE)) !== 0 || ENDS_NAME.has(t.lower) || UNIT_WORDS.has(t.lower)) break;
    // A town of the gazetteer that is also a word or a name ("warren", "marion") counts as one no dictionary holds.
    if ((t.flags & WORD.DICTIONARY) === 0 || (t.flags & WORD.CITY) !== 0) strange++;
    else if (t.lower.length > 2) break;
    last = m;
  }
  if (last < 0 || strange === 0) return undefined;
  const next = tokens[last + 1];
  const zip = runsByToken.get(last + 1);
  const isState = next !== undefined && ((next.flags & WORD.STATE) !== 0 || (placeAt(text, tokens, last + 1, g) !== undefined && g.states.has(`${next.lower} ${tokens[last + 2]?.lower ?? ''}`)));
  return isState || (zip !== undefined && zip.letterCount === 0 && zip.digitCount === 5) || (next?.isDigits === true && next.text.length === 5) ? last : undefined;
}

/** The unit after a street, said or written: "apartment nine b", "unit twenty one", "Apt 4". */
function unitAfter(tokens: readonly Token[], streetEnd: number, runsByToken: ReadonlyMap<number, NumberRun>): number {
  const unit = tokens[streetEnd + 1];
  if (!unit || !UNIT_WORDS.has(unit.lower) || unit.start - tokens[streetEnd]!.end > 3) return streetEnd;
  const k = streetEnd + 2;
  const number = tokens[k];
  if (!number || number.start - unit.end > 3) return streetEnd;
  let last: number;
  const run = runsByToken.get(k);
  if (run) last = run.lastToken;
  else if (number.isDigits || /^\d{1,5}[a-z]$/i.test(number.text) || (number.flags & WORD.NUMBER) !== 0) last = k;
  else return streetEnd;
  // A unit letter said after the number ("nine b").
  const letter = tokens[last + 1];
  if (letter && letter.end - letter.start === 1 && letter.lower !== 'a' && letter.lower !== 'i' && letter.start - tokens[last]!.end === 1) last++;
  else if (letter && letter.lower === 'a' && !tokens[last + 2]) last++;
  return last;
}

function continentalStreet(text: string, tokens: readonly Token[], after: number, g: Gazetteer): number {
  let words = 0;
  for (let k = after; k < Math.min(tokens.length, after + 6); k++) {
    const w = tokens[k]!;
    const gap = text.slice(tokens[k - 1]!.end, w.start);
    if (gap !== ' ' && gap !== '. ') return -1;
    if (w.isDigits) return words > 0 && w.text.length <= 5 ? k : -1;
    const isConnector = CONNECTORS.has(w.lower);
    if (!isConnector && (!w.isCap || (w.flags & WORD.COMMON) !== 0)) return -1;
    if (!isConnector) words++;
    if (words > 4) return -1;
  }
  return -1;
}

/** Unit, city, state and postal code after a street, across commas and line breaks. */
export function extendTail(text: string, end: number): number {
  let items = 0;
  let pos = end;
  while (items < 6) {
    const rest = text.slice(pos, pos + 80);
    const sep = TAIL_SEP.exec(rest);
    if (!sep) break;
    const after = rest.slice(sep[0].length);
    const item = TAIL_ITEM.exec(after);
    if (!item) break;
    // A speaker's or a field's label on the next line ("C:", "Speaker 2:", "Agent:") starts the next utterance.
    if (LABEL_AFTER.test(after.slice(item[0].length))) break;
    // Without a comma or a line break, only a unit continues the address ("12 Oak St Apt 4").
    if (!/[,\n]/.test(sep[0]) && !UNIT_ONLY.test(item[0]) && !/^\d/.test(item[0]) && items === 0 && !/^[A-Z]{2}\b/.test(item[0])) {
      if (!/^[\p{Lu}]/u.test(item[0])) break;
    }
    // A blank line ends the address, unless what follows is a country or town with its postal code.
    if (/\n\s*\n/.test(sep[0]) && !/[ ]\d{4,6}$/.test(item[0])) break;
    pos += sep[0].length + item[0].length;
    end = pos;
    items++;
  }
  return end;
}
