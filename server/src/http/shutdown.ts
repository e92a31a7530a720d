import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown (R-OPS-1): stop accepting connections, let in-flight requests finish (new
 * requests on open connections get 503, so /readyz fails at once), and give up after `timeoutMs`,
 * closing what is left. The caller exits non-zero when the drain timed out.
 */
export async function closeGracefully(app: FastifyInstance, timeoutMs: number): Promise<'drained' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  const closed = app.close().then(() => 'drained' as const);
  // A keep-alive connection whose last request finished is idle: close it then, not at the timeout.
  const idle = setInterval(() => app.server.closeIdleConnections(), 50);
  const result = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  clearInterval(idle);
  if (result === 'timed-out') app.server.closeAllConnections();
  return result;
}
