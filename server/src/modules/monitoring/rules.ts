import { readFileSync } from 'node:fs';
import { WardError } from '@ward/contracts';
import type { SealableEvent } from '../audit/index.ts';

/**
 * Detection rules are data (R-MON-1): `rules.json` beside this file, or the file WARD_DETECTION_RULES
 * names. Each rule is one of five kinds, checked here once when loaded (a bad file stops the start):
 * - `event`      every matching event; further matches within `cooldownSeconds` of the last one, for
 *                the same principal, join the open detection instead of raising another;
 * - `threshold`  at least `count` matching events of one principal within `windowSeconds` (and, with
 *                `ratio`, at least that share of the principal's events matching `ratio.of`);
 * - `baseline`   at least `minCount` matching events within `windowSeconds` and `factor` times the
 *                principal's mean per window over the `lookbackDays` before it;
 * - `device`     a sign-in from a device never used by the member in `lookbackDays`, or whose posture
 *                is one of `postures`;
 * - `unusual_hour` a sign-in at an hour (UTC, ± `toleranceHours`) the member has not signed in at in
 *                `lookbackDays`, once there are `minHistory` sign-ins to compare with.
 * docs/detections.md lists the rules with the sequences their tests use.
 */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Fields of an event a rule can test. A list means any of; `prefix.*` matches by prefix. */
export interface Match {
  action?: string[];
  outcome?: string[];
  decision?: string[];
  actorKind?: string[];
  /** Each key must hold the value (`"*"`: be present; a list: any of). */
  metadata?: Record<string, string | number | boolean | string[]>;
  /** Any one of these sub-matches. */
  any?: Match[];
}

interface RuleBase {
  id: string;
  title: string;
  severity: Severity;
  match: Match;
}
export type Rule =
  | (RuleBase & { kind: 'event'; cooldownSeconds?: number })
  | (RuleBase & { kind: 'threshold'; groupBy: 'actor'; count: number; windowSeconds: number; ratio?: { of: Match; atLeast: number } })
  | (RuleBase & { kind: 'baseline'; groupBy: 'actor'; windowSeconds: number; lookbackDays: number; factor: number; minCount: number })
  | (RuleBase & { kind: 'device'; postures: string[]; lookbackDays: number })
  | (RuleBase & { kind: 'unusual_hour'; lookbackDays: number; minHistory: number; toleranceHours: number });

const ID = /^[a-z][a-z0-9_.-]{0,63}$/;
const KINDS = ['event', 'threshold', 'baseline', 'device', 'unusual_hour'];

function bad(path: string, why: string): never {
  throw new WardError('CONFIG_INVALID', undefined, { detail: `detection rules: ${path}: ${why}` });
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100);
const positive = (r: Record<string, unknown>, key: string, path: string, max = 10_000_000): number => {
  const v = r[key];
  if (typeof v !== 'number' || !(v > 0) || v > max) bad(path, `${key} must be a number in (0, ${max}]`);
  return v;
};

function checkMatch(m: unknown, path: string): Match {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) bad(path, 'match must be an object');
  const o = m as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['action', 'outcome', 'decision', 'actorKind', 'metadata', 'any'].includes(key)) bad(path, `unknown match field ${key}`);
    if (['action', 'outcome', 'decision', 'actorKind'].includes(key) && !isStrings(o[key])) bad(path, `${key} must be a non-empty list of strings`);
  }
  if (o.metadata !== undefined) {
    if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) bad(path, 'metadata must be an object');
    for (const [k, v] of Object.entries(o.metadata)) if (!['string', 'number', 'boolean'].includes(typeof v) && !isStrings(v)) bad(path, `metadata.${k} must be a value or a list of strings`);
  }
  if (o.any !== undefined) {
    if (!Array.isArray(o.any) || o.any.length === 0) bad(path, 'any must be a non-empty list');
    o.any.forEach((s, i) => checkMatch(s, `${path}.any[${i}]`));
  }
  if (Object.keys(o).length === 0) bad(path, 'an empty match would match every event');
  return o as Match;
}

