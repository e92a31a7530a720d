/**
 * Word lists of the redaction engine (R-DATA-2) live in data/lexicons/*.txt, each with its source and
 * licence in its first lines (`# source:`, `# licence:`); logic lives in code. Words are separated by
 * white space; a line starting `@tag` puts its words under that tag, other lines under the file's name.
 * Read once, synchronously, from the files shipped with the server: nothing is fetched at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Lexicon {
  file: string;
  source: string;
  licence: string;
  /** Words by tag; untagged words are under the file's base name ("drugs"). */
  words: Map<string, Set<string>>;
}

export const LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data', 'lexicons');

/** Parses one lexicon file; throws on a file without its source or licence (a list must say where it is from). */
export function parseLexicon(file: string, text: string): Lexicon {
  const base = file.replace(/\.txt$/, '');
  const words = new Map<string, Set<string>>();
  let source = '';
  let licence = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      const m = /^#\s*(source|licence):\s*(.+)$/i.exec(line);
      if (m) {
        if (m[1]!.toLowerCase() === 'source') source = m[2]!.trim();
        else licence = m[2]!.trim();
      }
      continue;
    }
    if (!line) continue;
    let tag = base;
    let body = line;
    if (line.startsWith('@')) {
      const space = line.search(/\s/);
      tag = space < 0 ? line.slice(1) : line.slice(1, space);
      body = space < 0 ? '' : line.slice(space + 1);
    }
    let set = words.get(tag);
    if (!set) words.set(tag, (set = new Set()));
    for (const w of body.split(/\s+/)) if (w) set.add(w.toLowerCase());
  }
  if (!source || !licence) throw new Error(`lexicon ${file} does not state its source and licence`);
  return { file, source, licence, words };
}

let cached: Lexicon[] | undefined;

export function lexicons(): Lexicon[] {
  if (cached) return cached;
  cached = readdirSync(LEXICON_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseLexicon(f, readFileSync(join(LEXICON_DIR, f), 'utf8')));
  return cached;
}

/** The words under one tag across every lexicon. */
export function lexiconWords(tag: string): Set<string> {
  const out = new Set<string>();
  for (const l of lexicons()) for (const w of l.words.get(tag) ?? []) out.add(w);
  return out;
}
