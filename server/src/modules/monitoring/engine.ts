import type { SealableEvent } from '../audit/index.ts';
import { matches, type Rule, type Severity } from './rules.ts';

/**
 * The rule evaluator (R-MON-1): fed a tenant's sealed events in seq order, it says which raise a new
 * detection and which join one already raised. It keeps sliding windows in memory; the facts that
 * need history longer than a window (a baseline, a member's usual hours and devices) come from
 * `Lookups` (the database). `prime` feeds an event into the windows without raising anything, so
 * that a restart or a replay starts with the windows it would have had.
 */
export interface Lookups {
  /** Mean count per window of the actor's events with these actions over `lookbackDays` before `before`. */
  baselinePerWindow(e: SealableEvent, actions: string[], windowSeconds: number, lookbackDays: number, before: string): Promise<number>;
  /** The actor's successful sign-ins with these actions in `lookbackDays` before the event: all of them, and those within ± tolerance hours (UTC) of its hour. */
  signInHours(e: SealableEvent, actions: string[], lookbackDays: number, toleranceHours: number): Promise<{ total: number; near: number }>;
  /** Whether the actor used this device before the event (in `lookbackDays`), and the device's posture now. */
  device(e: SealableEvent, lookbackDays: number): Promise<{ isKnown: boolean; posture: string | null }>;
}

export interface NewDetection {
  type: 'new';
  ruleId: string;
  severity: Severity;
  principalKind: string;
  principalId: string;
  sessionId: string | null;
  deviceId: string | null;
  seqs: number[];
  triggerSeq: number;
  firstOccurredAt: string;
  lastOccurredAt: string;
  summary: string;
}
/** A further event of a detection already raised (by its rule and trigger seq). */
export interface JoinDetection {
  type: 'join';
  ruleId: string;
  triggerSeq: number;
  seq: number;
  occurredAt: string;
}
export type Finding = NewDetection | JoinDetection;

interface Hit {
  seq: number;
  at: number;
  occurredAt: string;
}
interface Incident {
  triggerSeq: number;
  until: number;
}

const principalOf = (e: SealableEvent) => `${e.actorKind}:${e.actorId}`;
const time = (e: SealableEvent) => Date.parse(e.occurredAt);

export interface Engine {
  /** Findings for one event (in seq order). */
  evaluate(e: SealableEvent): Promise<Finding[]>;
  /**
   * Feeds the windows (and the open incidents of event and threshold rules, which are decided from
   * the events alone) with an event before the point where evaluation starts; raises nothing.
   */
  prime(e: SealableEvent): Promise<void>;
  /** The longest window of any rule: how far before the start `prime` needs events. */
  readonly primeSeconds: number;
}

