import { WardError } from '@ward/contracts';
import { parse, type Filter } from 'scim2-parse-filter';
import { attr, isObject, SCHEMA } from './values.ts';

/**
 * PATCH (RFC 7644 §3.5.2) in both dialects seen in the wild (R-AUTHN-5):
 *   Okta     {"op":"replace","value":{"active":false}}        no path, the value names the attributes
 *   Entra ID {"op":"Replace","path":"active","value":"False"} capitalised op, a path, string booleans;
 *            members added or removed by `path: "members"` with a value list
 *   Okta     {"op":"remove","path":"members[value eq \"<id>\"]"}
 * Both become a list of {op, path, value} with a lower-case op and, for a path-less add or replace,
 * one operation per attribute of the value.
 */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** The attribute path, lower case, without the core schema's URN; null only for a path-less remove (refused). */
  path: string;
  /** A filter on a multi-valued attribute (`members[value eq "x"]`), parsed by the SCIM filter parser. */
  filter?: Filter;
  /** A sub-attribute after the filter (`emails[type eq "work"].value` → `value`). */
  subAttribute?: string;
  value: unknown;
}

const MAX_OPERATIONS = 1000;
const PATH = /^([A-Za-z][A-Za-z0-9_.$-]*)(?:\[(.+)\](?:\.([A-Za-z][A-Za-z0-9_]*))?)?$/s;

function syntax(message?: string): WardError {
  return new WardError('SCIM_INVALID_SYNTAX', message);
}

/** `urn:ietf:params:scim:schemas:core:2.0:User:name.givenName` → `name.givenname`; extension URNs stay whole. */
function corePath(raw: string, coreSchema: string): string {
  const lower = raw.toLowerCase();
  const prefix = `${coreSchema.toLowerCase()}:`;
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
}

export function patchOperations(body: unknown, coreSchema: string): PatchOperation[] {
  if (!isObject(body)) throw syntax();
  const schemas = attr(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(SCHEMA.patchOp)) throw syntax('A PATCH names the PatchOp schema.');
  const operations = attr(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS) throw syntax('A PATCH carries Operations.');
  const out: PatchOperation[] = [];
  for (const raw of operations) {
    if (!isObject(raw)) throw syntax();
    const opText = attr(raw, 'op');
    const op = typeof opText === 'string' ? opText.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw syntax('An operation is add, remove or replace.');
    const path = attr(raw, 'path');
    const value = attr(raw, 'value');
    if (path === undefined || path === null || path === '') {
      if (op === 'remove') throw new WardError('SCIM_NO_TARGET', 'A remove names a path.');
      if (!isObject(value)) throw syntax('A path-less add or replace carries an object value.');
      for (const [key, v] of Object.entries(value)) {
        // An extension's attributes arrive as one object under its URN: kept whole, ignored unless supported.
        out.push({ op, path: corePath(key, coreSchema), value: v });
      }
      continue;
    }
    if (typeof path !== 'string' || path.length > 500) throw new WardError('SCIM_INVALID_PATH');
    let p = path;
    const prefix = `${coreSchema.toLowerCase()}:`;
    if (p.toLowerCase().startsWith(prefix)) p = p.slice(prefix.length);
    else if (p.toLowerCase().startsWith('urn:')) {
      // An extension's attribute (Entra ID's enterprise `manager`, `department`): kept whole, ignored unless supported.
      out.push({ op, path: p.toLowerCase(), value });
      continue;
    }
    const m = PATH.exec(p);
    if (!m) throw new WardError('SCIM_INVALID_PATH');
    const name = m[1]!.toLowerCase();
    if (m[2] === undefined) {
      out.push({ op, path: name, value });
      continue;
    }
    let filter: Filter;
    try {
      filter = parse(m[2]);
    } catch (e) {
      throw new WardError('SCIM_INVALID_PATH', undefined, { cause: e });
    }
    out.push({ op, path: name, filter, ...(m[3] ? { subAttribute: m[3].toLowerCase() } : {}), value });
  }
  return out;
}

/** A filter `value eq "<x>"` (the only one a members path needs): its value, or null. */
export function valueEquals(filter: Filter | undefined): string | null {
  if (!filter || filter.op !== 'eq') return null;
  const f = filter as { attrPath: string; compValue: unknown };
  return f.attrPath.toLowerCase() === 'value' && typeof f.compValue === 'string' ? f.compValue : null;
}
