/**
 * Character codes read by the one-pass scanners (tokens, names, patterns): named so that a comparison
 * says which character it means.
 */
export const CH = {
  TAB: 9,
  LF: 10,
  SPACE: 32,
  BANG: 33,
  AMPERSAND: 38,
  APOSTROPHE: 39,
  COMMA: 44,
  HYPHEN: 45,
  PERIOD: 46,
  SLASH: 47,
  DIGIT_0: 48,
  DIGIT_9: 57,
  COLON: 58,
  SEMICOLON: 59,
  QUESTION: 63,
  UPPER_A: 65,
  UPPER_I: 73,
  UPPER_Z: 90,
  UNDERSCORE: 95,
  LOWER_A: 97,
  LOWER_D: 100,
  LOWER_E: 101,
  LOWER_F: 102,
  LOWER_G: 103,
  LOWER_I: 105,
  LOWER_M: 109,
  LOWER_N: 110,
  LOWER_R: 114,
  LOWER_S: 115,
  LOWER_T: 116,
  LOWER_X: 120,
  LOWER_Y: 121,
  LOWER_Z: 122,
  /** ASCII ends below this code. */
  ASCII_END: 128,
  /** The typographic apostrophe, ’. */
  RIGHT_QUOTE: 0x2019,
  /** Bit that folds an ASCII capital letter to lower case. */
  CASE_BIT: 32,
} as const;
