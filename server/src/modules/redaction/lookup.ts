/**
 * A word → number table with no prototype, so that a word read from a text can be looked up with
 * `in` or `[]` safely: "constructor", "toString" or "__proto__" in a transcript are not number words.
 */
export function words(entries: Record<string, number>): Readonly<Record<string, number>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, number>, entries));
}
