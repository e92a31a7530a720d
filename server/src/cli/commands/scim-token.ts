import { issueScimToken, MAX_SCIM_TOKEN_DAYS, SCIM_BASE_PATH } from '../../modules/provisioning/index.ts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward scim token --tenant <slug> [--revoke]`: registers the tenant's SCIM client (a `service`
 * principal, R-AUTHN-5) on first use, and prints a new bearer token alone on the last line. Stored
 * as a hash; valid on /scim/v2 only, for at most a year. `--revoke` ends every older token of the client.
 */
export default defineCommand({
  path: ['scim', 'token'],
  summary: "register the tenant's SCIM client or issue it a new bearer token (printed alone on the last line)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    revoke: { type: 'boolean', description: "end the client's older tokens (after the IdP has the new one)" },
    days: { value: '<days>', description: `how long the token lives (1 to ${MAX_SCIM_TOKEN_DAYS}, default ${MAX_SCIM_TOKEN_DAYS})` },
  },
  help: `Give the IdP the SCIM base URL (<WARD_ORIGIN>${SCIM_BASE_PATH}) and this token as its Bearer token (docs/sso.md).\n` +
    'Without --revoke the older tokens keep working, so that the IdP can be switched over first.\n' +
    'To end provisioning altogether: ward workload disable --client-id <the SCIM client\'s client_id>.',
  usesDatabase: true,
  async run(o, io, ctx) {
    const days = wholeNumber('days', o.days, { min: 1, max: MAX_SCIM_TOKEN_DAYS, unit: 'days' });
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const issued = await issueScimToken(deps.db.systemDb, deps, { tenantId, days, revokeOld: o.revoke === true }, deps.clock.now());
      if (issued.registered) await writeLine(io, `registered the SCIM client of ${o.tenant} (client_id ${issued.clientId})`);
      if (o.revoke) await writeLine(io, `revoked ${issued.revoked} older token(s)`);
      await writeLine(io, `SCIM base URL: ${deps.config.origin.origin}${SCIM_BASE_PATH}; the bearer token, valid until ${issued.expiresAt.toISOString()}:`);
      await writeLine(io, issued.token);
      return 0;
    });
  },
});
