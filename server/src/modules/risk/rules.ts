import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardError } from '@ward/contracts';

/**
 * R-SESS-2: the live facts of one request and the rule set (data, policies/risk-rules.json) that
 * combines them into `risk`. Pure: the facts are read elsewhere (facts.ts), in the request's
 * transaction. The catalogue below, not the data, says which facts an outsider can raise for someone
 * else: a rule reading one of those may raise `medium` (a step-up) and never `high` (a block).
 */
export interface RiskFacts {
  /** Seconds since the session began (a token: since it was issued). */
  sessionAgeSeconds: number;
  /** Seconds since the last user verification (a token: since it was issued). */
  verifiedAgeSeconds: number;
  /** The device's posture; `none` when no device carried the request (a workload). */
  devicePosture: 'managed' | 'unmanaged' | 'unknown' | 'none';
  /** Seconds since the device's posture was last reported; -1 when never or no device. */
  postureAgeSeconds: number;
  /** The request's network prefix (/24, /48) is recent for this principal, who used others before. */
  newPrefix: boolean;
  /** The request's country is recent for this principal, who used others before. */
  newCountry: boolean;
  /** Outside the tenant's working hours in the tenant's time zone. */
  offHours: boolean;
  /** Denials of this principal's requests in the last 10 minutes. */
  recentDenials: number;
  /** Failed sign-ins and step-ups against this member in the last 15 minutes. */
  recentFailedAuth: number;
  /** Open detections that name this principal (R-MON-1). */
  openDetections: number;
}

export type FactName = keyof RiskFacts;
export const RISK_OUTCOMES = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_OUTCOMES)[number];

/** Who can raise each fact. `outsider`: anyone who knows the principal's name (a failed sign-in). */
export const FACT_SOURCES: Readonly<Record<FactName, 'own' | 'outsider'>> = {
  sessionAgeSeconds: 'own',
  verifiedAgeSeconds: 'own',
  devicePosture: 'own',
  postureAgeSeconds: 'own',
  newPrefix: 'own',
  newCountry: 'own',
  offHours: 'own',
  recentDenials: 'outsider',
  recentFailedAuth: 'outsider',
  openDetections: 'own',
};

type Condition = boolean | { gte: number } | { in: string[] };

export interface RiskRule {
  id: string;
  risk: Exclude<RiskLevel, 'low'>;
  when: Partial<Record<FactName, Condition>>;
  why: string;
}

export interface RiskRuleSet {
  version: number;
  rules: readonly RiskRule[];
}

export interface RiskAssessment {
  risk: RiskLevel;
  /** The ids of the rules that matched, in rule order. */
  rules: string[];
  /** Whether a rule that matched reads a fact an outsider can raise. */
  outsiderRaised: boolean;
}

const BOOLEAN_FACTS: ReadonlySet<FactName> = new Set(['newPrefix', 'newCountry', 'offHours']);
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

function invalid(message: string): never {
  throw new WardError('CONFIG_INVALID', `risk rules: ${message}`);
}

function checkCondition(rule: string, fact: FactName, c: unknown): Condition {
  const kind = fact === 'devicePosture' ? 'string' : BOOLEAN_FACTS.has(fact) ? 'boolean' : 'number';
  if (kind === 'boolean') {
    if (typeof c !== 'boolean') invalid(`${rule}: ${fact} takes true or false`);
    return c as boolean;
  }
  const o = c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
  if (kind === 'number') {
    if (Object.keys(o).length !== 1 || typeof o.gte !== 'number' || !Number.isFinite(o.gte)) invalid(`${rule}: ${fact} takes {"gte": <number>}`);
    return { gte: o.gte as number };
  }
  if (Object.keys(o).length !== 1 || !Array.isArray(o.in) || !o.in.every((x) => typeof x === 'string') || o.in.length === 0) invalid(`${rule}: ${fact} takes {"in": [<posture>, …]}`);
  return { in: o.in as string[] };
}

/** Checks a rule set; throws CONFIG_INVALID naming the rule. */
export function parseRiskRules(value: unknown): RiskRuleSet {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid('must be an object');
  const root = value as Record<string, unknown>;
  if (typeof root.version !== 'number') invalid('version must be a number');
  if (!Array.isArray(root.rules)) invalid('rules must be a list');
  const seen = new Set<string>();
  const rules = (root.rules as unknown[]).map((r, i): RiskRule => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) invalid(`rule ${i} must be an object`);
    const o = r as Record<string, unknown>;
    const id = typeof o.id === 'string' && RULE_ID.test(o.id) ? o.id : invalid(`rule ${i}: id must be kebab-case`);
    if (seen.has(id)) invalid(`${id}: duplicate id`);
    seen.add(id);
    if (o.risk !== 'medium' && o.risk !== 'high') invalid(`${id}: risk must be medium or high`);
    const risk = o.risk as RiskRule['risk'];
    if (o.when === null || typeof o.when !== 'object' || Array.isArray(o.when) || Object.keys(o.when).length === 0) invalid(`${id}: when must name at least one fact`);
    const when: RiskRule['when'] = {};
    for (const [name, c] of Object.entries(o.when as Record<string, unknown>)) {
      if (!(name in FACT_SOURCES)) invalid(`${id}: unknown fact ${name}`);
      const fact = name as FactName;
      // The rule the issue states: an outsider cannot block someone else, only make them step up.
      if (risk === 'high' && FACT_SOURCES[fact] === 'outsider') invalid(`${id}: ${fact} can be raised by an outsider, so it may raise medium at most`);
      when[fact] = checkCondition(id, fact, c);
    }
    return { id, risk, when, why: typeof o.why === 'string' ? o.why : '' };
  });
  return { version: root.version as number, rules };
}

/** policies/risk-rules.json, checked. */
export function loadRiskRules(policiesDir: string): RiskRuleSet {
  let text: string;
  try {
    text = readFileSync(join(policiesDir, 'risk-rules.json'), 'utf8');
  } catch (e) {
    throw new WardError('CONFIG_INVALID', 'risk rules: policies/risk-rules.json cannot be read', { cause: e });
  }
  try {
    return parseRiskRules(JSON.parse(text));
  } catch (e) {
    if (e instanceof WardError) throw e;
    throw new WardError('CONFIG_INVALID', 'risk rules: policies/risk-rules.json is not JSON', { cause: e });
  }
}

function holds(c: Condition, value: RiskFacts[FactName]): boolean {
  if (typeof c === 'boolean') return value === c;
  if ('gte' in c) return typeof value === 'number' && value >= 0 && value >= c.gte;
  return typeof value === 'string' && c.in.includes(value);
}

/** The level of one request's facts: the highest rule that matched, `low` when none did. */
export function assessRisk(rules: RiskRuleSet, facts: RiskFacts): RiskAssessment {
  let risk: RiskLevel = 'low';
  const matched: string[] = [];
  let outsiderRaised = false;
  for (const rule of rules.rules) {
    const names = Object.keys(rule.when) as FactName[];
    if (!names.every((name) => holds(rule.when[name]!, facts[name]))) continue;
    matched.push(rule.id);
    if (names.some((n) => FACT_SOURCES[n] === 'outsider')) outsiderRaised = true;
    if (RANK[rule.risk] > RANK[risk]) risk = rule.risk;
  }
  return { risk, rules: matched, outsiderRaised };
}
