import type { Authenticated } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { RiskFactReader } from './facts.ts';
import { assessRisk, type FactName, type RiskFacts, type RiskLevel, type RiskRuleSet } from './rules.ts';

/**
 * R-SESS-2: what the enforcement point adds to every decision: the live facts, the level the rule
 * set gives them, and whether the person verified themselves after the signals arose (a step-up
 * answers a `medium`; nothing answers a `high`).
 */
export interface RiskContext {
  risk: RiskLevel;
  /** A user verification happened after the new network or country that raised the risk, if one did. */
  verifiedSinceRaised: boolean;
  rules: string[];
  facts: RiskFacts;
}

export interface RiskAssessor {
  /** Reads the facts in `tx` (the request's transaction) and assesses them. */
  assess(tx: Tx, who: Authenticated, ctx: { sourceIp: string | null }): Promise<RiskContext>;
}

export function createRiskAssessor(deps: { rules: RiskRuleSet; read: RiskFactReader; clock: { now(): Date } }): RiskAssessor {
  return {
    async assess(tx, who, ctx) {
      const { facts, onsets } = await deps.read(tx, who, { sourceIp: ctx.sourceIp, now: deps.clock.now() });
      const assessed = assessRisk(deps.rules, facts);
      // A new network or country is answered by a verification made after its first use; every
      // other signal by a recent one (the policy's window): bursts and detections keep moving while
      // someone keeps going, and must never lock the principal out (facts.ts).
      const raisedBy = new Set<FactName>();
      for (const rule of deps.rules.rules) if (assessed.rules.includes(rule.id)) for (const f of Object.keys(rule.when) as FactName[]) raisedBy.add(f);
      const verifiedAt = who.credential.lastVerifiedAt.getTime();
      const verifiedSinceRaised = (['newPrefix', 'newCountry'] as const).every((f) => !raisedBy.has(f) || onsets[f] === undefined || verifiedAt > onsets[f]!.getTime());
      return { risk: assessed.risk, verifiedSinceRaised, rules: assessed.rules, facts };
    },
  };
}

/** `risk.<fact>` for each fact name met so far: built once, not concatenated on every request (R-OPS-1). */
const METADATA_KEYS = new Map<string, string>();

/** The facts as flat audit metadata (R-AUDIT-1: the decision's facts, never PHI). */
export function riskAuditMetadata(r: RiskContext): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { risk: r.risk, riskRules: r.rules.join(','), riskVerified: r.verifiedSinceRaised };
  for (const [k, v] of Object.entries(r.facts)) {
    let key = METADATA_KEYS.get(k);
    if (key === undefined) METADATA_KEYS.set(k, (key = `risk.${k}`));
    out[key] = v;
  }
  return out;
}
