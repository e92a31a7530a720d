/**
 * CSV for people who open it in a spreadsheet (RFC 4180, CRLF). A cell a spreadsheet program could
 * run as a formula is prefixed with `'` so that it reads as text (CSV injection; R-AUDIT-1, R-DATA-4).
 * Every CSV writer in Ward goes through `csvCell`/`csvDocument`.
 */

/**
 * A formula's start once width and compatibility forms are folded (NFKC: `＝` U+FF1D, `＋` U+FF0B,
 * `－` U+FF0D, `＠` U+FF20, the small forms `﹦ ﹢ ﹣ ﹫`, `⩵`) and leading blanks, controls and
 * invisible format characters skipped (some programs trim them); U+2212 is the minus sign.
 */
const FORMULA_START = /^[\p{White_Space}\p{Cc}\p{Cf}]*[=+\-@\u2212]/u;
/** A leading tab, CR or LF alone is refused as well: programs that trim it read what follows. */
const LEADING_BREAK = /^[\t\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

/** `'` before any cell a spreadsheet could read as a formula; the text itself is kept as it is. */
export function neutraliseFormula(text: string): string {
  return LEADING_BREAK.test(text) || FORMULA_START.test(text.normalize('NFKC')) ? `'${text}` : text;
}

/** One cell: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: CsvValue): string {
  const s = neutraliseFormula(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A header line of the column names, then one line per row, each ended by CRLF. */
export function csvDocument<R>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c)), ...rows.map((r) => columns.map((c) => csvCell(r[c] as CsvValue)))];
  return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}
