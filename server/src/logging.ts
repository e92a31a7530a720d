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

const CENSOR = '[redacted]';

/** The options every Ward logger is made with; exported so that a test can build pino's own redaction beside Ward's. */
export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    base: { service: 'ward' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? (req.url ? req.url.split('?')[0] : undefined),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return withCompiledRedaction(pino(loggerOptions(level), destination), REDACT_PATHS);
}

type Stringifier = (value: unknown) => string | undefined;
const { stringifiersSym, stringifySym, stringifySafeSym, wildcardFirstSym } = pino.symbols;
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * pino's redaction of `paths`, with each path parsed once instead of on every call (R-OPS-1, issue 31).
 * pino turns the paths into one function per top-level key (and one for `*.` paths, which serves every
 * other key); each of those re-parses its paths, clones and stringifies on every call: ~11 µs of the
 * ~14 µs a request's log line and child logger cost. This replaces, on `logger` and the children that
 * inherit them, the functions for keys whose paths are all one plain segment (`req` → headers, query,
 * body and the `*.` names; the `*.` names alone) with one that does what they do: the value cloned as
 * pino's redactor clones it, its own properties of those names censored, the clone stringified by
 * pino's stringify. Top-level censors and the interpolation formatter stay pino's. Any other path shape
 * leaves pino's redaction as it is. logging.test.ts compares the two on generated log calls.
 */
export function withCompiledRedaction(logger: Logger, paths: readonly string[]): Logger {
  const plain = /^[A-Za-z_$][\w$]*$/;
  const nested = new Map<string, string[]>();
  const wildcard: string[] = [];
  const whole = new Set<string>();
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length === 1 && plain.test(parts[0]!)) {
      whole.add(parts[0]!); // a top-level censor: pino's
      continue;
    }
    if (parts.length !== 2 || !(parts[0] === '*' || plain.test(parts[0]!)) || !plain.test(parts[1]!)) return logger;
    if (parts[0] === '*') wildcard.push(parts[1]!);
    else nested.set(parts[0]!, [...(nested.get(parts[0]!) ?? []), parts[1]!]);
  }
  const internals = logger as unknown as Record<symbol, unknown>;
  const stringifiers = internals[stringifiersSym] as Record<string | symbol, Stringifier>;
  const raw = internals[stringifySym] as (value: unknown, safe: unknown) => string | undefined;
  const safe = internals[stringifySafeSym];
  const serialize = (value: unknown) => raw(value, safe);
  // As pino's shape: a key's own paths, then every `*.` path (a key that is also censored whole keeps its censor).
  for (const [key, names] of nested) if (!whole.has(key) && typeof stringifiers[key] === 'function') stringifiers[key] = censorOwn([...names, ...wildcard], serialize);
  if (wildcard.length > 0 && typeof stringifiers[wildcardFirstSym] === 'function') stringifiers[wildcardFirstSym] = censorOwn(wildcard, serialize);
  return logger;
}

/** @pinojs/redact 0.4's redact() for one-segment paths and a fixed censor, without parsing them per call. */
function censorOwn(names: readonly string[], serialize: Stringifier): Stringifier {
  const unique = [...new Set(names)];
  return (value) => {
    if (value === null || typeof value !== 'object') return serialize(value);
    // Its selective clone: a Date anew, an array's items, an object's own enumerable properties on its prototype.
    if (value instanceof Date) return serialize(new Date(value.getTime()));
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (let i = 0; i < value.length; i++) items[i] = value[i];
      return serialize(items);
    }
    const source = value as Record<string, unknown>;
    const cloned = Object.create(Object.getPrototypeOf(source)) as Record<string, unknown>;
    for (const key in source) if (hasOwn(source, key)) cloned[key] = source[key];
    for (const name of unique) if (hasOwn(cloned, name)) cloned[name] = CENSOR;
    return serialize(cloned);
  };
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
