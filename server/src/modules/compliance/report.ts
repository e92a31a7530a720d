import type { PolicyInfo } from '../policy/index.ts';
import type { Figure, TenantEvidence } from './evidence.ts';
import { REGULATIONS, type ComplianceMapping, type EvidenceKey, type Regulation, type Requirement } from './mapping.ts';
import { summariseTestFile, type TestFileSummary, type TestResults } from './test-results.ts';

/**
 * The compliance evidence report (R-GOV-4, R-AUTHZ-6): every requirement → its controls (Cedar
 * policies with their own 45 CFR / NIST annotations, code paths) → its tests with their result in the
 * last recorded run → its regulation sections → the tenant's live state, with 90-day trends.
 * `buildReport` makes the data (the JSON format); `renderHtml` the document (HTML, and PDF from it).
 * No PHI and no identifier: figures are counts; the tenant is named by its slug.
 */
export interface ReportRequirement {
  id: string;
  area: string;
  text: string;
  status: 'proved' | 'failing' | 'untested' | 'gap';
  gap?: string;
  controls: { policies: Array<{ id: string; effect: string; cfr: string; nist: string; file: string }>; code: string[] };
  tests: TestFileSummary[];
  regulations: Record<Regulation, string[]>;
  evidence: EvidenceKey[];
}

export interface ComplianceReport {
  format: 'ward-compliance-report';
  version: 1;
  tenant: string;
  generatedAt: string;
  wardVersion: string;
  window: TenantEvidence['window'];
  testRun: { at: string | null; finishedAt: string | null; node: string | null; filesRecorded: number };
  summary: { requirements: number; proved: number; failing: number; untested: number; gaps: number };
  figures: Figure[];
  requirements: ReportRequirement[];
}

