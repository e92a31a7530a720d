import type { SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * OpenTelemetry traces of the request pipeline (R-OPS-1; docs/observability.md): spans `authenticate`,
 * `scope`, `load`, `decide`, `handle`, `audit`, `commit` and `model` under one span per HTTP request.
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; off, `span()` calls its function and nothing else.
 *
 * R-DATA-4: attributes are route templates, Cedar actions, decisions, fixed reasons, status codes,
 * template and vendor names — never a path as asked, a query, a header, an identifier or PHI. An
 * error's message is not recorded (it may quote input): only its name and stable code.
 */
export type SpanName = 'authenticate' | 'scope' | 'load' | 'decide' | 'handle' | 'audit' | 'commit' | 'model' | 'http';
export type SpanAttributes = Record<string, string | number | boolean>;

export interface Tracing {
  readonly isEnabled: boolean;
  /** Runs `fn` inside a span that is the child of the active one; off, runs `fn` alone. */
  span<T>(name: SpanName, attributes: SpanAttributes, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
  /** A span started now, a child of the active one, ended by the caller (an HTTP request, a commit). */
  start(name: SpanName, attributes: SpanAttributes): SpanHandle;
  /** Runs `fn` with `parent` as the active span, so that the spans `fn` opens are its children. */
  within<T>(parent: SpanHandle | undefined, fn: () => Promise<T>): Promise<T>;
  /** Sends what is buffered now. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops (the server's shutdown). */
  shutdown(): Promise<void>;
}

export interface SpanHandle {
  set(attributes: SpanAttributes): void;
  fail(error: unknown): void;
  end(): void;
}

const NOOP_HANDLE: SpanHandle = { set() {}, fail() {}, end() {} };

export const tracingOff: Tracing = {
  isEnabled: false,
  span: (_name, _attributes, fn) => fn(NOOP_HANDLE),
  start: () => NOOP_HANDLE,
  within: (_parent, fn) => fn(),
  flush: async () => {},
  shutdown: async () => {},
};

export interface TracingOptions {
  /** Where spans go: the OTLP/HTTP exporter (reads OTEL_EXPORTER_OTLP_* itself), or a test's exporter. */
  exporter?: SpanExporter;
  /** Export each span at its end (tests), instead of in batches. */
  isSynchronous?: boolean;
  serviceVersion?: string;
}

/**
 * Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set, or a test's exporter). The OpenTelemetry SDK and its
 * OTLP exporter (some three hundred modules) are loaded only here, so a server with tracing off, and
 * every process that builds the app, does not load them.
 */
export async function createTracing(opts: TracingOptions = {}): Promise<Tracing> {
  return (await import('./tracing-otel.ts')).createOtelTracing(opts);
}
