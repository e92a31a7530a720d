import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Role } from '@ward/contracts';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import type { Clock } from '../../src/deps.ts';
import { generateDemo, type DemoData } from '../../src/modules/demo/index.ts';
import { demoEnrollment, landingLink } from '../../src/modules/identity/index.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDeps, type TestDeps } from '../support/deps.ts';

/**
 * The browser half of the passkey tests: Debian's Chromium driven by playwright-core with the
 * DevTools WebAuthn virtual authenticator, against a Ward served on localhost with an injected clock.
 * Nothing is downloaded: every request that is not to a loopback address is aborted.
 */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface FakeClock extends Clock {
  advance(ms: number): void;
}

export function fakeClock(): FakeClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

export interface Ward {
  origin: string;
  t: TestDeps;
  clock: FakeClock;
  close(): Promise<void>;
}

/** `demo`: the demo data of that seed is in the database (createTestDeps). Closing it also closes the file's Chromium. */
export async function startWard(opts: { demo?: number } = {}): Promise<Ward> {
  const clock = fakeClock();
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const t = await createTestDeps('embedded', { clock, env: { WARD_ORIGIN: origin, WARD_PORT: String(port), WARD_EGRESS_ALLOW: '127.0.0.1,::1' }, demo: opts.demo });
  const app = await buildApp(t.deps);
  await app.listen({ port, host: '127.0.0.1' });
  return { origin, t, clock, async close() { await closeBrowser(); await app.close(); await t.close(); } };
}

/** A plain page on another localhost port: the attacker's site (same site as Ward, other origin). */
export async function startOtherSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>elsewhere</p>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, close: () => new Promise<void>((r) => {
    server.closeAllConnections(); // the browser keeps connections alive; close would wait for them
    server.close(() => r());
  }) };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  close(): Promise<void>;
}

/**
 * One Chromium per test file (each file runs in its own process): launched for the first person,
 * closed with the last one or with the Ward (startWard). Each person is a browser context of its
 * own: its own cookies, storage and IndexedDB (the device key), as a separate profile had.
 */
let browser: Promise<Browser> | undefined;
let contexts = 0;

function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  browser.catch(() => (browser = undefined));
  return browser;
}

async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  contexts = 0;
  await (await b?.catch(() => undefined))?.close();
}

/** One person: a fresh browser context with one virtual authenticator (ctap2, internal, resident keys, UV). */
export async function newPerson(opts: { isUserVerified?: boolean } = {}): Promise<Person> {
  const context = await (await sharedBrowser()).newContext();
  contexts += 1;
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return ['localhost', '127.0.0.1', '[::1]'].includes(host) ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: opts.isUserVerified ?? true, automaticPresenceSimulation: true,
    },
  });
  return {
    context, page, cdp, authenticatorId,
    async close() {
      await context.close();
      contexts -= 1;
      if (contexts === 0) await closeBrowser();
    },
  };
}

/** docs/screens/: the screenshots of the Chromium suites. */
export const SCREENS = fileURLToPath(new URL('../../../docs/screens/', import.meta.url));

/** Axe counts by screen, printed by the suite when it ends. */
export type AxeResults = Record<string, { serious: number; moderate: number; minor: number }>;

/**
 * The dashboard suites' start-up (R-UX-1): a Ward on the demo data of seed 1, the data itself for
 * the assertions, and docs/screens/ to photograph into.
 */
export async function startDemoWard(): Promise<{ ward: Ward; demo: DemoData }> {
  const ward = await startWard({ demo: 1 });
  mkdirSync(SCREENS, { recursive: true });
  return { ward, demo: generateDemo(1) };
}

