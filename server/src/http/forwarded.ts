import { isIP } from 'node:net';
import { WardError } from '@ward/contracts';
import type { FastifyInstance } from 'fastify';

/**
 * The client's address must be an address (R-AUDIT-1, R-MON-1). With WARD_TRUST_PROXY, `req.ip` is
 * the last X-Forwarded-For entry that is not a trusted proxy, taken as written: `1.2.3.4:5555` (Azure
 * Application Gateway writes the port), `garbage`, or what a load balancer that preserves the
 * client's header passes on. Every audited request then failed on the audit row's address (500
 * INTERNAL, logged as an error), and the rate limits counted a key the client chose. A request whose
 * address is not one is now refused at the edge (400 `BAD_REQUEST`, the value neither echoed nor
 * logged): the load balancer must write the client's address alone.
 */
export function refuseUnreadableSourceAddress(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (typeof req.ip !== 'string' || isIP(req.ip) === 0) {
      throw new WardError('BAD_REQUEST', 'The client address is not readable.', { reasons: ['source_address_invalid'], detail: 'X-Forwarded-For from a trusted proxy does not end in an address (WARD_TRUST_PROXY)' });
    }
  });
}
