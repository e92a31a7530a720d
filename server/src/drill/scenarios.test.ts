// R-GOV-3: the drill covers every defended row of the threat model, every finding of the penetration
// test and every category of attack the drill is asked to try, with at least 80 scenarios.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { allScenarios, PT, TM } from './index.ts';
import { reportHtml, summaryLine } from './report.ts';

const root = new URL('../../../', import.meta.url).pathname;

/** Each defended row of docs/threat-model.md (by the start of its threat column) and the label scenarios cover it with. */
const THREAT_ROWS: Record<string, string> = {
  "An application bug reads another tenant's rows": TM.rls,
  'A leaked `ward_app` password (or an injected statement) sets': TM.mac,
  "An audit event written under another actor's name": TM.auditActor,
  'A leaked `ward_app` credential or an injected statement grants': TM.definer,
  'A leaked `ward_app` credential or an injected statement re-keys': TM.definerKeys,
  'A row written pointing into another tenant or scope': TM.compositeFk,
  'The server started with a role that can read or write past': TM.roleCheck,
  'An audit record altered or deleted through the application': TM.auditAppend,
  'A leaked `ward_app` credential or an injected statement inserts audit records through': TM.auditBatch,
  'Authentication code reads across tenants': TM.narrowLookups,
  'Two processes open one embedded data directory': TM.dataDirLock,
  'PHI in logs or error messages': TM.phiInErrors,
  'PHI in process lists': TM.phiInArgs,
  'Server-side request forgery': TM.ssrf,
};

/** The categories the issue lists; those of capabilities not on main yet are named with their issue. */
const CATEGORIES = [
  'cross-tenant and cross-scope reads', 'scope and role self-grant', 'approval self-dealing', 'stale session after a role change',
  'cookie without device key and proof replay', 'DPoP token replay and audience confusion', 'alg confusion and unsigned tokens', 'CSRF',
  'WebAuthn challenge replay and wrong origin', 'enrollment and recovery link reuse', 'SCIM token across tenants', 'MCP calls beyond role or call',
  'AI tasks on unreadable data', 'a forged scope in PostgreSQL', 'audit tampering detection', 'SQL injection in every parameter',
];
const PENDING = { 'break-glass abuse': 'issue 23 (elevation and break-glass) is not on main' };

function defendedRows(): string[] {
  const text = readFileSync(`${root}docs/threat-model.md`, 'utf8');
  const table = text.split('## Defended')[1]!.split('\n## ')[0]!;
  return table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| threat') && !l.startsWith('| ---')).map((l) => l.slice(2).split(' | ')[0]!);
}

describe('the drill scenarios', () => {
  const scenarios = allScenarios();
  const covered = new Set(scenarios.flatMap((s) => s.covers));

  test('there are at least 80, with unique ids, each with an expected outcome', () => {
    assert.ok(scenarios.length >= 80, `${scenarios.length} scenarios`);
    assert.equal(new Set(scenarios.map((s) => s.id)).size, scenarios.length);
    for (const s of scenarios) assert.ok(s.expected.length > 5 && s.title.length > 5 && s.covers.length > 0, s.id);
  });

  test('every defended row of docs/threat-model.md has a scenario', () => {
    const rows = defendedRows();
    assert.ok(rows.length >= 11);
    for (const row of rows) {
      const key = Object.keys(THREAT_ROWS).find((k) => row.startsWith(k));
      assert.ok(key, `the threat-model row "${row}" has no drill label: add one to THREAT_ROWS and a scenario that covers it`);
      assert.ok(covered.has(THREAT_ROWS[key] ?? ''), `no scenario covers "${row}"`);
    }
  });

  test('every finding of the penetration test has a scenario', () => {
    for (const finding of Object.values(PT)) assert.ok(covered.has(finding), finding);
  });

  test('every category of attack the drill is asked for has a scenario, except the capabilities not built yet', () => {
    const categories = new Set(scenarios.map((s) => s.category));
    for (const c of CATEGORIES) assert.ok(categories.has(c), c);
    for (const c of Object.keys(PENDING)) assert.ok(!categories.has(c), `${c} has scenarios now: move it to CATEGORIES`);
  });

  test('the summary line and the HTML report say what happened, escaped', () => {
    const report = {
      target: 'http://localhost:1', startedAt: 'a', finishedAt: 'b', tenants: ['drill-x-a'], summary: { scenarios: 2, blocked: 1, failed: 1 },
      results: [
        { id: 'x', category: 'CSRF', title: '<script>', expected: 'HTTP 403', observed: 'HTTP 200', covers: ['R-SESS-1'], outcome: 'failed' as const, ms: 1 },
        { id: 'y', category: 'CSRF', title: 't', expected: 'HTTP 403', observed: 'HTTP 403', covers: ['R-SESS-1'], outcome: 'blocked' as const, ms: 1 },
      ],
    };
    assert.equal(summaryLine(report), 'drill: 2 scenarios, 1 blocked, 1 failed');
    const html = reportHtml(report);
    assert.ok(html.includes('&#60;script&#62;') && !html.includes('<script>'));
    assert.ok(html.includes('FAILED'));
  });
});
