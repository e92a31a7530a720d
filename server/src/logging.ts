import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * General-purpose logs never carry PHI (R-DATA-4): requests are logged by method, route and status
 * only (no query strings, no headers, no bodies), errors by name and code only, and these paths are
 * censored in case a value slips into a log call anyway.
 */
const REDACT_PATHS = [
  'req.headers', 'req.query', 'req.body', 'body', 'text', 'justification', 'cookie', 'authorization',
  '*.text', '*.body', '*.name', '*.givenName', '*.familyName', '*.dateOfBirth', '*.ssn', '*.phone',
  '*.email', '*.address', '*.addressLine', '*.mrn', '*.memberNumber', '*.justification', '*.token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ward' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? (req.url ? req.url.split('?')[0] : undefined),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: safeError,
      },
    },
    destination,
  );
}

/** An error as it may appear in a log: its name, stable code and SQLSTATE; never its message. */
export function safeError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: unknown; cause?: unknown } | null;
  return {
    name: e?.name ?? typeof err,
    code: typeof e?.code === 'string' ? e.code : undefined,
    cause: e?.cause ? { name: (e.cause as Error).name, code: (e.cause as { code?: unknown }).code } : undefined,
  };
}
