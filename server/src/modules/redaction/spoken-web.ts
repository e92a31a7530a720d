/**
 * Internet addresses said aloud in a call (R-DATA-2, issue 30): an IPv4 address as four numbers joined by
 * "dot" ("ninety eight dot two four seven dot fifty four dot two four three"), each part checked to be 0 to
 * 255; a web address as a domain said with "dot" and a known top-level domain, then a path after "slash"
 * ("caringbridge dot org slash marisol journey"). A domain said alone is no one's (the clinic's site); with a
 * path it names a person's page. Called from utterance.ts for speech.
 */
import { candidate, type Candidate } from './resolution.ts';
import type { NumberRun } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

const IP_PARTS = 4;
const IP_CUE = /\b(?:ip|i p|address)\b/;

/** "ninety eight dot two four seven dot fifty four dot two four three": four runs of 0–255 joined by "dot". */
export function spokenIps(text: string, tokens: readonly Token[], runs: readonly NumberRun[], out: Candidate[]): void {
  for (let k = 0; k + IP_PARTS - 1 < runs.length; k++) {
    let ok = true;
    let wide = 0;
    for (let p = 0; p < IP_PARTS && ok; p++) {
      const r = runs[k + p]!;
      ok = r.letterCount === 0 && r.value.length <= 3 && Number(r.value) <= 255 && (p === 0 || (tokens[r.firstToken - 1]?.lower === 'dot' && runs[k + p - 1]!.lastToken + 2 === r.firstToken));
      if (r.value.length >= 2) wide++;
    }
    // A version said so ("two dot one dot three dot four") has one-digit parts: two wide parts, or a cue.
    if (!ok || (wide < 2 && !IP_CUE.test(text))) continue;
    out.push(candidate('ip', runs[k]!.start, runs[k + IP_PARTS - 1]!.end, 'IP', 0.85));
    k += IP_PARTS - 1;
  }
}

const TLD = '(?:com|org|net|edu|gov|us|io|co|info|biz|me|health)';
/** Words that end a spoken path: the sentence goes on ("… slash marisol journey and it says"). */
const PATH_END = '(?:and|it|its|it\'s|is|was|the|for|to|if|so|but|please|thanks|thank|okay|ok|you|we|i|he|she|they|um|uh)';
/**
 * A domain of one or two words with "dot" and a known top-level domain, then "slash" and one to three
 * words or numbers of a path: "gofundme dot com slash help marisol", "www dot x dot org slash y".
 */
const NUM = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|double|triple)';
/** The scheme spelled out before a domain: "h t t p s", "h t t p s colon slash slash". */
const SCHEME = '(?:h t t p s? (?:colon slash slash )?)?';
// A path part said as a number goes on over all its number words ("slash two eight six five").
const SPOKEN_URL = new RegExp(`\\b(${SCHEME}(?:www dot )?[a-z\\d]+(?: dot [a-z\\d]+)* dot ${TLD})((?: slash (?!${PATH_END}\\b)[a-z\\d]+(?: (?!${PATH_END}\\b)[a-z\\d]+){0,2}(?: ${NUM}\\b)*)+)`, 'g');

export function spokenUrls(text: string, out: Candidate[]): void {
  if (!text.includes(' slash ')) return;
  SPOKEN_URL.lastIndex = 0;
  for (let m = SPOKEN_URL.exec(text); m; m = SPOKEN_URL.exec(text)) out.push(candidate('url', m.index, m.index + m[0].length, 'URL', 0.85));
}
