/** The compliance evidence report (R-GOV-4, R-AUTHZ-6): mapping as data, live evidence, HTML/PDF/JSON. docs/observability.md. */
export {
  EVIDENCE_KEYS, MAPPING_PATH, REGULATIONS, REPO_ROOT, REQUIREMENTS_PATH, loadMapping, loadRequirements, mappingProblems, parseRequirements,
  type ComplianceMapping, type EvidenceKey, type Regulation, type Requirement, type RequirementMapping,
} from './mapping.ts';
export { DEFAULT_TEST_RESULTS_PATH, readTestResults, summariseTestFile, type TestFileSummary, type TestResults } from './test-results.ts';
export { EVIDENCE_SQL, TREND_DAYS, collectEvidence, type Figure, type TenantEvidence, type VerificationSummary } from './evidence.ts';
export { buildReport, renderHtml, trendSvg, type ComplianceReport, type ReportRequirement } from './report.ts';
export { DEFAULT_CHROMIUM, htmlToPdf, htmlToPng } from './pdf.ts';
