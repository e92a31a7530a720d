import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { authorizationServerMetadata, OAuthError, PROTECTED_RESOURCE_METADATA_PATHS, protectedResourceMetadata } from '../../modules/workload/index.ts';

/**
 * Ward's OAuth 2.0 endpoints for workloads (R-WORK-1, R-WORK-2): metadata (RFC 8414), public keys
 * (RFC 7517), the token endpoint (client_credentials, private_key_jwt, DPoP) and revocation (RFC
 * 7009). Their errors keep OAuth's own format (RFC 6749 §5.2), which OAuth clients understand.
 */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * RFC 6749 §3.2: form parameters, each at most once. The media type is checked too: Fastify's
 * text/plain parser also hands over a string, and a text/plain POST is one any web page may send.
 * RFC 6749 §3.1: a parameter sent without a value is treated as omitted (a repeat is still refused:
 * invalid_request, or invalid_target for RFC 8707's `resource`).
 */
function formParams(req: FastifyRequest): Map<string, string> {
  const { body } = req;
  if (typeof body !== 'string' || !FORM.test(req.headers['content-type'] ?? '')) throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    // RFC 8707 §2: several resources may be named; a Ward token is for one (invalid_target, §2.2).
    if (params.has(name) && name === 'resource') throw new OAuthError('invalid_target', 'Ward issues a token for one resource at a time.');
    if (params.has(name)) throw new OAuthError('invalid_request', 'A parameter is repeated.');
    params.set(name, value);
  }
  for (const [name, value] of params) if (value === '') params.delete(name);
  return params;
}

/** An HTTP authentication scheme's name (RFC 9110 §11.1), read from the client's Authorization header. */
const SCHEME = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?: |$)/;

async function answer(req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>): Promise<unknown> {
  reply.headers(NO_STORE);
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    reply.status(e.status).headers(e.headers);
    // RFC 6749 §5.2: invalid_client is 401. A client that tried the Authorization header (a client
    // secret, which Ward never accepts) gets a challenge of the scheme it used; private_key_jwt has no
    // HTTP scheme, so a client that sent no Authorization header gets none.
    const scheme = e.error === 'invalid_client' && typeof req.headers.authorization === 'string' ? SCHEME.exec(req.headers.authorization)?.[1] : undefined;
    if (scheme) reply.header('www-authenticate', `${scheme} realm="ward"`);
    return { error: e.error, error_description: e.description };
  }
}

export async function oauthRoutes(app: FastifyInstance, deps: Pick<Deps, 'authorizationServer' | 'tokenSigningKeys' | 'alertKey'>): Promise<void> {
  const as = deps.authorizationServer;
  await app.register(async (scope) => {
    // The body stays a string here; formParams parses it (and refuses repeats).
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => done(null, body));
    const open = { config: { access: { kind: 'public' } } } as const;
    scope.get('/.well-known/oauth-authorization-server', open, async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return authorizationServerMetadata(as.endpoints);
    });
    // RFC 9728: the API's Protected Resource Metadata (the MCP server's is served with it, mcp/server.ts).
    scope.get(PROTECTED_RESOURCE_METADATA_PATHS.api, open, async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return protectedResourceMetadata(new URL(as.endpoints.issuer), 'api');
    });
    // RFC 6749 §3.1 and §4.1.2.1: the authorization endpoint that the metadata names (some clients refuse
    // metadata without one) serves no response type: every request is refused here, never redirected,
    // since no client of Ward has a redirection URI.
    scope.get('/oauth/authorize', open, async (_req, reply) => {
      reply.status(400).headers(NO_STORE);
      return { error: 'unsupported_response_type', error_description: 'Ward issues tokens only at its token endpoint (client_credentials and token exchange).' };
    });
    scope.get('/.well-known/jwks.json', open, async (_req, reply) => {
      // Short: a rotated key must reach resource servers and clients before it signs many tokens.
      reply.header('cache-control', 'public, max-age=60');
      // R-WORK-4: Ward's alert signing key, under its own kid, beside the token keys.
      const { keys } = await deps.tokenSigningKeys.jwks();
      return { keys: [...keys, (await deps.alertKey()).publicJwk] };
    });
    scope.post('/oauth/token', open, async (req, reply) =>
      answer(req, reply, async () => {
        const result = await as.token(formParams(req), req.headers.dpop, req.ip);
        // RFC 9449 §8.2: the next nonce comes with each answer, so a client need not be refused to learn it.
        reply.header('dpop-nonce', as.currentNonce());
        return result;
      }));
    scope.post('/oauth/revoke', open, async (req, reply) =>
      answer(req, reply, async () => {
        await as.revoke(formParams(req), req.ip);
        return '';
      }));
  });
}
