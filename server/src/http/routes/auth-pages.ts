import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/**
 * The enrollment, sign-in and signed-in pages (R-UX-1, first part). Their script is bundled from
 * web/src at start, in memory, by esbuild (a pinned dependency): nothing is downloaded or built by
 * hand. A strict Content-Security-Policy allows only this origin's script.
 */
const WEB_ENTRY = fileURLToPath(new URL('../../../../web/src/main.ts', import.meta.url));
let bundled: Promise<string> | undefined;

export function webBundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [WEB_ENTRY], bundle: true, write: false, format: 'esm', target: ['chrome120', 'firefox120', 'safari17'],
    minify: true, sourcemap: false, legalComments: 'none', logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CSS = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2733}
button{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer}#status{margin-top:1rem;color:#8a1c1c}
dt{font-weight:600}dd{margin:0 0 .5rem 0}li{margin:.25rem 0}`;

/** A page of the one script; `data` becomes data-* attributes of the body (values already safe: slugs, codes). */
export function page(name: 'enroll' | 'recover' | 'sign-in' | 'home' | 'sso' | 'sso-callback', title: string, body: string, data: Record<string, string> = {}): string {
  const attrs = Object.entries(data).map(([k, v]) => ` data-${k}="${v.replace(/[^a-z0-9_-]/gi, '')}"`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Ward</title><link rel="stylesheet" href="/assets/ward.css"><script type="module" src="/assets/ward.js"></script></head>
<body data-page="${name}"${attrs}><main><h1>${title}</h1>${body}<p id="status" role="status" aria-live="polite"></p></main></body></html>`;
}

const PAGES = {
  '/enroll': page('enroll', 'Set up your passkey', '<p>Your administrator invited you to Ward. Create a passkey on this device to finish.</p><button id="create" type="button">Create passkey</button>'),
  '/recover': page('recover', 'Recover your account', '<p>Two administrators approved the recovery of your account. Create a passkey on this device: your previous passkeys stop working, and your account stays restricted until an administrator lifts the restriction.</p><button id="create" type="button">Create passkey</button>'),
  '/sign-in': page('sign-in', 'Sign in to Ward', `<button id="sign-in" type="button">Sign in with a passkey</button>
<h2>Single sign-on</h2><p><label for="organisation">Your organisation</label> <input id="organisation" autocomplete="organization" spellcheck="false" placeholder="e.g. clinic"></p>
<button id="sign-in-sso" type="button">Sign in with SSO</button>`),
  '/': page('home', 'Ward', `<section id="me" hidden><p id="who"></p><dl id="facts"></dl>
<h2>Your passkeys</h2><ul id="passkeys"></ul>
<button id="verify" type="button">Verify it's you</button> <button id="link-sso" type="button">Link single sign-on</button> <button id="sign-out" type="button">Sign out</button></section>`),
} as const;

export const PAGE_HEADERS = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' } as const;

export async function authPageRoutes(app: FastifyInstance, _deps: Deps): Promise<void> {
  const script = await webBundle();
  const headers = PAGE_HEADERS;
  for (const [url, html] of Object.entries(PAGES)) {
    app.get(url, { config: { access: { kind: 'public' } } }, async (_req, reply) => reply.headers(headers).type('text/html; charset=utf-8').send(html));
  }
  app.get('/assets/ward.js', { config: { access: { kind: 'public' } } }, async (_req, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(script));
  app.get('/assets/ward.css', { config: { access: { kind: 'public' } } }, async (_req, reply) =>
    reply.headers(headers).type('text/css; charset=utf-8').send(CSS));
}
