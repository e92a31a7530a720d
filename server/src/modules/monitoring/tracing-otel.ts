import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanAttributes, SpanHandle, Tracing, TracingOptions } from './tracing.ts';

/** Tracing with the OpenTelemetry SDK, loaded by tracing.ts's `createTracing`, which says what is traced and what never is. */

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

export function createOtelTracing(opts: TracingOptions = {}): Tracing {
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