export function buildReport(input: {
  requirements: readonly Requirement[];
  mapping: ComplianceMapping;
  policies: ReadonlyMap<string, PolicyInfo>;
  results: TestResults | null;
  evidence: TenantEvidence;
  wardVersion: string;
}): ComplianceReport {
  const { mapping, policies, results, evidence } = input;
  const rows: ReportRequirement[] = input.requirements.map((r) => {
    const m = mapping.requirements[r.id];
    const gap = mapping.gaps[r.id];
    const tests = (m?.tests ?? []).map((file) => summariseTestFile(results, file));
    const status: ReportRequirement['status'] = gap !== undefined || !m || m.tests.length === 0
      ? 'gap'
      : tests.some((t) => t.status === 'fail') ? 'failing' : tests.some((t) => t.status === 'pass') ? 'proved' : 'untested';
    return {
      id: r.id,
      area: r.area,
      text: r.text,
      status,
      ...(gap !== undefined ? { gap } : {}),
      controls: {
        policies: (m?.controls.policies ?? []).map((id) => {
          const p = policies.get(id);
          return { id, effect: p?.effect ?? 'unknown', cfr: p?.annotations.cfr ?? '', nist: p?.annotations.nist ?? '', file: p ? `policies/${p.file}` : '' };
        }),
        code: m?.controls.code ?? [],
      },
      tests,
      regulations: Object.fromEntries(REGULATIONS.map((reg) => [reg, m?.regulations[reg] ?? []])) as Record<Regulation, string[]>,
      evidence: m?.evidence ?? [],
    };
  });
  const count = (s: ReportRequirement['status']) => rows.filter((r) => r.status === s).length;
  return {
    format: 'ward-compliance-report',
    version: 1,
    tenant: evidence.tenant.slug,
    generatedAt: evidence.generatedAt,
    wardVersion: input.wardVersion,
    window: evidence.window,
    testRun: { at: results?.lastRun?.at ?? null, finishedAt: results?.lastRun?.finishedAt ?? null, node: results?.lastRun?.node ?? null, filesRecorded: Object.keys(results?.files ?? {}).length },
    summary: { requirements: rows.length, proved: count('proved'), failing: count('failing'), untested: count('untested'), gaps: count('gap') },
    figures: Object.values(evidence.figures),
    requirements: rows,
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A 90-day bar chart as inline SVG (no script, no external resource). */
export function trendSvg(values: readonly number[], opts: { width?: number; height?: number; label: string; isPercent?: boolean }): string {
  const width = opts.width ?? 270;
  const height = opts.height ?? 64;
  const max = opts.isPercent ? 100 : Math.max(1, ...values);
  const barWidth = width / Math.max(1, values.length);
  const bars = values
    .map((v, i) => {
      const h = v <= 0 ? 0 : Math.max(1, (v / max) * (height - 14));
      return `<rect x="${(i * barWidth).toFixed(2)}" y="${(height - 12 - h).toFixed(2)}" width="${Math.max(0.5, barWidth - 0.6).toFixed(2)}" height="${h.toFixed(2)}"/>`;
    })
    .join('');
  const top = opts.isPercent ? '100%' : String(max);
  return `<svg class="trend" role="img" aria-label="${escapeHtml(opts.label)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`
    + `<line x1="0" y1="${height - 12}" x2="${width}" y2="${height - 12}" class="axis"/>`
    + `<g class="bars">${bars}</g>`
    + `<text x="0" y="${height - 2}" class="tick">-90 d</text><text x="${width}" y="${height - 2}" text-anchor="end" class="tick">today</text>`
    + `<text x="${width}" y="9" text-anchor="end" class="tick">max ${escapeHtml(top)}</text></svg>`;
}

const STATUS_TEXT: Record<ReportRequirement['status'], string> = { proved: 'proved', failing: 'failing', untested: 'not run', gap: 'gap' };
const TEST_TEXT: Record<TestFileSummary['status'], string> = { pass: 'pass', fail: 'FAIL', 'not-run': 'not run' };

function figureCard(f: Figure): string {
  const isPercent = f.key === 'mfaCoverage' || f.key === 'passkeyAdoption' || f.key === 'aiRedaction';
  const chart = f.trend ? trendSvg(f.trend, { label: `${f.title}: ${f.trendLabel ?? ''}, last 90 days`, isPercent }) : '<div class="nochart">no trend</div>';
  const details = f.details ? `<div class="details">${Object.entries(f.details).map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(String(v))}`).join(' · ')}</div>` : '';
  return `<div class="card ${f.source === 'none' ? 'none' : ''} ${f.key === 'auditVerification' && f.value === 0 ? 'bad' : ''}" id="fig-${f.key}">
  <div class="title">${escapeHtml(f.title)}</div>
  <div class="value">${escapeHtml(f.display)}</div>
  ${chart}
  ${f.trendLabel && f.trend ? `<div class="legend">${escapeHtml(f.trendLabel)}</div>` : ''}
  ${details}
  <div class="definition">${escapeHtml(f.definition)}</div>
</div>`;
}

function requirementRow(r: ReportRequirement): string {
  const policies = r.controls.policies
    .map((p) => `<li><code>${escapeHtml(p.id)}</code> <span class="muted">${escapeHtml(p.effect)}${p.cfr ? ` · 45 CFR ${escapeHtml(p.cfr)}` : ''}${p.nist ? ` · NIST ${escapeHtml(p.nist)}` : ''}</span></li>`)
    .join('');
  const code = r.controls.code.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('');
  const tests = r.tests
    .map((t) => `<li><span class="badge ${t.status}">${TEST_TEXT[t.status]}</span> <code>${escapeHtml(t.file)}</code>${t.status === 'not-run' ? '' : ` <span class="muted">${t.passed} passed${t.failed ? `, ${t.failed} failed` : ''}${t.skipped ? `, ${t.skipped} skipped` : ''}</span>`}</li>`)
    .join('');
  const regs = REGULATIONS.filter((reg) => r.regulations[reg].length > 0)
    .map((reg) => `<div><span class="muted">${escapeHtml(reg)}</span> ${r.regulations[reg].map(escapeHtml).join(', ')}</div>`)
    .join('');
  const evidence = r.evidence.map((k) => `<a href="#fig-${k}">${escapeHtml(k)}</a>`).join(', ');
  return `<tr class="req ${r.status}">
  <td class="id"><b>${escapeHtml(r.id)}</b><br/><span class="badge ${r.status}">${STATUS_TEXT[r.status]}</span></td>
  <td class="text">${escapeHtml(r.text)}${r.gap ? `<div class="gap">Gap: ${escapeHtml(r.gap)}</div>` : ''}</td>
  <td>${policies ? `<ul>${policies}</ul>` : ''}${code ? `<ul>${code}</ul>` : ''}${!policies && !code ? '<span class="muted">none</span>' : ''}</td>
  <td>${tests ? `<ul>${tests}</ul>` : '<span class="muted">none</span>'}</td>
  <td>${regs}</td>
  <td>${evidence || '<span class="muted">—</span>'}</td>
</tr>`;
}

const STYLE = `
body{font:12px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2330;margin:24px;}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #d5dae3;padding-bottom:4px}
.meta{color:#556;margin-bottom:12px}.summary span{margin-right:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:10px}
.card{border:1px solid #d5dae3;border-radius:6px;padding:10px;break-inside:avoid}
.card .title{font-weight:600}.card .value{font-size:18px;margin:2px 0 6px}
.card.none{background:#f6f7f9;color:#667}.card.bad{border-color:#b3261e;background:#fdecea}
.card .definition,.card .details,.card .legend{color:#556;font-size:11px;margin-top:4px}
svg.trend .bars rect{fill:#2f6fb3}svg.trend .axis{stroke:#aab}svg.trend .tick{font-size:8px;fill:#778}
.nochart{color:#889;font-size:11px;height:24px}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #e3e6ec;padding:5px 6px;vertical-align:top;text-align:left}
th{background:#f1f3f7;font-size:11px}tr.req{break-inside:avoid}td.id{white-space:nowrap}td.text{max-width:280px}
ul{margin:0;padding-left:14px}code{font-size:10.5px}.muted{color:#667;font-size:11px}
.badge{display:inline-block;border-radius:3px;padding:0 4px;font-size:10px;font-weight:600}
.badge.pass,.badge.proved{background:#e3f4e6;color:#1d6b2c}.badge.fail,.badge.failing{background:#fdecea;color:#b3261e}
.badge.not-run,.badge.untested{background:#f1f3f7;color:#556}.badge.gap{background:#fff4d6;color:#8a5a00}
.gap{margin-top:4px;color:#8a5a00}
@media print{body{margin:0}h2{break-after:avoid}}
`;

export function renderHtml(report: ComplianceReport): string {
  const s = report.summary;
  const run = report.testRun.at ? `last recorded test run ${escapeHtml(report.testRun.at)} (Node ${escapeHtml(report.testRun.node ?? '?')}, ${report.testRun.filesRecorded} test files recorded)` : 'no recorded test run (run npm test)';
  const areas = [...new Set(report.requirements.map((r) => r.area))];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"/><title>Ward compliance evidence: ${escapeHtml(report.tenant)}</title>
<meta name="generator" content="ward ${escapeHtml(report.wardVersion)}"/><style>${STYLE}</style></head>
<body>
<h1>Compliance evidence: tenant ${escapeHtml(report.tenant)}</h1>
<div class="meta">Generated ${escapeHtml(report.generatedAt)} by Ward ${escapeHtml(report.wardVersion)} · window ${escapeHtml(report.window.from)} to ${escapeHtml(report.window.to)} (${report.window.days} days) · ${run}</div>
<div class="summary"><span><b>${s.requirements}</b> requirements</span><span><b>${s.proved}</b> proved by passing tests</span><span><b>${s.failing}</b> failing</span><span><b>${s.untested}</b> tests not run</span><span><b>${s.gaps}</b> gaps</span></div>
<h2>Live state of the tenant</h2>
<div class="cards">${report.figures.map(figureCard).join('\n')}</div>
${areas.map((area) => `<h2>${escapeHtml(area)}</h2>
<table><thead><tr><th>Requirement</th><th>Text</th><th>Controls (policies, code)</th><th>Tests (last recorded run)</th><th>Regulation sections</th><th>Evidence</th></tr></thead>
<tbody>${report.requirements.filter((r) => r.area === area).map(requirementRow).join('\n')}</tbody></table>`).join('\n')}
<p class="muted">The mapping is data (compliance/mapping.json); a test fails when a requirement of docs/requirements.md has no control or no test there and is not listed as a gap. Policy sections come from the policies' own annotations. Figures are counts from the tenant's audit trail and identity tables; no PHI and no identifier.</p>
</body></html>
`;
}