/** Photographs the page into docs/screens/ and checks it with axe: no serious or critical violation; the counts go to `results`. */
export async function look(page: Page, name: string, results: AxeResults, opts: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${SCREENS}${name}.png`, fullPage: opts.fullPage ?? true });
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const by = (impact: string) => r.violations.filter((v) => v.impact === impact);
  const bad = [...by('serious'), ...by('critical')];
  results[name] = { serious: bad.length, moderate: by('moderate').length, minor: by('minor').length };
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
}

/**
 * A demo member of `role` (`ward demo sign-in`) in a fresh browser context at the agent's desk size
 * (1280×720), the passkey created on their enrollment link: to the role's first screen with
 * `landing`, else to the home screen. Resolves once the passkey is created; the page is on its way.
 */
export async function enrollDemoMember(ward: Ward, people: Person[], role: Role, opts: { slug?: string; landing?: boolean } = {}): Promise<{ p: Person; email: string; memberId: string }> {
  const r = await demoEnrollment({ systemDb: ward.t.deps.db.systemDb, audit: ward.t.deps.audit, origin: new URL(ward.origin) }, { slug: opts.slug ?? 'riverside', role }, ward.clock.now());
  const p = await newPerson();
  people.push(p);
  await p.page.setViewportSize({ width: 1280, height: 720 });
  await p.page.goto(opts.landing ? landingLink(r.link, role) : r.link);
  await p.page.getByRole('button', { name: 'Create passkey' }).click();
  return { p, email: r.email, memberId: r.memberId };
}

/** Waits for the page's status line to say something, and returns it. */
export async function statusText(page: Page): Promise<string> {
  // A function, not a string: the page's Content-Security-Policy forbids eval. No DOM types in the server's build.
  await page.waitForFunction(() => ((globalThis as any).document.getElementById('status')?.textContent ?? '') !== '');
  return (await page.textContent('#status')) ?? '';
}

/** A device key held by the test itself (an attacker's, or a second device), making RFC 9449-shaped proofs. */
export async function nodeDevice(): Promise<{ proof(method: string, url: string, iat?: number): Promise<string>; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return {
    jwk,
    proof: (method, url, iat) =>
      new SignJWT({ htm: method, htu: url, jti: crypto.randomUUID() })
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
        .setIssuedAt(iat ?? Math.floor(Date.now() / 1000))
        .sign(privateKey),
  };
}

export async function auditReasons(ward: Ward, action: string): Promise<Array<{ outcome: string; reasons: string[] }>> {
  const { rows } = await ward.t.deps.db.systemDb.query<{ outcome: string; reasons: string[] }>(
    'SELECT outcome, reasons FROM audit_events WHERE action = $1 ORDER BY occurred_at', [action]);
  return rows;
}

/** An API call from the page with its own device key (as web/src/api.ts makes them), with an optional JSON body; a string: no transpiler helpers. */
export function pageApi(p: Person, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown; clock?: Clock } = {}): Promise<{ status: number; code: string; json: Record<string, unknown> }> {
  // `clock`: the proof is signed at the server's (injected) time, as web/src/api.ts learns it.
  const iat = opts.clock ? Math.floor(opts.clock.now().getTime() / 1000) : null;
  const args = JSON.stringify({ method, path, iat, headers: opts.headers ?? {}, body: opts.body === undefined ? null : JSON.stringify(opts.body) });
  return p.page.evaluate(`(async () => {
    const a = ${args};
    const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const db = await req(indexedDB.open('ward-device', 1));
    const pair = await req(db.transaction('keys').objectStore('keys').get('device'));
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
    const text = (o) => b64(new TextEncoder().encode(JSON.stringify(o)));
    const head = text({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
    const body = text({ htm: a.method, htu: location.origin + a.path.split('?')[0], iat: a.iat ?? Math.floor(Date.now() / 1000), jti: b64(crypto.getRandomValues(new Uint8Array(18))) });
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(head + '.' + body));
    const headers = { dpop: head + '.' + body + '.' + b64(new Uint8Array(sig)), ...a.headers };
    if (a.body !== null) headers['content-type'] = 'application/json';
    const res = await fetch(a.path, { method: a.method, headers, credentials: 'same-origin', body: a.body ?? undefined });
    let json = {};
    try { json = await res.json(); } catch {}
    return { status: res.status, code: json.code ?? '', json };
  })()`);
}
