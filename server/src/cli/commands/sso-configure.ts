import { WardError } from '@ward/contracts';
import { CLIENT_AUTH_METHODS, configureSso, isClientAuthMethod } from '../../modules/sso/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { readAll } from '../stdin.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * R-AUTHN-2: a tenant's OpenID provider (docs/sso.md). The client secret is read on standard input,
 * never taken as an argument (arguments show in process lists and shell histories). With
 * `--client-auth private_key_jwt` there is no secret: Ward makes the tenant a key pair and prints its
 * public JWK Set (also served at <WARD_ORIGIN>/sso/<slug>/jwks.json) to register at the IdP.
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
    'client-auth': { value: '<method>', description: `token endpoint authentication: auto (default: from the IdP's discovery document, client_secret_basic first), ${CLIENT_AUTH_METHODS.join(', ')}` },
    'allow-http-issuer': { type: 'boolean', description: 'allow a plain http issuer on a loopback address (tests, demos)' },
  },
  usage: [
    'ward sso configure --tenant <slug> --issuer <url> --client-id <id> [--client-auth <method>] [--link-by email|subject] [--mfa-acr <comma list>] [--allow-http-issuer] < client-secret',
    'ward sso configure --tenant <slug> --issuer <url> --client-id <id> --client-auth private_key_jwt [--link-by email|subject] [--mfa-acr <comma list>] [--allow-http-issuer]',
  ],
  help: `The redirect URI to register at the IdP is <WARD_ORIGIN>/v1/auth/sso/callback; the back-channel logout URI <WARD_ORIGIN>/v1/auth/sso/backchannel-logout.
Members sign in at <WARD_ORIGIN>/sso/<slug>. The issuer's discovery document is loaded once to check it.
private_key_jwt: the last line printed is the tenant's public JWK Set; register it (or its URL, printed
above it) at the IdP. Running the command again keeps the key pair while the IdP accepts its algorithm.`,
  usesDatabase: true,
  async run(o, io, ctx) {
    const linkBy = o['link-by'] ?? 'subject';
    if (linkBy !== 'email' && linkBy !== 'subject') throw new WardError('USAGE', '--link-by takes email or subject.');
    const mfaAcr = (o['mfa-acr'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const clientAuth = o['client-auth'] ?? 'auto';
    if (clientAuth !== 'auto' && !isClientAuthMethod(clientAuth)) throw new WardError('USAGE', `--client-auth takes auto, ${CLIENT_AUTH_METHODS.join(', ')}.`);
    // private_key_jwt has no secret: standard input is not read (it may be a terminal).
    const clientSecret = clientAuth === 'private_key_jwt' ? '' : (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (clientSecret.includes('\n')) throw new WardError('USAGE', 'Give the client secret, one line, on standard input.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const done = await configureSso(deps, { tenantId, issuer: o.issuer, clientId: o['client-id'], clientSecret, clientAuth, linkBy, mfaAcr, allowHttpIssuer: o['allow-http-issuer'] }, deps.clock.now());
      io.stdout.write(`tenant ${o.tenant} signs in with ${done.issuer} (client authentication ${done.clientAuth}, link by ${linkBy}${mfaAcr.length ? `, MFA acr ${mfaAcr.join(', ')}` : ''})\n`);
      io.stdout.write(`redirect URI: ${new URL('/v1/auth/sso/callback', deps.config.origin).toString()}\n`);
      io.stdout.write(`sign-in page: ${new URL(`/sso/${o.tenant}`, deps.config.origin).toString()}\n`);
      if (done.publicJwk) {
        io.stdout.write(`client public keys (jwks_uri): ${new URL(`/sso/${o.tenant}/jwks.json`, deps.config.origin).toString()}\n`);
        io.stdout.write(`${JSON.stringify({ keys: [done.publicJwk] })}\n`);
      }
      return 0;
    });
  },
});
