/**
 * Person names and places from gazetteers, capitalisation and cues (R-DATA-2). Written text: a run of
 * capitalised words holding a known given or family name ("Krisztián Szöllösy"), or any capitalised
 * run after a title or a cue ("Mr. Varvio", "my name is Rubija"). Spoken text (lower case): a known
 * given name that is not also a common English word ("tom", "claire"), or the words after a strong
 * cue ("my name is raju"). Common words ("will", "may", "mark") need a cue or a second name beside them.
 *
 * In parts: `written-names.ts` (capitalised runs, titles, lists of names), `spoken-names.ts` (calls:
 * greetings, requests, relation words), `name-cues.ts` (the word lists and cue tests both share, and
 * `placeAt`, the gazetteer's towns and places of several words).
 */
import type { Gazetteer } from './gazetteer.ts';
import type { LexicalMatch } from './name-cues.ts';
import { spoken } from './spoken-names.ts';
import type { Token } from './tokens.ts';
import { written } from './written-names.ts';

export { ENDS_NAME, isContraction, NOT_AFTER_CUE, NOT_NAME, ORG_WORDS, placeAt, type LexicalMatch } from './name-cues.ts';

export function findLexical(text: string, tokens: readonly Token[], g: Gazetteer, opts: { isWritten: boolean; includeClinicians: boolean }): LexicalMatch[] {
  return opts.isWritten ? written(text, tokens, g, opts.includeClinicians) : spoken(text, tokens, g, opts.includeClinicians);
}
