import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evidenceCsv, type EvidenceRow } from '../reviews/index.ts';
import { csvCell, csvDocument, neutraliseFormula } from './index.ts';

describe('CSV cells a spreadsheet could run as formulas are text (R-AUDIT-1, R-DATA-4)', () => {
  test('ASCII formula starts, and a leading tab, CR or LF, are prefixed', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\nx']) assert.equal(neutraliseFormula(s), `'${s}`, JSON.stringify(s));
  });

  test('full-width and other compatibility forms are prefixed as the ASCII ones are', () => {
    const forms = ['\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '\uFE66', '\uFE62', '\uFE63', '\uFE6B', '\u2A75', '\u2212'];
    for (const f of forms) {
      const s = `${f}HYPERLINK("https://example.test","x")`;
      assert.equal(neutraliseFormula(s), `'${s}`, `U+${f.codePointAt(0)!.toString(16)}`);
    }
  });

  test('a formula behind leading blanks or invisible characters is prefixed', () => {
    for (const s of [' =1+1', '\u3000\uFF1D1+1', '\u00A0+1', '\u200B=1', '\uFEFF@x', '\u202E=1', '\u0000=1']) {
      assert.equal(neutraliseFormula(s), `'${s}`, JSON.stringify(s));
    }
  });

  test('ordinary text, numbers and dates are left as they are', () => {
    for (const s of ['', 'Dana Reyes', 'a=b', '1-2', 'x@example.test', '2026-12-07T18:00:00.000Z', '42', 'true', '\uFF21gent', 'keep']) {
      assert.equal(neutraliseFormula(s), s, JSON.stringify(s));
    }
  });

  test('cells are quoted by RFC 4180 after the prefix', () => {
    assert.equal(csvCell('＝1,2'), `"'＝1,2"`);
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('a\r\nb'), '"a\r\nb"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(false), 'false');
    assert.equal(csvCell(-3), `'-3`);
  });

  test('a document is a header and one CRLF-ended line per row', () => {
    type Row = { name: string; uses: number | null };
    const rows: Row[] = [{ name: '＋cmd', uses: 2 }, { name: 'Lee', uses: null }];
    assert.equal(csvDocument<Row>(['name', 'uses'], rows), `name,uses\r\n'＋cmd,2\r\nLee,\r\n`);
  });

  test("the access-review evidence writes its cells through it (R-GOV-1)", () => {
    const row: EvidenceRow = {
      campaign: 'Q4', campaignId: 'c', itemId: 'i', subjectKind: 'member', subjectId: 's', subjectName: '\uFF1DHYPERLINK("https://example.test")',
      entitlementKind: 'role', entitlement: 'Agent', reviewerId: '', decision: 'keep', decidedBy: '', decidedAt: '', revoked: false, note: '\uFF20SUM(1)',
      breakGlassUses: null, breakGlassLastUseAt: '', breakGlassInappropriate: null,
    };
    const line = evidenceCsv([row]).split('\r\n')[1]!;
    assert.ok(line.includes(`"'\uFF1DHYPERLINK(""https://example.test"")"`), line);
    assert.ok(line.includes(`,'\uFF20SUM(1),`), line);
  });
});
