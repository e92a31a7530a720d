import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from './scenario.ts';

/** The drill's report (R-GOV-3): one JSON file for machines, one self-contained HTML page for people. */
export interface DrillReport {
  target: string;
  startedAt: string;
  finishedAt: string;
  tenants: string[];
  summary: { scenarios: number; blocked: number; failed: number };
  results: Result[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function summaryLine(r: Pick<DrillReport, 'summary'>): string {
  return `drill: ${r.summary.scenarios} scenarios, ${r.summary.blocked} blocked, ${r.summary.failed} failed`;
}

export function reportHtml(r: DrillReport): string {
  const categories = [...new Set(r.results.map((x) => x.category))];
  const rows = (cat: string) => r.results.filter((x) => x.category === cat).map((x) =>
    `<tr class="${x.outcome}"><td>${x.outcome === 'blocked' ? 'blocked' : '<b>FAILED</b>'}</td><td><code>${esc(x.id)}</code><br>${esc(x.title)}</td><td>${esc(x.expected)}</td><td>${esc(x.observed)}</td><td>${x.covers.map(esc).join('<br>')}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ward privilege-escalation drill</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}tr.failed{background:#fdd}tr.blocked td:first-child{color:#060}code{font-size:12px}</style></head>
<body><h1>Ward privilege-escalation drill</h1>
<p>Target ${esc(r.target)}; ${esc(r.startedAt)} to ${esc(r.finishedAt)}; throwaway tenants ${r.tenants.map(esc).join(', ')} (shredded after the run).</p>
<p><b>${esc(summaryLine(r))}</b></p>
${categories.map((c) => `<h2>${esc(c)}</h2><table><tr><th>outcome</th><th>scenario</th><th>expected</th><th>observed</th><th>covers</th></tr>\n${rows(c)}</table>`).join('\n')}
</body></html>
`;
}

export function writeReports(dir: string, r: DrillReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `drill-${stamp}.json`);
  const html = join(dir, `drill-${stamp}.html`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(html, reportHtml(r), { mode: 0o600 });
  return { json, html };
}