export function createEngine(rules: readonly Rule[], lookups: Lookups): Engine {
  const windows = new Map<string, Hit[]>(); // `${rule}|${principal}|hit` or `|all`
  const incidents = new Map<string, Incident>(); // `${rule}|${principal}`
  const checkedAt = new Map<string, number>(); // baseline: the count at the last look-up
  const primeSeconds = Math.max(0, ...rules.map((r) => (r.kind === 'threshold' || r.kind === 'baseline' ? r.windowSeconds : r.kind === 'event' ? r.cooldownSeconds ?? 0 : 0)));

  function slide(key: string, e: SealableEvent, windowSeconds: number): Hit[] {
    const at = time(e);
    const list = windows.get(key) ?? [];
    list.push({ seq: e.seq, at, occurredAt: e.occurredAt });
    let drop = 0;
    while (drop < list.length && list[drop]!.at <= at - windowSeconds * 1000) drop++;
    if (drop > 0) list.splice(0, drop);
    windows.set(key, list);
    return list;
  }

  function observe(rule: Rule, e: SealableEvent): { hits: Hit[]; all: Hit[] | null } | null {
    if (rule.kind !== 'threshold' && rule.kind !== 'baseline') return null;
    const p = principalOf(e);
    const isHit = matches(rule.match, e);
    const ratioOf = rule.kind === 'threshold' ? rule.ratio?.of : undefined;
    const all = ratioOf !== undefined && matches(ratioOf, e) ? slide(`${rule.id}|${p}|all`, e, rule.windowSeconds) : windows.get(`${rule.id}|${p}|all`) ?? null;
    if (!isHit) return null;
    return { hits: slide(`${rule.id}|${p}|hit`, e, rule.windowSeconds), all };
  }

  function newDetection(rule: Rule, e: SealableEvent, hits: readonly Hit[], summary: string): NewDetection {
    const seqs = (hits.length > 0 ? hits.map((h) => h.seq) : [e.seq]).slice(-1000);
    return {
      type: 'new', ruleId: rule.id, severity: rule.severity, principalKind: e.actorKind, principalId: e.actorId, sessionId: e.sessionId, deviceId: e.deviceId,
      seqs, triggerSeq: e.seq, firstOccurredAt: hits[0]?.occurredAt ?? e.occurredAt, lastOccurredAt: e.occurredAt, summary: `${rule.title}: ${summary}`.slice(0, 300),
    };
  }

  /** A match while the principal's incident for this rule is open joins it (and keeps it open). */
  function joinOpen(rule: Rule, e: SealableEvent, keepSeconds: number): JoinDetection | null {
    const key = `${rule.id}|${principalOf(e)}`;
    const open = incidents.get(key);
    if (open === undefined || time(e) > open.until) return null;
    open.until = time(e) + keepSeconds * 1000;
    return { type: 'join', ruleId: rule.id, triggerSeq: open.triggerSeq, seq: e.seq, occurredAt: e.occurredAt };
  }

  function opened(rule: Rule, e: SealableEvent, keepSeconds: number, d: NewDetection): NewDetection {
    incidents.set(`${rule.id}|${principalOf(e)}`, { triggerSeq: e.seq, until: time(e) + keepSeconds * 1000 });
    return d;
  }

  async function evaluateRule(rule: Rule, e: SealableEvent): Promise<Finding | null> {
    switch (rule.kind) {
      case 'event': {
        if (!matches(rule.match, e)) return null;
        const keep = rule.cooldownSeconds ?? 0;
        return joinOpen(rule, e, keep) ?? opened(rule, e, keep, newDetection(rule, e, [], `${e.action} by ${e.actorKind}`));
      }
      case 'threshold': {
        const seen = observe(rule, e);
        if (seen === null) return null;
        const joined = joinOpen(rule, e, rule.windowSeconds);
        if (joined) return joined;
        if (seen.hits.length < rule.count) return null;
        if (rule.ratio && (seen.all === null || seen.hits.length / Math.max(1, seen.all.length) < rule.ratio.atLeast)) return null;
        const ratio = rule.ratio && seen.all ? ` of ${seen.all.length}` : '';
        return opened(rule, e, rule.windowSeconds, newDetection(rule, e, seen.hits, `${seen.hits.length}${ratio} events in ${rule.windowSeconds} s`));
      }
      case 'baseline': {
        const seen = observe(rule, e);
        if (seen === null) return null;
        const joined = joinOpen(rule, e, rule.windowSeconds);
        if (joined) return joined;
        const n = seen.hits.length;
        const key = `${rule.id}|${principalOf(e)}`;
        // Look the baseline up when the count reaches minCount, then again each further minCount.
        if (n < rule.minCount || n < (checkedAt.get(key) ?? 0) + rule.minCount) return null;
        checkedAt.set(key, n);
        const mean = await lookups.baselinePerWindow(e, rule.match.action!, rule.windowSeconds, rule.lookbackDays, seen.hits[0]!.occurredAt);
        if (n < rule.factor * mean) return null;
        checkedAt.delete(key);
        return opened(rule, e, rule.windowSeconds, newDetection(rule, e, seen.hits, `${n} in ${rule.windowSeconds} s against a baseline of ${mean.toFixed(1)}`));
      }
      case 'device': {
        if (!matches(rule.match, e) || e.deviceId === null) return null;
        const d = await lookups.device(e, rule.lookbackDays);
        const isPostureFlagged = d.posture !== null && rule.postures.includes(d.posture);
        if (d.isKnown && !isPostureFlagged) return null;
        const why = [d.isKnown ? null : 'new device', isPostureFlagged ? `posture ${d.posture}` : null].filter(Boolean).join(', ');
        return newDetection(rule, e, [], why);
      }
      case 'unusual_hour': {
        if (!matches(rule.match, e)) return null;
        const h = await lookups.signInHours(e, rule.match.action ?? [e.action], rule.lookbackDays, rule.toleranceHours);
        if (h.total < rule.minHistory || h.near > 0) return null;
        return newDetection(rule, e, [], `${new Date(time(e)).getUTCHours()}:00 UTC, none of ${h.total} sign-ins within ${rule.toleranceHours} h`);
      }
    }
  }

  return {
    primeSeconds,
    async prime(e) {
      for (const rule of rules) {
        if (rule.kind === 'event' || rule.kind === 'threshold') await evaluateRule(rule, e);
        else observe(rule, e);
      }
    },
    async evaluate(e) {
      const out: Finding[] = [];
      for (const rule of rules) {
        const f = await evaluateRule(rule, e);
        if (f !== null) out.push(f);
      }
      return out;
    },
  };
}
