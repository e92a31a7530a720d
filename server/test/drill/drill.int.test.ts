// R-GOV-3: the privilege-escalation drill against a real server process: `ward drill --target` as an
// operator runs it beside the server (the operator socket in the server's data directory), every
// scenario blocked, the reports written, the throwaway tenants shredded.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import type { DrillReport } from '../../src/drill/index.ts';
import { startWardProcess, type WardProcess } from './ward-process.ts';

const root = new URL('../../../', import.meta.url).pathname;

describe('ward drill against a running server', () => {
  let ward: WardProcess;
  let reportDir: string;
  let out = '';
  let code: number;

  before(async () => {
    ward = await startWardProcess(root);
    reportDir = mkdtempSync(join(tmpdir(), 'ward-drill-reports-'));
    const io = {
      stdin: Readable.from([]),
      stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      env: { WARD_DATA_DIR: ward.dataDir },
    };
    const started = performance.now();
    code = await main(['drill', '--target', ward.origin, '--report-dir', reportDir], io);
    process.stdout.write(`# the drill took ${Math.round(performance.now() - started)} ms\n`);
  });
  after(async () => {
    await ward?.stop();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  test('every scenario is blocked, and the last line says so', () => {
    const lines = out.trim().split('\n');
    assert.equal(code, 0, out);
    assert.match(lines.at(-1)!, /^drill: \d+ scenarios, \d+ blocked, 0 failed$/);
    const [, n, blocked] = /^drill: (\d+) scenarios, (\d+) blocked/.exec(lines.at(-1)!)!;
    assert.ok(Number(n) >= 80);
    assert.equal(n, blocked);
  });

  test('the JSON and HTML reports hold each scenario with what was expected and observed', () => {
    const files = readdirSync(reportDir);
    const json = files.find((f) => f.endsWith('.json'))!;
    assert.ok(files.some((f) => f.endsWith('.html')));
    const report = JSON.parse(readFileSync(join(reportDir, json), 'utf8')) as DrillReport;
    assert.equal(report.results.length, report.summary.scenarios);
    for (const r of report.results) assert.ok(r.expected && r.observed && r.outcome === 'blocked', r.id);
  });

  test('the throwaway tenants are shredded', () => {
    const slugs = [...out.matchAll(/^drill: shredded (drill-[0-9a-f]{8}-[ab])$/gm)].map((m) => m[1]);
    assert.equal(slugs.length, 2, out);
  });
});
