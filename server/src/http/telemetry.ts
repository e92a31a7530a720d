import type { FastifyInstance } from 'fastify';
import type { Metrics, SpanHandle, Tracing } from '../modules/monitoring/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's span while tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT); null otherwise. */
    wardSpan: SpanHandle | null;
  }
}

/**
 * Per request (R-OPS-1): one count and one latency observation by route template, method and status
 * (docs/observability.md), and, with tracing on, one `http` span whose children are the pipeline's
 * steps. R-DATA-4: the route template (`/v1/patients/:id`), never the path or query as asked.
 */
export function registerTelemetry(app: FastifyInstance, deps: { metrics: Metrics; tracing: Tracing }): void {
  app.decorateRequest('wardSpan', null);
  if (deps.tracing.isEnabled) {
    app.addHook('onRequest', async (req) => {
      req.wardSpan = deps.tracing.start('http', { 'http.request.method': req.method, 'http.route': req.routeOptions.url ?? 'unmatched' });
    });
  }
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpRequest(req.routeOptions.url, req.method, reply.statusCode, reply.elapsedTime / 1000);
    if (req.wardSpan) {
      req.wardSpan.set({ 'http.response.status_code': reply.statusCode });
      req.wardSpan.end();
      req.wardSpan = null;
    }
  });
}
