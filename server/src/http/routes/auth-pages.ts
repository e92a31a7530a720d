import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';

/**
 * The dashboard (R-UX-1): the React app and the passkey pages' script, built by Vite into web/dist
 * (`npm start` and `npm test` build it when web/ changed: web/build.ts). The app's page is served at
 * each screen's address; the enrollment, recovery and sign-in pages are written here. A strict
 * Content-Security-Policy allows only this origin's script; the pages are never cached.
 */
const DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));
/** The screens of the app: their addresses carry route words and ids only (no PHI). */
const APP_PATHS = ['/', '/agent', '/agent/*', '/auditor', '/auditor/*', '/supervisor', '/supervisor/*', '/admin'] as const;
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:-[A-Za-z0-9_-]+)?\.(?:js|css)$/;
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

const built = new Map<string, string>();
/**
 * A file of web/dist, read once; null when there is none (the dashboard not built: `npm run build:web`).
 * Only files that exist are kept: /assets/:file is public, and remembering every name asked for would
 * let anyone grow this map without bound, one made-up name per request.
 */
function distFile(name: string): string | null {
  const kept = built.get(name);
  if (kept !== undefined) return kept;
  try {
    const text = readFileSync(DIST + name, 'utf8');
    built.set(name, text);
    return text;
  } catch {
    return null;
  }
}

// media-src blob: the recording player plays audio fetched through the data client (byte ranges with the device proof).
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A page of the one script; `data` becomes data-* attributes of the body (values already safe: slugs, codes). */
export function page(name: 'enroll' | 'recover' | 'sign-in' | 'sso' | 'sso-callback', title: string, body: string, data: Record<string, string> = {}): string {
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
} as const;

export const PAGE_HEADERS = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' } as const;

export async function authPageRoutes(plainApp: FastifyInstance, _deps: Deps): Promise<void> {
  const app = plainApp.withTypeProvider<TypeBoxTypeProvider>();
  const headers = PAGE_HEADERS;
  const notBuilt = (reply: FastifyReply) =>
    reply.status(503).headers(headers).type('text/plain; charset=utf-8').send('The dashboard is not built: run npm run build:web (npm start does it).');
  for (const [url, html] of Object.entries(PAGES)) {
    app.get(url, { config: { access: { kind: 'public' } } }, async (_req, reply) => reply.headers(headers).type('text/html; charset=utf-8').send(html));
  }
  for (const url of APP_PATHS) {
    app.get(url, { config: { access: { kind: 'public' } }, schema: { summary: 'A screen of the dashboard (the app page; its data comes from the API)' } }, async (_req, reply) => {
      const html = distFile('index.html');
      return html === null ? notBuilt(reply) : reply.headers(headers).type('text/html; charset=utf-8').send(html);
    });
  }
  app.get('/assets/:file', {
    config: { access: { kind: 'public' } },
    schema: { summary: "The dashboard's scripts and style sheets", params: Type.Object({ file: Type.String({ pattern: ASSET_NAME.source, maxLength: 100 }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const { file } = req.params;
    const text = distFile(`assets/${file}`);
    if (text === null) return distFile('index.html') === null ? notBuilt(reply) : reply.status(404).headers(headers).send();
    return reply.headers(headers).type(TYPES[file.slice(file.lastIndexOf('.') + 1)]!).send(text);
  });
}
