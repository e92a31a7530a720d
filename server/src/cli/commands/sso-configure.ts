import { WardError } from '@ward/contracts';
import { configureSso } from '../../modules/sso/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { readAll } from '../stdin.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * R-AUTHN-2: a tenant's OpenID provider (docs/sso.md). The client secret is read on standard input,
 * never taken as an argument (arguments show in process lists and shell histories).
 */
export default defineCommand({
  path: ['sso', 'configure'],
  summary: "set a tenant's OpenID Connect identity provider (client secret on standard input)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    issuer: { value: '<url>', description: "the IdP's issuer URL (https)", required: true },
    'client-id': { value: '<id>', description: "Ward's client id at the IdP", required: true },
    'link-by': { value: 'email|subject', description: 'first logins link by verified e-mail (an e-mail-authoritative issuer) or only by subject (default)' },
    'mfa-acr': { value: '<comma list>', description: 'acr values that prove MFA, besides amr' },
    'allow-http-issuer': { type: 'boolean', description: 'allow a plain http issuer on a loopback address (tests, demos)' },
  },
  usage: ['ward sso configure --tenant <slug> --issuer <url> --client-id <id> [--link-by email|subject] [--mfa-acr <comma list>] [--allow-http-issuer] < client-secret'],
  help: `The redirect URI to register at the IdP is <WARD_ORIGIN>/v1/auth/sso/callback; the back-channel logout URI <WARD_ORIGIN>/v1/auth/sso/backchannel-logout.
Members sign in at <WARD_ORIGIN>/sso/<slug>. The issuer's discovery document is loaded once to check it.`,
  usesDatabase: true,
  async run(o, io, ctx) {
    const linkBy = o['link-by'] ?? 'subject';
    if (linkBy !== 'email' && linkBy !== 'subject') throw new WardError('USAGE', '--link-by takes email or subject.');
    const mfaAcr = (o['mfa-acr'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const clientSecret = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (clientSecret === '' || clientSecret.includes('\n')) throw new WardError('USAGE', 'Give the client secret, one line, on standard input.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      await configureSso(deps, { tenantId, issuer: o.issuer, clientId: o['client-id'], clientSecret, linkBy, mfaAcr, allowHttpIssuer: o['allow-http-issuer'] }, deps.clock.now());
      io.stdout.write(`tenant ${o.tenant} signs in with ${o.issuer} (link by ${linkBy}${mfaAcr.length ? `, MFA acr ${mfaAcr.join(', ')}` : ''})\n`);
      io.stdout.write(`redirect URI: ${new URL('/v1/auth/sso/callback', deps.config.origin).toString()}\n`);
      io.stdout.write(`sign-in page: ${new URL(`/sso/${o.tenant}`, deps.config.origin).toString()}\n`);
      return 0;
    });
  },
});
