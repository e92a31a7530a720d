import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WardError } from '@ward/contracts';
import type { EgressPolicy, EgressTarget } from './policy.ts';

/**
 * A `fetch` for every outbound call Ward makes (R-WORK-4): each URL, and each redirect hop, is
 * decided by the egress policy, and the connection goes to the address the policy checked (the
 * lookup is pinned, so a second DNS answer cannot swap in a private address). Redirects are not
 * followed unless asked (`redirect: 'follow'`, at most 3 hops, each decided again). Bodies are
 * buffered up to a limit; a slow peer is cut off after `timeoutMs`.
 */
export type EgressFetch = (url: string | URL, init?: EgressRequestInit) => Promise<Response>;

export interface EgressRequestInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array | URLSearchParams | null;
  redirect?: 'manual' | 'follow' | 'error';
  signal?: AbortSignal | null;
}

const MAX_REDIRECTS = 3;

export function createEgressFetch(policy: EgressPolicy, opts: { timeoutMs?: number; maxResponseBytes?: number } = {}): EgressFetch {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxResponseBytes ?? 1_048_576;

  function once(target: EgressTarget, init: EgressRequestInit): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const headers = new Headers(init.headers);
    let body: Buffer | undefined;
    if (init.body instanceof URLSearchParams) {
      body = Buffer.from(init.body.toString());
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    } else if (typeof init.body === 'string') body = Buffer.from(init.body);
    else if (init.body) body = Buffer.from(init.body);
    if (body) headers.set('content-length', String(body.length));
    const { url } = target;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers),
        timeout: timeoutMs,
        signal: init.signal ?? undefined,
        // Pinned: the connection uses the address the policy decided on, never a fresh answer.
        lookup: (_host: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) =>
          (o?.all ? cb(null, [{ address: target.address, family: target.family }]) : cb(null, target.address, target.family)),
      } as Parameters<typeof httpsRequest>[1], (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            reject(new WardError('EGRESS_REFUSED', undefined, { detail: 'egress: the response is larger than allowed' }));
            res.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
        res.on('close', () => reject(new Error('egress: the answer was cut short')));
      });
      req.on('timeout', () => req.destroy(new Error('egress: timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  return async function egressFetch(input, init = {}) {
    let target = await policy.decide(input);
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const res = await once(target, { ...init, method, body });
      const location = res.headers.get('location');
      const isRedirect = res.status >= 300 && res.status < 400 && location !== null;
      if (!isRedirect || (init.redirect ?? 'manual') === 'manual') {
        const nullBody = res.status === 204 || res.status === 304 || method === 'HEAD';
        const response = new Response(nullBody ? null : res.body, { status: res.status, headers: res.headers });
        Object.defineProperty(response, 'url', { value: target.url.href });
        return response;
      }
      if (init.redirect === 'error' || hop >= MAX_REDIRECTS) throw new WardError('EGRESS_REFUSED', undefined, { detail: 'egress: a redirect was not allowed' });
      // Every hop is decided again: a redirect to a private or loopback address is refused like a first request.
      target = await policy.decide(new URL(location!, target.url));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
      }
    }
  };
}
