import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emailRefusal, normalEmail } from './email.ts';

describe('normalEmail: one form for every spelling of an address (R-AUTHN-2, R-AUTHN-5)', () => {
  const same: Array<[string, string]> = [
    ['Alice@Example.ORG', 'alice@example.org'],
    ['  alice@example.org\n', 'alice@example.org'],
    ['ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｏｒｇ', 'alice@example.org'], // full-width forms (NFKC)
    ['ﬁona@example.org', 'fiona@example.org'], // the "fi" ligature
    ['Ａlice@EXAMPLE.org', 'alice@example.org'],
    ['jose\u0301@example.org', 'josé@example.org'], // decomposed é composes
    ['JOSÉ@example.org', 'josé@example.org'],
    ['kim@Bücher.Example', 'kim@xn--bcher-kva.example'], // the domain in its ASCII form
    ['kim@xn--bcher-kva.example', 'kim@xn--bcher-kva.example'],
    ['first.last+tag@example.org', 'first.last+tag@example.org'], // dots and tags are kept
    ['山田@例え.jp', '山田@xn--r8jz45g.jp'],
    ['ひらがなtaro@example.jp', 'ひらがなtaro@example.jp'], // Latin with Kana: highly restrictive allows it
    ['иван@пример.рф', 'иван@xn--e1afmkfd.xn--p1ai'],
  ];
  for (const [raw, want] of same) {
    test(`${JSON.stringify(raw)} is ${want}, and normalising it again changes nothing`, () => {
      assert.equal(normalEmail(raw), want);
      assert.equal(normalEmail(normalEmail(raw)), want);
    });
  }

  const refused: Array<[string, string]> = [
    ['ali\u200Bce@example.org', 'invisible_character'], // zero-width space
    ['alice@exam\u200Dple.org', 'invisible_character'], // zero-width joiner in the domain (IDNA would drop it)
    ['alice\u202E@example.org', 'invisible_character'], // right-to-left override
    ['\u2066alice\u2069@example.org', 'invisible_character'], // bidi isolates
    ['al\u00ADice@example.org', 'invisible_character'], // soft hyphen
    ['alice\uFEFF@example.org', 'invisible_character'],
    ['ali\u034Fce@example.org', 'invisible_character'], // combining grapheme joiner
    ['alice\u0000@example.org', 'invisible_character'],
    ['al ice@example.org', 'invisible_character'],
    ['p\u0430ypal@example.org', 'mixed_scripts'], // Cyrillic а among Latin letters
    ['alice@ex\u0430mple.org', 'mixed_scripts'],
    ['\u0435\u0445\u0430@example.org', 'confusable_script'], // "exa" in Cyrillic letters only
    ['alice@\u0440\u0430\u0443\u0440\u0430\u04CF.com', 'confusable_script'], // "paypal" in Cyrillic
    ['\u03BF\u03B9@example.org', 'confusable_script'], // Greek omicron iota: "oi"
    ['𓀀@example.org', 'unsupported_script'],
    ['alice', 'not_an_address'],
    ['a@b@example.org', 'not_an_address'],
    ['@example.org', 'not_an_address'],
    ['alice@exa_mple.org', 'domain_invalid'],
    ['alice@[127.0.0.1]', 'domain_invalid'],
  ];
  for (const [raw, reason] of refused) {
    test(`${JSON.stringify(raw)} is refused as ${reason}`, () => {
      assert.equal(emailRefusal(raw), reason);
      assert.throws(() => normalEmail(raw), (e: { code?: string; reasons?: string[] }) => e.code === 'EMAIL_INVALID' && e.reasons?.[0] === reason);
    });
  }
});
