import { defineCommand } from '../options.ts';
import { writeLine } from './audit-options.ts';

/**
 * `ward keys rotate-token-signing` (R-WORK-2): a new access-token signing key signs from now on; the
 * previous one stays in /.well-known/jwks.json until every token it signed has expired (24 h at most).
 */
export default defineCommand({
  path: ['keys', 'rotate-token-signing'],
  summary: 'rotate the key that signs workload access tokens (old keys verify until their tokens expire)',
  options: {},
  usesDatabase: true,
  async run(_o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const key = await deps.tokenSigningKeys.rotate();
      const { keys } = await deps.tokenSigningKeys.jwks();
      await writeLine(io, `the access-token signing key is now ${key.kid}; ${keys.length} keys published`);
      return 0;
    });
  },
});