/** Checks a rule file's content; throws CONFIG_INVALID naming the first problem. */
export function parseRules(json: unknown): Rule[] {
  if (typeof json !== 'object' || json === null || (json as { version?: unknown }).version !== 1 || !Array.isArray((json as { rules?: unknown }).rules)) {
    bad('file', 'expected {"version": 1, "rules": [...]}');
  }
  const seen = new Set<string>();
  return ((json as { rules: unknown[] }).rules).map((raw, i) => {
    const path = `rules[${i}]`;
    if (typeof raw !== 'object' || raw === null) bad(path, 'a rule is an object');
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || !ID.test(r.id)) bad(path, 'id must match ^[a-z][a-z0-9_.-]{0,63}$');
    if (seen.has(r.id)) bad(path, `duplicate id ${r.id}`);
    seen.add(r.id);
    if (typeof r.title !== 'string' || r.title.length === 0 || r.title.length > 200) bad(path, 'title is 1 to 200 characters');
    if (!(SEVERITIES as readonly unknown[]).includes(r.severity)) bad(path, `severity is one of ${SEVERITIES.join(', ')}`);
    if (!KINDS.includes(r.kind as string)) bad(path, `kind is one of ${KINDS.join(', ')}`);
    checkMatch(r.match, `${path}.match`);
    switch (r.kind) {
      case 'event':
        if (r.cooldownSeconds !== undefined) positive(r, 'cooldownSeconds', path, 86_400);
        break;
      case 'threshold':
        if (r.groupBy !== 'actor') bad(path, 'groupBy is "actor"');
        positive(r, 'count', path, 100_000);
        positive(r, 'windowSeconds', path, 86_400);
        if (r.ratio !== undefined) {
          const ratio = r.ratio as Record<string, unknown>;
          checkMatch(ratio.of, `${path}.ratio.of`);
          if (typeof ratio.atLeast !== 'number' || !(ratio.atLeast > 0 && ratio.atLeast <= 1)) bad(path, 'ratio.atLeast is in (0, 1]');
        }
        break;
      case 'baseline':
        if (r.groupBy !== 'actor') bad(path, 'groupBy is "actor"');
        positive(r, 'windowSeconds', path, 86_400);
        positive(r, 'lookbackDays', path, 365);
        positive(r, 'factor', path, 1000);
        positive(r, 'minCount', path, 100_000);
        if (!isStrings((r.match as Match).action)) bad(path, 'a baseline rule matches by action (its history is counted by action in the database)');
        break;
      case 'device':
        if (!Array.isArray(r.postures) || !r.postures.every((p) => ['managed', 'unmanaged', 'unknown'].includes(p as string))) bad(path, 'postures lists managed, unmanaged or unknown');
        positive(r, 'lookbackDays', path, 365);
        break;
      case 'unusual_hour':
        positive(r, 'lookbackDays', path, 365);
        positive(r, 'minHistory', path, 100_000);
        if (typeof r.toleranceHours !== 'number' || r.toleranceHours < 0 || r.toleranceHours > 6) bad(path, 'toleranceHours is 0 to 6');
        break;
    }
    return r as unknown as Rule;
  });
}

/** The rules shipped with Ward, or those of the file named (WARD_DETECTION_RULES). */
export function loadRules(path?: string | null): Rule[] {
  const file = path ?? new URL('./rules.json', import.meta.url);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new WardError('CONFIG_INVALID', undefined, { detail: 'detection rules: the file could not be read as JSON', cause: e });
  }
  return parseRules(json);
}

function matchesList(list: string[] | undefined, value: string | null): boolean {
  if (list === undefined) return true;
  if (value === null) return false;
  return list.some((p) => (p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : value === p));
}

/** Whether the event has every field the match asks for. */
export function matches(m: Match, e: SealableEvent): boolean {
  if (!matchesList(m.action, e.action) || !matchesList(m.outcome, e.outcome) || !matchesList(m.decision, e.decision) || !matchesList(m.actorKind, e.actorKind)) return false;
  if (m.metadata !== undefined) {
    for (const [key, want] of Object.entries(m.metadata)) {
      const have = e.metadata?.[key];
      if (have === undefined || have === null) return false;
      if (want === '*') continue;
      if (Array.isArray(want) ? !want.includes(String(have)) : have !== want) return false;
    }
  }
  if (m.any !== undefined && !m.any.some((s) => matches(s, e))) return false;
  return true;
}

export function severityAtLeast(s: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(floor);
}
