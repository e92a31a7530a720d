import { WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';

/**
 * Text that PostgreSQL cannot store is refused at the edge, for every route: a NUL character
 * (U+0000) in a path parameter, a query field or anywhere in a JSON body is BAD_REQUEST before any
 * handler runs, not SQLSTATE 22021 (and a 500) deep in a query. The value is never echoed. A body
 * nested deeper than MAX_DEPTH is refused as such (no route takes one, and the walk stops there).
 */
const MAX_DEPTH = 32;

type Unstorable = 'nul_character' | 'nested_too_deep';

function unstorable(value: unknown, depth = 0): Unstorable | null {
  if (typeof value === 'string') return value.includes('\u0000') ? 'nul_character' : null;
  if (!value || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return 'nested_too_deep';
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof k === 'string' && k.includes('\u0000')) return 'nul_character';
    const found = unstorable(v, depth + 1);
    if (found) return found;
  }
  return null;
}

const MESSAGES: Record<Unstorable, string> = {
  nul_character: 'Text must not contain NUL characters.',
  nested_too_deep: `JSON must not be nested more than ${MAX_DEPTH} levels deep.`,
};

export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const found = unstorable(req.params) ?? unstorable(req.query) ?? unstorable(req.body);
    if (found) throw new WardError('BAD_REQUEST', MESSAGES[found], { reasons: [found] });
  });
}

/**
 * The `uuid` string format as PostgreSQL's uuid type reads it back: 8-4-4-4-12 hex digits. ajv-formats
 * also takes a `urn:uuid:` prefix, which PostgreSQL refuses (22P02), so that such an id in a path
 * reached a query and answered 500 on every route that takes one; now the schema refuses it (400).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fastify's `ajv` option: the validator's formats, tightened where they accept what the database does not. */
export const AJV_OPTIONS = { onCreate: (ajv: { addFormat(name: string, format: RegExp): unknown }) => void ajv.addFormat('uuid', UUID) };
