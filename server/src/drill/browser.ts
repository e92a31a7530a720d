import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceKey, htu, send } from './clients.ts';
import type { Scenario, World } from './scenario.ts';

/**
 * One person in a real browser (R-SESS-1, R-SESS-4): headless Chromium with the DevTools virtual
 * authenticator enrolls through Ward's own enrollment page, so the session cookie and the
 * non-extractable device key are the dashboard's own. The scenarios then steal what a thief could
 * (the cookie) and try what a hostile page could (a cross-site request from the same browser). Only
 * where Chromium and playwright-core are installed (the development and CI machines); elsewhere the
 * drill says so and runs without them.
 */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserPerson {
  /** GET or POST from Ward's own page, with the page's device key, as web/src/api.ts does. */
  api(method: string, path: string): Promise<number>;
  /** Runs a script (an expression's text) in Ward's page. */
  evaluate<T>(script: string): Promise<T>;
  cookie(): Promise<string>;
  /** Opens a page on another origin in the same browser and runs `fn` there. */
  fromOtherSite<T>(fn: (wardOrigin: string) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function browserPerson(origin: string, enrollmentToken: string): Promise<BrowserPerson> {
  // A development dependency: absent from a production install, so loaded only here.
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'ward-drill-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  const other: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const otherOrigin = `http://localhost:${(other.address() as AddressInfo).port}`;
  const close = async () => {
    await context.close().catch(() => {});
    other.closeAllConnections();
    await new Promise<void>((r) => other.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await context.route('**/*', (route) => (['localhost', '127.0.0.1', '[::1]'].includes(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${origin}/enroll#token=${enrollmentToken}`);
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.waitForURL(`${origin}/`);
    const api = (method: string, path: string) => page.evaluate(`(async () => {
      const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      const db = await req(indexedDB.open('ward-device', 1));
      const pair = await req(db.transaction('keys').objectStore('keys').get('device'));
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
      const text = (o) => b64(new TextEncoder().encode(JSON.stringify(o)));
      const head = text({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
      const body = text({ htm: ${JSON.stringify(method)}, htu: location.origin + ${JSON.stringify(path)}, iat: Math.floor(Date.now() / 1000), jti: b64(crypto.getRandomValues(new Uint8Array(18))) });
      const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(head + '.' + body));
      const res = await fetch(${JSON.stringify(path)}, { method: ${JSON.stringify(method)}, headers: { dpop: head + '.' + body + '.' + b64(new Uint8Array(sig)) }, credentials: 'same-origin' });
      return res.status;
    })()`) as Promise<number>;
    return {
      api,
      evaluate: <T>(script: string) => page.evaluate(script) as Promise<T>,
      async cookie() {
        const c = (await context.cookies(origin))[0];
        return c ? `${c.name}=${c.value}` : '';
      },
      async fromOtherSite(fn) {
        const elsewhere = await context.newPage();
        try {
          await elsewhere.goto(`${otherOrigin}/`);
          return await elsewhere.evaluate(fn, origin);
        } finally {
          await elsewhere.close();
        }
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The scenarios of the person in Chromium (when the drill could start one). */
export function browserScenarios(): Scenario[] {
  const cat = 'cookie without device key and proof replay';
  const person = (w: World) => {
    if (!w.browser) throw new Error('no browser person');
    return w.browser;
  };
  return [
    {
      id: 'browser.stolen-cookie', category: cat, covers: ['R-SESS-1', 'R-SESS-4'],
      title: "the session cookie taken from the person's Chromium profile, sent from elsewhere without a proof and with the thief's own key",
      expected: 'from the page HTTP 200; the stolen cookie HTTP 401 both ways',
      async run(w) {
        const p = person(w);
        const own = await p.api('GET', '/v1/me');
        const cookie = await p.cookie();
        const bare = await send(w.origin, '/v1/me', { headers: { cookie } });
        const thief = await deviceKey();
        const keyed = await send(w.origin, '/v1/me', { headers: { cookie, dpop: await thief.proof('GET', htu(w.origin, '/v1/me')) } });
        return { pass: own === 200 && cookie !== '' && bare.status === 401 && keyed.status === 401, observed: `page HTTP ${own}; stolen cookie alone HTTP ${bare.status}, with the thief's key HTTP ${keyed.status}` };
      },
    },
    {
      id: 'browser.device-key-not-extractable', category: cat, covers: ['R-SESS-4'],
      title: "a script in Ward's page exports the device's private key (what XSS would try)", expected: 'the browser refuses (the key is not extractable)',
      async run(w) {
        // A string, not a function: the transpiler's helpers do not exist in the page.
        const outcome = await person(w).evaluate<string>(`(async () => {
          const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
          const db = await req(indexedDB.open('ward-device', 1));
          const pair = await req(db.transaction('keys').objectStore('keys').get('device'));
          try {
            await crypto.subtle.exportKey('jwk', pair.privateKey);
            return 'exported';
          } catch (e) {
            return 'refused: ' + e.name;
          }
        })()`);
        return { pass: outcome.startsWith('refused'), observed: outcome };
      },
    },
    {
      id: 'browser.cross-site-logout', category: 'CSRF', covers: ['R-SESS-1'],
      title: 'a page on another origin, in the same browser, posts to /v1/auth/logout with credentials', expected: "the person's session still answers afterwards",
      async run(w) {
        const p = person(w);
        const attempt = await p.fromOtherSite(async (ward: string) => {
          try {
            await fetch(`${ward}/v1/auth/logout`, { method: 'POST', credentials: 'include', mode: 'no-cors' });
            return 'sent';
          } catch (e) {
            return `blocked: ${(e as Error).name}`;
          }
        });
        const after = await p.api('GET', '/v1/me');
        return { pass: after === 200, observed: `cross-site request ${attempt}; the session afterwards HTTP ${after}` };
      },
    },
  ];
}
