import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { WardError } from '@ward/contracts';
import { cedar, cedarMessage, type DetailedError, type PolicyJson } from './cedar.ts';
import type { PolicyInfo } from './types.ts';

/** The repository's policies directory (schema, default/, tests/, masks.json). */
export const DEFAULT_POLICIES_DIR = resolve(new URL('../../../../policies', import.meta.url).pathname);

export const SCHEMA_FILE = 'schema.cedarschema';
const REQUIRED_ANNOTATIONS = ['id', 'requirement', 'cfr', 'nist'] as const;
const POLICY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const OBLIGATIONS = new Set(['stepUp', 'justification']);

/** A parsed, annotated policy: its text for Cedar and its JSON form for the slicer. */
export interface LoadedPolicy extends PolicyInfo {
  text: string;
  json: PolicyJson;
}

export interface LoadedPolicySet {
  schemaText: string;
  policies: Map<string, LoadedPolicy>;
  /** action → resource types (from the schema). */
  actions: Map<string, string[]>;
  /** entity type → attribute names (from the schema), to pass no attribute Cedar does not know. */
  attributes: Map<string, Set<string>>;
  /**
   * SHA-256 (hex) of the schema and of every default policy file, by name, in name order: what a
   * decision record names so that the decision can be replayed against the exact policies (R-AUDIT-1).
   */
  digest: string;
}

function configInvalid(message: string, cause?: unknown): WardError {
  return new WardError('CONFIG_INVALID', message, cause === undefined ? undefined : { cause });
}

/** Reads and checks the schema; throws CONFIG_INVALID naming the file. */
export function loadSchema(dir: string): Pick<LoadedPolicySet, 'schemaText' | 'actions' | 'attributes'> {
  let schemaText: string;
  try {
    schemaText = readFileSync(join(dir, SCHEMA_FILE), 'utf8');
  } catch (e) {
    throw configInvalid(`policies: cannot read ${SCHEMA_FILE} in ${dir}`, e);
  }
  const answer = cedar.schemaToJson(schemaText);
  if (answer.type !== 'success') throw configInvalid(`policies: ${SCHEMA_FILE}: ${cedarMessage(answer.errors)}`);
  const ns = answer.json[''];
  if (!ns) throw configInvalid(`policies: ${SCHEMA_FILE}: declare the types without a namespace`);
  // Decisions run without the schema and with entities that have no parents, so a hierarchy
  // would be invisible at run time: `action in Action::"group"` would be false and a forbid
  // written that way would never apply. The schema must have none.
  const actions = new Map<string, string[]>();
  for (const [name, def] of Object.entries(ns.actions)) {
    if (def.memberOf?.length) throw configInvalid(`policies: ${SCHEMA_FILE}: action ${name} is in a group; action groups are not supported`);
    actions.set(name, [...(def.appliesTo?.resourceTypes ?? [])]);
  }
  const attributes = new Map<string, Set<string>>();
  for (const [name, def] of Object.entries(ns.entityTypes)) {
    if ('memberOfTypes' in def && def.memberOfTypes?.length) {
      throw configInvalid(`policies: ${SCHEMA_FILE}: entity type ${name} has parents; entity hierarchies are not supported`);
    }
    const shape = 'shape' in def ? (def.shape as { attributes?: Record<string, unknown> } | undefined) : undefined;
    attributes.set(name, new Set(Object.keys(shape?.attributes ?? {})));
  }
  return { schemaText, actions, attributes };
}

/**
 * Splits one file of Cedar text into annotated policies. `label` names the file in messages; policy
 * text is configuration, not PHI, but tenant texts are only ever quoted by policy id.
 */
export function parsePolicyText(
  text: string,
  label: string,
  required: readonly string[] = REQUIRED_ANNOTATIONS,
): LoadedPolicy[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== 'success') throw configInvalid(`policies: ${label}: ${cedarMessage(parts.errors)}`);
  if (parts.policy_templates.length > 0) throw configInvalid(`policies: ${label}: templates are not supported`);
  return parts.policies.map((policyText, index) => {
    const answer = cedar.policyToJson(policyText);
    if (answer.type !== 'success') throw configInvalid(`policies: ${label}: ${cedarMessage(answer.errors)}`);
    const annotations = { ...(answer.json.annotations ?? {}) };
    for (const name of ['id', ...required]) {
      if (!annotations[name]) throw configInvalid(`policies: ${label}: policy #${index + 1} has no @${name} annotation`);
    }
    const id = annotations.id!;
    if (!POLICY_ID.test(id)) throw configInvalid(`policies: ${label}: policy #${index + 1}: @id must be kebab-case`);
    checkObligation(annotations, answer.json.effect, `${label}: ${id}`);
    return { id, effect: answer.json.effect, file: label, annotations, text: policyText, json: answer.json };
  });
}

