import { WardError } from '@ward/contracts';
import { parse, Tester, type Filter } from 'scim2-parse-filter';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) through a maintained parser (scim2-parse-filter), never regular
 * expressions. A filter is parsed into its syntax tree, checked against the attributes and operators
 * each resource type allows (anything else is `invalidFilter`), then evaluated on the resources'
 * SCIM representations. Attribute names are case-insensitive; string values compare
 * case-insensitively unless the attribute is caseExact (RFC 7643 §2.2: `id`, `externalId`).
 */
export interface FilterRules {
  /** Attribute paths (lower case) a filter may name, with whether their values are caseExact. */
  attributes: Readonly<Record<string, AttributeRule>>;
  /** Multi-valued attributes that a value path (`emails[type eq "work"]`) may name, with their sub-attributes. */
  valuePaths?: Readonly<Record<string, Readonly<Record<string, AttributeRule>>>>;
}

export interface AttributeRule {
  caseExact: boolean;
  /** The stored form of a compared value, when it is more than lower case (an e-mail address); by the operator. */
  fold?: (value: string, op: string) => string;
}

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'lt', 'ge', 'le', 'and', 'or', 'not', '[]']);
const MAX_FILTER_LENGTH = 1000;

/** The schema URN prefix a filter may put before an attribute (`urn:…:User:userName`). */
function bare(path: string): string {
  const p = path.toLowerCase();
  const i = p.lastIndexOf(':');
  return i === -1 ? p : p.slice(i + 1);
}

function invalid(): WardError {
  return new WardError('SCIM_INVALID_FILTER');
}

/** Checks every node, and lower-cases the compared value of case-insensitive attributes. */
function normalise(f: Filter, rules: FilterRules, inside?: Readonly<Record<string, AttributeRule>>): Filter {
  if (!OPERATORS.has(f.op)) throw invalid();
  switch (f.op) {
    case 'and':
    case 'or':
      return { ...f, filters: f.filters.map((c) => normalise(c, rules, inside)) };
    case 'not':
      return { ...f, filter: normalise(f.filter, rules, inside) };
    case '[]': {
      if (inside) throw invalid();
      const sub = rules.valuePaths?.[bare(f.attrPath)];
      if (!sub) throw invalid();
      return { ...f, attrPath: bare(f.attrPath), valFilter: normalise(f.valFilter, rules, sub) };
    }
    default: {
      const name = bare(f.attrPath);
      const attribute = (inside ?? rules.attributes)[name];
      if (!attribute) throw invalid();
      if (f.op === 'pr') return { ...f, attrPath: name };
      const value = f.compValue;
      const folded = typeof value !== 'string' || attribute.caseExact ? value : attribute.fold ? attribute.fold(value, f.op) : value.toLowerCase();
      return { ...f, attrPath: name, compValue: folded };
    }
  }
}

/**
 * A predicate over a resource's filterable view: an object whose keys are the lower-case attribute
 * paths of `rules` (dotted names kept as one key), case-insensitive values already lower-cased.
 */
export function compileFilter(text: string | undefined, rules: FilterRules): (view: Record<string, unknown>) => boolean {
  if (text === undefined || text.trim() === '') return () => true;
  if (text.length > MAX_FILTER_LENGTH) throw invalid();
  let tree: Filter;
  try {
    tree = parse(text);
  } catch (e) {
    throw new WardError('SCIM_INVALID_FILTER', undefined, { cause: e });
  }
  const checked = normalise(tree, rules);
  const tester = new FlatTester();
  return (view) => tester.test(view, checked);
}

/** The library's tester, reading dotted attribute paths (`emails.value`, `name.givenName`) as one key of the view. */
class FlatTester extends Tester {
  override attrPath(path: string): string[] {
    return [path];
  }

  /** A multi-valued attribute matches when one of its values does (RFC 7644 §3.4.2.2), at the leaf too. */
  override attrTest(path: string[], r: unknown, op: (r: unknown) => boolean): boolean {
    if (path.length === 0 && Array.isArray(r)) return r.some(op);
    return super.attrTest(path, r, op);
  }
}

/** RFC 7644 §3.4.2.4: startIndex is 1-based (below 1 reads as 1); count is at most `max` (below 0 reads as 0). */
export function page<T>(items: readonly T[], startIndex: string | undefined, count: string | undefined, max: number): { slice: T[]; startIndex: number } {
  const start = Math.max(1, toInteger(startIndex) ?? 1);
  const n = Math.min(max, Math.max(0, toInteger(count) ?? max));
  return { slice: items.slice(start - 1, start - 1 + n), startIndex: start };
}

function toInteger(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,9}$/.test(value)) throw new WardError('SCIM_INVALID_VALUE', 'startIndex and count are integers.');
  return Number(value);
}
