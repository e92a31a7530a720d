/** Word tokens with offsets, shared by the spoken-form, date and name detectors. */
export interface Token {
  start: number;
  end: number;
  text: string;
  /** Lower case, possessive "'s" removed. */
  lower: string;
  isCap: boolean;
  isUpper: boolean;
  isDigits: boolean;
}

const TOKEN = /[\p{L}\p{M}\d]+(?:['’][\p{L}]+|-[\p{L}\p{M}\d]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const t = m[0];
    let lower = t.toLowerCase();
    if (lower.endsWith("'s") || lower.endsWith('’s')) lower = lower.slice(0, -2);
    const c = t.charCodeAt(0);
    const isDigits = c >= 48 && c <= 57 && /^\d+$/.test(t);
    const first = t[0]!;
    const isCap = !isDigits && first !== first.toLowerCase();
    out.push({ start: m.index, end: m.index + t.length, text: t, lower, isCap, isUpper: isCap && t.length > 1 && t === t.toUpperCase(), isDigits });
  }
  return out;
}

/** Only whitespace (no line break unless allowed) between two offsets. */
export function gapIsSpace(text: string, from: number, to: number, allowNewline = false): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') continue;
    if (allowNewline && ch === '\n') continue;
    return false;
  }
  return true;
}
