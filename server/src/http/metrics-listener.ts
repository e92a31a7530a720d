import { createServer, type Server } from 'node:http';
import type { Metrics } from '../modules/monitoring/index.ts';

/**
 * The Prometheus listener (R-OPS-1): `GET /metrics` on WARD_METRICS_ADDRESS (default 127.0.0.1:9464),
 * a listener of its own so that the figures never sit on the public port. It serves nothing else,
 * takes no input and holds no PHI (R-DATA-4: labels are closed lists, modules/monitoring).
 */
export async function startMetricsListener(metrics: Metrics, address: { host: string; port: number }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function closeMetricsListener(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
