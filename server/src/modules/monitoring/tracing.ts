import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';

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

/** The error as a span may carry it: its class name and stable code, never its message. */
function errorAttributes(error: unknown): Attributes {
  const e = error as { name?: unknown; code?: unknown } | null;
  return {
    'error.type': typeof e?.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(e.code) ? e.code : typeof e?.name === 'string' ? e.name : 'error',
  };
}

class Handle implements SpanHandle {
  constructor(readonly span: Span) {}
  set(attributes: SpanAttributes): void {
    this.span.setAttributes(attributes);
  }
  fail(error: unknown): void {
    this.span.setAttributes(errorAttributes(error));
    this.span.setStatus({ code: SpanStatusCode.ERROR });
  }
  end(): void {
    this.span.end();
  }
}

let contextManagerSet = false;

export interface TracingOptions {
  /** Where spans go: the OTLP/HTTP exporter (reads OTEL_EXPORTER_OTLP_* itself), or a test's exporter. */
  exporter?: SpanExporter;
  /** Export each span at its end (tests), instead of in batches. */
  isSynchronous?: boolean;
  serviceVersion?: string;
}

export function createTracing(opts: TracingOptions = {}): Tracing {
  if (!contextManagerSet) {
    // The active span follows the request through its awaits (AsyncLocalStorage).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const exporter = opts.exporter ?? new OTLPTraceExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ward', ...(opts.serviceVersion ? { 'service.version': opts.serviceVersion } : {}) }),
    spanProcessors: [opts.isSynchronous ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter })],
  });
  const tracer: Tracer = provider.getTracer('ward');
  const parentContext = (parent: SpanHandle | undefined): Context =>
    parent instanceof Handle ? trace.setSpan(ROOT_CONTEXT, parent.span) : context.active();

  return {
    isEnabled: true,
    async span(name, attributes, fn) {
      const span = tracer.startSpan(name, { attributes }, context.active());
      const handle = new Handle(span);
      try {
        return await context.with(trace.setSpan(context.active(), span), () => fn(handle));
      } catch (e) {
        handle.fail(e);
        throw e;
      } finally {
        span.end();
      }
    },
    start: (name, attributes) => new Handle(tracer.startSpan(name, { attributes }, context.active())),
    within: (parent, fn) => context.with(parentContext(parent), fn),
    async flush() {
      await provider.forceFlush();
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}