/** An obligation is a forbid the user can satisfy; a step-up names its window in seconds. */
function checkObligation(annotations: Record<string, string>, effect: string, where: string): void {
  const kind = annotations.obligation;
  if (kind === undefined) return;
  if (!OBLIGATIONS.has(kind)) throw configInvalid(`policies: ${where}: unknown @obligation`);
  if (effect !== 'forbid') throw configInvalid(`policies: ${where}: an @obligation must be a forbid`);
  if (kind === 'stepUp' && !/^[1-9][0-9]{0,5}$/.test(annotations.stepUpWithinSeconds ?? '')) {
    throw configInvalid(`policies: ${where}: @obligation("stepUp") needs @stepUpWithinSeconds("<seconds>")`);
  }
}

/**
 * Strict validation against the schema. `validate` answers `success` even with errors: read them.
 * Warnings count as errors: they say a policy can never apply (an impossible scope or condition),
 * which for a forbid means a rule that silently protects nothing.
 */
export function validateAgainstSchema(
  schemaText: string,
  policies: Iterable<{ id: string; text: string }>,
): Array<{ policyId: string; error: DetailedError }> {
  const staticPolicies: Record<string, string> = {};
  for (const p of policies) staticPolicies[p.id] = p.text;
  const answer = cedar.validate({ schema: schemaText, policies: { staticPolicies }, validationSettings: { mode: 'strict' } });
  if (answer.type !== 'success') return [{ policyId: '', error: answer.errors[0] ?? { message: 'validation failed', help: null, code: null, url: null, severity: null } }];
  return [...answer.validationErrors, ...answer.validationWarnings];
}

/**
 * Loads the schema and every `default/*.cedar`, checks annotations and ids, and validates the
 * whole set against the schema. Any problem stops the start (CONFIG_INVALID) with the file named.
 */
export function loadPolicyFiles(dir: string = DEFAULT_POLICIES_DIR): LoadedPolicySet {
  const schema = loadSchema(dir);
  const defaultDir = join(dir, 'default');
  let files: string[];
  try {
    files = readdirSync(defaultDir).filter((f) => f.endsWith('.cedar')).sort();
  } catch (e) {
    throw configInvalid(`policies: cannot read ${defaultDir}`, e);
  }
  if (files.length === 0) throw configInvalid(`policies: no .cedar file in ${defaultDir}`);
  const policies = new Map<string, LoadedPolicy>();
  const digest = createHash('sha256').update(`${SCHEMA_FILE}\u0000${schema.schemaText}\u0000`);
  for (const file of files) {
    const label = relative(dir, join(defaultDir, file));
    const text = readFileSync(join(defaultDir, file), 'utf8');
    digest.update(`${label}\u0000${text}\u0000`);
    for (const policy of parsePolicyText(text, label)) {
      const other = policies.get(policy.id);
      if (other) throw configInvalid(`policies: ${label}: @id("${policy.id}") is also used in ${other.file}`);
      policies.set(policy.id, policy);
    }
  }
  const hex = digest.digest('hex');
  const errors = validatedInThisTestRun(hex) ? [] : validateAgainstSchema(schema.schemaText, policies.values());
  if (errors.length > 0) {
    const first = errors[0]!;
    const file = policies.get(first.policyId)?.file ?? 'default/';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw configInvalid(`policies: ${file}: policy ${first.policyId} does not match the schema: ${first.error.message}${more}`);
  }
  for (const p of policies.values()) checkActionsExist(p, schema.actions);
  return { ...schema, policies, digest: hex };
}

/**
 * `npm test` validates the repository's policies once, in full, before any test file runs
 * (scripts/test.mjs, validate-policies.ts), and passes the digest of exactly what it validated;
 * a test process loading the same schema and files (the same digest) then skips Cedar's strict
 * validation, ~1.2 s of CPU in each of a hundred processes. Only under NODE_ENV=test; any other
 * set of files, and every server outside the tests, is validated as above.
 */
function validatedInThisTestRun(digest: string): boolean {
  const { env } = process;
  return env.NODE_ENV === 'test' && env.WARD_TEST_POLICIES_VALIDATED === digest;
}

/** The slicer reads action scopes; a scope naming an undeclared action is a typo worth stopping for. */
function checkActionsExist(policy: LoadedPolicy, actions: Map<string, string[]>): void {
  for (const id of actionScopeIds(policy.json) ?? []) {
    if (!actions.has(id)) throw configInvalid(`policies: ${policy.file}: ${policy.id} names an undeclared action`);
  }
}

/** The action ids a policy's action scope lists, or undefined when it applies to every action. */
export function actionScopeIds(json: PolicyJson): string[] | undefined {
  const scope = json.action as { op: string; entity?: unknown; entities?: unknown[] };
  const uids = scope.op === '==' || (scope.op === 'in' && scope.entity) ? [scope.entity] : scope.op === 'in' ? (scope.entities ?? []) : undefined;
  return uids?.map((uid) => {
    const u = uid as { __entity?: { id: string }; id?: string };
    return u.__entity?.id ?? u.id ?? '';
  });
}
