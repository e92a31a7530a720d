import { Readable, Writable } from 'node:stream';
import * as oauth from 'oauth4webapi';
import type { buildApp } from '../../src/app.ts';
import { main, serverContext } from '../../src/cli/main.ts';
import type { TestDeps } from './deps.ts';

/**
 * The pieces of an independent OAuth client's test harness (R-WORK-1, R-WORK-2): the client's HTTP
 * goes into the app through inject() (no port, the same bytes), DPoP nonces are learnt as a client
 * learns them, and the operator CLI runs in-process against the same dependencies.
 */
type App = Awaited<ReturnType<typeof buildApp>>;
export interface SeenRequest { last?: { url: string; method: string; headers: Record<string, string> } }

/** The last request is kept in `seen` for replays. */
export function injectFetch(app: App, seen: SeenRequest): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const method = init?.method ?? 'GET';
    seen.last = { url: url.href, method, headers };
    const res = await app.inject({ method: method as 'GET', url: url.pathname + url.search, headers, payload: init?.body ? String(init.body) : undefined });
    return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers: res.headers as Record<string, string> });
  }) as typeof fetch;
}

/** RFC 9449 §8: the first request learns the server's nonce and is sent again once with it. */
export async function withNonce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (oauth.isDPoPNonceError(e)) return fn();
    throw e;
  }
}

export async function runCli(t: TestDeps, argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    env: {},
  };
  const code = await main(argv, io, serverContext(t.deps));
  return { code, out, err };
}
