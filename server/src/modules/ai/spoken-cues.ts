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
 * Tuned on the demo calls of seed 1; seed 2 is kept as the lockbox (npm run bench:ai reports both).
 */
import { gazetteer } from '../redaction/index.ts';
export interface CueSpan {
  start: number;
  end: number;
  cls: 'PERSON' | 'AGE' | 'DATE' | 'LOCATION';
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
const AGE = new RegExp(`\\b(?:i'm|i am|he's|she's|they're|he is|she is|they are|they is|who is|who's|turn(?:ed|s|ing)?|aged?|(?:i|he|she|they|you)'ll be|(?:i|he|she|they|you) will be|age is|ages?|was) (${SPOKEN_AGE})\\b(?! (?:dollars?|cents?|percent|minutes?|hours?|days?|weeks?|months?|pounds?|milligrams?|times|degrees|o'clock|thousand|hundred))`, 'gi');
const ORDINAL_UNITS = '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)';
const DAY = new RegExp(`\\bthe ((?:twenty|thirty)[ -]${ORDINAL_UNITS}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|${ORDINAL_UNITS}(?= at\\b))\\b`, 'gi');

const DIGIT_AGE = /\b(\d{1,3}|${SPOKEN_AGE}) (?:years?[ -]old|year-old|yo)\b/gi;
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
