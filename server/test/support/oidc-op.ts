import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

/**
 * One real OpenID provider on loopback (`oidc-provider`) configured the way a particular real one is,
 * driven over HTTP without a browser: the tests of docs/sso.md "Providers". What varies is what
 * independent providers vary in (OpenID Connect Core, Discovery, RFC 6749, 7523, 9207): how the client
 * authenticates at the token endpoint, the ID token's algorithm and keys (rotated at will), the
 * issuer's path and trailing slash, which claims go in the ID token and which only in UserInfo, and
 * what the discovery document and the authorization response say.
 */
export interface OpAccount {
  /** The UserInfo claims besides `sub`: `email`, `email_verified` (left out when undefined). */
  claims: Record<string, unknown>;
  amr?: string[];
  acr?: string;
}

export interface OpOptions {
  /** Ward's origin: the redirect URI is `<origin>/v1/auth/sso/callback`. */
  wardOrigin: string;
  clientId: string;
  /** The client's metadata at the provider (token_endpoint_auth_method, id_token_signed_response_alg, jwks_uri, …). */
  client?: Partial<ClientMetadata>;
  /** The issuer's path, e.g. `/realms/clinic`; `slash` adds a trailing slash to the issuer as the provider states it. */
  path?: string;
  slash?: boolean;
  /** Signing algorithms of the keys the provider publishes (default RS256). */
  keyAlgs?: string[];
  accounts: Record<string, OpAccount>;
  /** Merged into oidc-provider's configuration (clientAuthMethods, conformIdTokenClaims, enabledJWA…). */
  configuration?: Partial<Configuration>;
  /** Edits the discovery document as served. */
  editDiscovery?: (doc: Record<string, unknown>) => void;
}

export interface Op {
  issuer: string;
  clientSecret: string;
  /** The provider's published keys now. */
  keys(): JWK[];
  /** A new key pair replaces the published ones at once: a hard rotation (a new `kid`, or the same one, as a restart that makes new keys). */
  rotate(alg?: string, opts?: { keepKid?: boolean }): Promise<void>;
  /** Signs `username` in at the authorization URL; returns the redirect back to Ward (its callback URL). */
  login(authorizationUrl: string, username: string, opts?: { deny?: { error: string; description: string } }): Promise<URL>;
  /** The next redirect back to Ward is rewritten by `edit` (drop `iss`, add parameters). */
  rewriteNextCallback(edit: (url: URL) => void): void;
  /** Every form body the token endpoint received, oldest first. */
  tokenRequests: { authorization: string | undefined; body: URLSearchParams }[];
  close(): Promise<void>;
}

/**
 * The provider's outgoing requests (back-channel logout, a client's jwks_uri) go to Ward on loopback,
 * which its SSRF guard (an undici dispatcher) refuses: they are sent without it.
 */
export function loopbackFetch(url: Parameters<typeof fetch>[0], options?: RequestInit): Promise<Response> {
  const { dispatcher: _loopbackRefused, ...rest } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
  return globalThis.fetch(url, rest);
}

/** Consent is not what these tests are about: a first-party grant of openid and email. */
export const firstPartyGrant: NonNullable<Configuration['loadExistingGrant']> = async (ctx) => {
  const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
  grant.addOIDCScope('openid email');
  await grant.save();
  return grant;
};

