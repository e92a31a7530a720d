import { WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';

/**
 * Text that PostgreSQL cannot store is refused at the edge, for every route: a NUL character
 * (U+0000) in a path parameter, a query field or anywhere in a JSON body is BAD_REQUEST before any
 * handler runs, not SQLSTATE 22021 (and a 500) deep in a query. The value is never echoed.
 */
const MAX_DEPTH = 32;

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
  return false;
}

export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (holdsNul(req.params) || holdsNul(req.query) || holdsNul(req.body)) {
      throw new WardError('BAD_REQUEST', 'Text must not contain NUL characters.', { reasons: ['nul_character'] });
    }
  });
}
