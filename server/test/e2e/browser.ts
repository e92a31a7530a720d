import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../support/free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import type { Clock } from '../../src/deps.ts';
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

export async function startWard(): Promise<Ward> {
  const clock = fakeClock();
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const t = await createTestDeps('embedded', { clock, env: { WARD_ORIGIN: origin, WARD_PORT: String(port), WARD_EGRESS_ALLOW: '127.0.0.1,::1' } });
  const app = await buildApp(t.deps);
  await app.listen({ port, host: '127.0.0.1' });
  return { origin, t, clock, async close() { await app.close(); await t.close(); } };
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

/** One person: a fresh browser profile with one virtual authenticator (ctap2, internal, resident keys, UV). */
export async function newPerson(opts: { isUserVerified?: boolean } = {}): Promise<Person> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return ['localhost', '127.0.0.1', '[::1]'].includes(host) ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