async function signingKey(alg: string): Promise<{ private: JWK }> {
  const crv = alg === 'EdDSA' ? 'Ed25519' : undefined;
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(crv ? { crv } : {}) });
  return { private: { ...(await exportJWK(privateKey)), kid: `k-${crypto.randomUUID().slice(0, 8)}`, alg, use: 'sig' } };
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'] as const;
const publicOf = (jwk: JWK): JWK => Object.fromEntries(PUBLIC_MEMBERS.filter((k) => jwk[k] !== undefined).map((k) => [k, jwk[k]])) as JWK;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startOp(opts: OpOptions): Promise<Op> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = opts.path ?? '';
  const issuer = `${origin}${path}${opts.slash ? '/' : ''}`;
  const clientSecret = `${opts.clientId}-secret-${crypto.randomUUID()}`;
  let jwks: JWK[] = await Promise.all((opts.keyAlgs ?? ['RS256']).map(async (a) => (await signingKey(a)).private));
  const tokenRequests: Op['tokenRequests'] = [];
  let callbackEdit: ((url: URL) => void) | null = null;
  const pending = new Map<string, { deny?: { error: string; description: string } }>();

  function build(): Provider {
    const provider = new Provider(issuer, {
      clients: [{
        client_id: opts.clientId, client_secret: clientSecret, grant_types: ['authorization_code'], response_types: ['code'],
        redirect_uris: [`${opts.wardOrigin}/v1/auth/sso/callback`], ...opts.client,
      }],
      jwks: { keys: jwks },
      cookies: { keys: ['ward-test-op-cookie-key'] },
      claims: { openid: ['sub', 'amr', 'acr', 'auth_time'], email: ['email', 'email_verified'] },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      fetch: loopbackFetch,
      async findAccount(_ctx, id) {
        const a = opts.accounts[id];
        if (!a) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, ...Object.fromEntries(Object.entries(a.claims).filter(([, v]) => v !== undefined)) }) };
      },
      loadExistingGrant: firstPartyGrant,
      ...opts.configuration,
    });
    provider.on('server_error', (_ctx: unknown, err: Error) => process.stdout.write(`# test OP server_error: ${err.message}\n`));
    return provider;
  }
  let provider = build();
  let callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const username = new URLSearchParams(await readBody(req)).get('username') ?? '';
    const how = pending.get(username) ?? {};
    const account = opts.accounts[username];
    const result = how.deny
      ? { error: how.deny.error, error_description: how.deny.description }
      : { login: { accountId: username, amr: account?.amr ?? ['pwd'], ...(account?.acr ? { acr: account.acr } : {}) } };
    if ((await provider.interactionDetails(req, res)).uid !== uid) throw new Error('interaction mismatch');
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    // The provider is mounted at the issuer's path, as an Express app mounts it (its login pages, at
    // /interaction/<uid>, are the application's own, at the root).
    if (path && url.pathname.startsWith(`${path}/`)) {
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = req.url!.slice(path.length) || '/';
    }
    const local = new URL(req.url ?? '/', origin).pathname;
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === 'location' && typeof value === 'string' && value.includes('/v1/auth/sso/callback') && callbackEdit) {
        const edited = new URL(value);
        callbackEdit(edited);
        callbackEdit = null;
        return setHeader(name, edited.toString());
      }
      return setHeader(name, value);
    };
    if (local === '/.well-known/openid-configuration' && opts.editDiscovery) {
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      res.end = ((chunk?: unknown) => {
        const doc = JSON.parse(String(chunk)) as Record<string, unknown>;
        opts.editDiscovery!(doc);
        const out = JSON.stringify(doc);
        setHeader('content-length', Buffer.byteLength(out));
        return end(out);
      }) as typeof res.end;
    }
    if (local === '/token' && req.method === 'POST') {
      // Seen, then handed on: oidc-provider reads the body itself, so it is read from a copy of the stream.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => tokenRequests.push({ authorization: req.headers.authorization, body: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) }));
    }
    const m = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(local);
    if (m && req.method === 'POST') {
      interaction(req, res, m[1]!).catch((e: unknown) => res.writeHead(500).end(String(e)));
      return;
    }
    void callback(req, res);
  });

  /** Follows the provider's redirects with a cookie jar, as a browser would, until one leaves for Ward. */
  async function login(authorizationUrl: string, username: string, how: { deny?: { error: string; description: string } } = {}): Promise<URL> {
    pending.set(username, how);
    const jar = new Map<string, string>();
    let next = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop += 1) {
      if (next.href.startsWith(`${opts.wardOrigin}/`)) return next;
      const isInteraction = /\/interaction\/[A-Za-z0-9_-]+$/.test(next.pathname);
      const res = await fetch(next, {
        method: isInteraction ? 'POST' : 'GET', redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(isInteraction ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: isInteraction ? new URLSearchParams({ username }).toString() : undefined,
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the test OP answered ${res.status} without a redirect at ${next.pathname}: ${(await res.text()).slice(0, 300)}`);
      next = new URL(location, next);
    }
    throw new Error('too many redirects at the test OP');
  }

  return {
    issuer,
    clientSecret,
    keys: () => jwks.map(publicOf),
    async rotate(alg = 'RS256', how = {}) {
      const kid = jwks[0]!.kid;
      const next = (await signingKey(alg)).private;
      jwks = [how.keepKid ? { ...next, kid } : next];
      provider = build();
      callback = provider.callback();
    },
    login,
    rewriteNextCallback: (edit) => void (callbackEdit = edit),
    tokenRequests,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
