import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import { firstPartyGrant, loopbackFetch } from '../support/oidc-op.ts';

/**
 * A real OpenID provider on loopback for the SSO tests: `oidc-provider` (a devDependency) with a
 * login form of its own, accounts whose logins carry the `amr` the test chooses, back-channel and
 * RP-initiated logout. For the refusal tests it can tamper with its next answer the way an attacker
 * in the middle or a rogue provider would: rewrite the redirect back to Ward, or re-sign the next ID
 * token with other claims (with its own real key).
 */
export interface IdpAccount {
  password: string;
  email: string;
  emailVerified: boolean;
  amr: string[];
  acr?: string;
}

export interface IdpClient {
  clientId: string;
  clientSecret: string;
  wardOrigin: string;
}

export interface Idp {
  issuer: string;
  /** Every redirect to a Ward callback the provider sent, oldest first. */
  callbacks: URL[];
  /** The next redirect to Ward's callback is rewritten by `edit`. */
  rewriteNextCallback(edit: (url: URL) => void): void;
  /** The next ID token from the token endpoint is re-signed with `edit`'s claims. */
  rewriteNextIdToken(edit: (claims: JWTPayload) => JWTPayload): void;
  close(): Promise<void>;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startIdp(opts: { accounts: Record<string, IdpAccount>; clients: IdpClient[] }): Promise<Idp> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'idp-test-key', alg: 'RS256', use: 'sig' };
  const signingKey = await importJWK(signingJwk, 'RS256');

  const provider = new Provider(issuer, {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId, client_secret: c.clientSecret, grant_types: ['authorization_code'], response_types: ['code'],
      redirect_uris: [`${c.wardOrigin}/v1/auth/sso/callback`], post_logout_redirect_uris: [`${c.wardOrigin}/sign-in`],
      // Server to server: Ward listens on 127.0.0.1, and Node may resolve localhost to ::1 first.
      backchannel_logout_uri: `${c.wardOrigin.replace('//localhost:', '//127.0.0.1:')}/v1/auth/sso/backchannel-logout`, backchannel_logout_session_required: false,
    })),
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['ward-test-idp-cookie-key'] },
    // amr and acr in every ID token, as Okta, Entra ID and Auth0 send them.
    claims: { sid: null, openid: ['sub', 'amr', 'acr', 'auth_time'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    // Its outgoing requests (back-channel logout) go to Ward on loopback, which its SSRF guard refuses.
    fetch: loopbackFetch,
    async findAccount(_ctx, id) {
      const a = opts.accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: a.email, email_verified: a.emailVerified }) };
    },
    loadExistingGrant: firstPartyGrant,
  });
  const callback = provider.callback();
  // A back-channel logout that Ward did not accept is a test failure to see, not a silent event.
  provider.on('backchannel.error', (_ctx: unknown, err: Error) => process.stdout.write(`# IdP back-channel logout failed: ${err.message}\n`));

  const callbacks: URL[] = [];
  let callbackEdit: ((url: URL) => void) | null = null;
  let tokenEdit: ((claims: JWTPayload) => JWTPayload) | null = null;

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'POST') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const account = opts.accounts[username];
      if (!account || account.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage(uid, 'Wrong username or password.'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: username, amr: account.amr, ...(account.acr ? { acr: account.acr } : {}) } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage(uid, ''));
  }

  function loginPage(uid: string, message: string): string {
    return `<!doctype html><html><head><title>Test IdP sign-in</title></head><body><h1>Test IdP</h1><p id="message">${escape(message)}</p>
<form method="post" action="/interaction/${escape(uid)}"><label>Username <input name="username"></label><label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
  }

  /** Tampering hooks: the Location of a redirect to Ward, the JSON of a token response. */
  function watch(req: IncomingMessage, res: ServerResponse): void {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === 'location' && typeof value === 'string' && value.includes('/v1/auth/sso/callback')) {
        const url = new URL(value);
        if (callbackEdit) {
          callbackEdit(url);
          callbackEdit = null;
        }
        callbacks.push(url);
        return setHeader(name, url.toString());
      }
      return setHeader(name, value);
    };
    if (req.method === 'POST' && req.url === '/token' && tokenEdit) {
      const edit = tokenEdit;
      tokenEdit = null;
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      res.end = ((chunk?: unknown) => {
        const body = JSON.parse(String(chunk)) as { id_token?: string };
        if (!body.id_token) return end(chunk);
        void new SignJWT(edit(decodeJwt(body.id_token))).setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid, typ: 'JWT' }).sign(signingKey).then((idToken) => {
          const out = JSON.stringify({ ...body, id_token: idToken });
          setHeader('content-length', Buffer.byteLength(out));
          end(out);
        });
        return res;
      }) as typeof res.end;
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const m = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(path);
    watch(req, res);
    if (m) {
      interaction(req, res, m[1]!).catch((e: unknown) => res.writeHead(500).end(String(e)));
      return;
    }
    void callback(req, res);
  });

  return {
    issuer,
    callbacks,
    rewriteNextCallback: (edit) => void (callbackEdit = edit),
    rewriteNextIdToken: (edit) => void (tokenEdit = edit),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
