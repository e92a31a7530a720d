import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardError } from '@ward/contracts';

/**
 * The compliance mapping (R-AUTHZ-6, R-GOV-4): `compliance/mapping.json` at the repository root, data
 * that says for each requirement of docs/requirements.md which controls implement it (Cedar policy
 * ids, code paths), which tests prove it, which 45 CFR, NIST SP 800-53 and 42 CFR Part 2 sections it
 * serves and which live figures show its state. A requirement with nothing to show yet is listed
 * under `gaps` with the reason, and the report prints it as a gap; mapping.test.ts keeps the two honest.
 */
export const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;
export const MAPPING_PATH = join(REPO_ROOT, 'compliance', 'mapping.json');
export const REQUIREMENTS_PATH = join(REPO_ROOT, 'docs', 'requirements.md');

export const REGULATIONS = ['45 CFR', 'NIST SP 800-53', '42 CFR Part 2'] as const;
export type Regulation = (typeof REGULATIONS)[number];

export const EVIDENCE_KEYS = [
  'mfaCoverage', 'passkeyAdoption', 'accessReviews', 'phiDenials', 'stepUps', 'breakGlass', 'inactiveDisabled', 'auditVerification', 'aiRedaction', 'aiDraftEdits', 'disclosures',
] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

export interface RequirementMapping {
  controls: { policies: string[]; code: string[] };
  tests: string[];
  regulations: Record<Regulation, string[]>;
  evidence?: EvidenceKey[];
}

export interface ComplianceMapping {
  requirements: Record<string, RequirementMapping>;
  /** Requirements with no control or no test yet, and why. */
  gaps: Record<string, string>;
}

export interface Requirement {
  id: string;
  /** The heading it sits under in docs/requirements.md (its area and regulation sections). */
  area: string;
  /** Its text, without Markdown links. */
  text: string;
}

/** The requirement IDs and texts of docs/requirements.md, in order. */
export function parseRequirements(markdown: string): Requirement[] {
  const out: Requirement[] = [];
  let area = '';
  let current: Requirement | null = null;
  for (const line of markdown.split('\n')) {
    const heading = /^## (.*)$/.exec(line);
    const item = /^- \*\*(R-[A-Z]+-\d+)\*\* (.*)$/.exec(line);
    if (heading) {
      area = heading[1]!.trim();
      current = null;
    } else if (item) {
      current = { id: item[1]!, area, text: item[2]! };
      out.push(current);
    } else if (current && /^ {2}\S/.test(line)) {
      current.text += ` ${line.trim()}`;
    } else {
      current = null;
    }
  }
  for (const r of out) r.text = r.text.replace(/\s*→\s*\[[^\]]*\]\([^)]*\)[^.]*$/, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`/g, '$1').trim();
  return out;
}

export function loadMapping(path = MAPPING_PATH): ComplianceMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new WardError('CONFIG_INVALID', 'compliance/mapping.json cannot be read as JSON.', { cause: e });
  }
  const m = raw as Partial<ComplianceMapping>;
  if (!m || typeof m.requirements !== 'object' || m.requirements === null) throw new WardError('CONFIG_INVALID', 'compliance/mapping.json has no requirements.');
  return { requirements: m.requirements, gaps: m.gaps ?? {} };
}

export function loadRequirements(path = REQUIREMENTS_PATH): Requirement[] {
  return parseRequirements(readFileSync(path, 'utf8'));
}

/**
 * What is wrong with the mapping against the requirements, the repository and the policies: a
 * requirement with no control or no test (and no gap that says why), a gap that is no longer one,
 * a path that does not exist, a policy id the default policies do not have, an unknown requirement,
 * regulation or evidence key. Empty: the mapping holds.
 */
export function mappingProblems(mapping: ComplianceMapping, requirements: readonly Requirement[], opts: { policyIds: ReadonlySet<string>; root?: string }): string[] {
  const root = opts.root ?? REPO_ROOT;
  const problems: string[] = [];
  const listed = new Set(requirements.map((r) => r.id));
  for (const id of Object.keys(mapping.requirements)) if (!listed.has(id)) problems.push(`${id}: not a requirement of docs/requirements.md`);
  for (const id of Object.keys(mapping.gaps)) if (!listed.has(id)) problems.push(`${id}: a gap for a requirement docs/requirements.md does not list`);
  for (const { id } of requirements) {
    const m = mapping.requirements[id];
    const gap = mapping.gaps[id];
    if (!m) {
      problems.push(`${id}: not in the mapping`);
      continue;
    }
    const hasControl = m.controls.policies.length + m.controls.code.length > 0;
    const hasTest = m.tests.length > 0;
    if (gap === undefined) {
      if (!hasControl) problems.push(`${id}: no control (policy or code path)`);
      if (!hasTest) problems.push(`${id}: no test`);
    } else if (!gap.trim()) {
      problems.push(`${id}: a gap without a reason`);
    } else if (hasControl && hasTest) {
      problems.push(`${id}: listed as a gap but has controls and tests (remove the gap)`);
    }
    for (const p of m.controls.policies) if (!opts.policyIds.has(p)) problems.push(`${id}: policy ${p} is not a default policy`);
    for (const path of [...m.controls.code, ...m.tests]) if (!existsSync(join(root, path))) problems.push(`${id}: ${path} does not exist`);
    for (const path of m.tests) if (!/\.test\.ts$/.test(path) && !/^policies\/tests\/[^/]+\.json$/.test(path)) problems.push(`${id}: ${path} is not a test file or decision table`);
    for (const reg of Object.keys(m.regulations ?? {})) if (!(REGULATIONS as readonly string[]).includes(reg)) problems.push(`${id}: unknown regulation ${reg}`);
    if (REGULATIONS.every((reg) => (m.regulations?.[reg] ?? []).length === 0)) problems.push(`${id}: no regulation section`);
    for (const key of m.evidence ?? []) if (!(EVIDENCE_KEYS as readonly string[]).includes(key)) problems.push(`${id}: unknown evidence ${key}`);
  }
  return problems;
}
