import { WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';

/**
 * One spelling of each request target (R-AUTHZ-1, R-WORK-2). The router (find-my-way) and the
 * authenticators read the target separately: the router takes the path of an absolute-form target
 * (`POST http://any/mcp`) and decodes percent-encoded letters (`/%6Dcp` is /mcp), while the
 * authenticators rebuild the URL from WARD_ORIGIN and the target as written, and a token's audience
 * was read from that (`/%6Dcp` is not /mcp, so a /v1 token opened the MCP server). Rather than teach
 * every reader the router's rules, a target that two readers could read apart is refused before
 * routing's result is used (400 `BAD_REQUEST`): anything but origin-form (`/path?query`), a fragment,
 * an unreserved character written percent-encoded (RFC 3986 §2.3: equivalent, never sent so by a
 * browser or Ward's clients) and dot segments (which a URL parser removes and the router does not).
 */
const UNRESERVED_ENCODED = /%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|2d|2e|5f|7e)/i;
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

export function refusalOfTarget(url: string): string | null {
  if (!url.startsWith('/')) return 'target_not_origin_form';
  if (url.includes('#')) return 'target_fragment';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (UNRESERVED_ENCODED.test(path)) return 'target_encoded_unreserved';
  if (DOT_SEGMENT.test(path)) return 'target_dot_segment';
  return null;
}

export function refuseAmbiguousTargets(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const refusal = refusalOfTarget(req.raw.url ?? '');
    if (refusal) throw new WardError('BAD_REQUEST', 'The request target is not in its plain form.', { reasons: [refusal] });
  });
}
