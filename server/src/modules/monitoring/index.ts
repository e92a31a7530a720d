/** Metrics and traces (R-OPS-1, R-GOV-5, R-DATA-4): docs/observability.md. */
export { createMetrics, readScrapeStats, type Metrics, type MetricsOptions, type ScrapeStats } from './metrics.ts';
export { createTracing, tracingOff, type SpanAttributes, type SpanHandle, type SpanName, type Tracing, type TracingOptions } from './tracing.ts';
