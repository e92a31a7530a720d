import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODES, PROBLEM_JSON, problemType } from '@ward/contracts';
import { DATA_CSP, HSTS } from './security-headers.ts';

/**
 * How long a client may take to send a request (R-OPS-1). Fastify's default is no limit at all
 * (`requestTimeout: 0`, which also turns off Node's own 300 s), so a client that sent its headers
 * and then one byte of its body a minute held its connection, and the memory and socket behind it,
 * for ever: a few thousand of them and no one else is served. Now the headers must arrive within
 * 10 s and the whole request (bodies are at most 1 MB) within 30 s, checked every second, else the
 * connection is answered 408 and closed. Behind a proxy these bound only the proxy's connection.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
const CHECK_INTERVAL_MS = 1_000;

/** The parts of Fastify's options that set the limits above. */
export const CONNECTION_OPTIONS = {
  requestTimeout: REQUEST_TIMEOUT_MS,
  http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS },
} as const;

/**
 * Node's parser refuses some requests before Fastify sees them (a malformed request line or header,
 * a Content-Length beside Transfer-Encoding, headers over 16 KB, a request past the timeouts above).
 * Fastify's own answer to those was a bare `{"error":…}` with none of the security headers; this one
 * is problem details with the stable code, like every other refusal (R-DATA-4), and nothing of the
 * request echoed. The connection is closed after it (the parser's state is unknown).
 */
export function clientErrorHandler(origin: URL): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const isHttps = origin.protocol === 'https:';
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const requestId = randomUUID();
    const body = JSON.stringify({ type: problemType('BAD_REQUEST'), title: ERROR_CODES.BAD_REQUEST.message, status, code: 'BAD_REQUEST', requestId });
    const headers = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`, `content-type: ${PROBLEM_JSON}`, `content-length: ${Buffer.byteLength(body)}`,
      `x-request-id: ${requestId}`, 'x-content-type-options: nosniff', `content-security-policy: ${DATA_CSP}`, 'referrer-policy: no-referrer',
      'cache-control: no-store', 'cross-origin-opener-policy: same-origin', 'cross-origin-resource-policy: same-origin',
      ...(isHttps ? [`strict-transport-security: ${HSTS}`] : []), 'connection: close',
    ];
    if (socket.writable) socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
    else socket.destroy();
  };
}
