import { WardError, type Authenticated, type Credential, type Decision } from '@ward/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface } from 'fastify';
import type { Tx } from '../db/types.ts';
import type { Guard, ResourceRef } from '../modules/access/index.ts';
import type { Tracing } from '../modules/monitoring/index.ts';
import { authenticationOf } from './plugins/authenticate.ts';

/**
 * The enforcement point as Fastify sees it (DESIGN.md steps 1–5). A route declares its Cedar action
 * and how to load its resource; the authentication chain (plugins/authenticate.ts) has already
 * authenticated the one credential, and this runs `guard.run` (scope → load → decide → handle →
 * audit), with authentication's writes settled in the guard's own transaction.
 * The purpose travels in `Ward-Purpose`, the justification in `Ward-Justification` (R-AUTHZ-4).
 */
export interface EnforcementDeps {
  guard: Guard;
  /** Spans of the pipeline's steps become children of the request's span (R-OPS-1). */
  tracing?: Tracing;
}

/**
 * A request typed by its route's TypeBox schema (the Fastify TypeBox type provider): `req.params`,
 * `req.query` and `req.body` have the types of the schemas that validated them, so no handler casts.
 */
export type SchemaRequest<S extends FastifySchema> = FastifyRequest<RouteGenericInterface, RawServerDefault, RawRequestDefaultExpression, S, TypeBoxTypeProvider>;

export interface EnforcedRoute<T, S extends FastifySchema = FastifySchema> {
  method: HTTPMethods;
  url: string;
  action: string;
  /** The credentials this route accepts (default: any the chain accepts); another is FORBIDDEN. */
  credentials?: readonly Credential['kind'][];
  schema?: S;
  /** Names the target (type and id, never PHI) for the audit trail before it is loaded. */
  target?(req: SchemaRequest<S>): { type: string; id: string } | undefined;
  load(tx: Tx, req: SchemaRequest<S>, who: Authenticated): Promise<ResourceRef | null>;
  handle(tx: Tx, ctx: { resource: ResourceRef; decision: Decision; who: Authenticated }, req: SchemaRequest<S>): Promise<T>;
  auditMetadata?(result: T): Record<string, string | number | boolean | null>;
  /** A list or search: decided once per PHI scope it reaches (see GuardRequest.decidePerScope). */
  decidePerScope?: boolean;
  /** A list or search: counted against the principal's list limit (see GuardRequest.rateLimited). */
  rateLimited?: boolean;
  /**
   * Work that must not run inside the access transaction, done before it opens: encrypting a field
   * under the tenant's key (a first key may need the KMS and the key store's own connection).
   */
  before?(req: SchemaRequest<S>, who: Authenticated): Promise<void>;
  /**
   * A GET whose handler writes (a download claimed once): its record commits with the write, in its
   * own transaction, never through the audit writer's group commit (R-AUDIT-2).
   */
  writes?: boolean;
  /** HTTP status of a success (default 200). */
  status?: number;
  /** Shapes the reply from the result (headers, binary bodies); default: the result as JSON. */
  reply?(reply: FastifyReply, result: T): unknown;
}

function header(req: FastifyRequest, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Registers an enforced route: the schema's typed request, the accepted credentials, no caching. */
function registerEnforced<S extends FastifySchema, T>(
  app: FastifyInstance,
  route: { method: HTTPMethods; url: string; action: string; schema?: S; credentials?: readonly Credential['kind'][]; status?: number; writes?: boolean },
  tracing: Tracing | undefined,
  run: (req: SchemaRequest<S>, authentication: ReturnType<typeof authenticationOf>) => Promise<T>,
  shape?: (reply: FastifyReply, result: T) => unknown,
): void {
  const schema: FastifySchema | undefined = route.schema;
  app.route({
    method: route.method,
    url: route.url,
    schema,
    config: { access: { kind: 'enforced', action: route.action } },
    // A GET that writes (a download claimed once) answers no HEAD: a link checker's or download
    // manager's HEAD would spend it, with no byte sent, and account it as downloaded (R-AUDIT-1).
    ...(route.writes ? { exposeHeadRoute: false } : {}),
    handler: async (request, reply) => {
      // The one place a request meets its schema's type: Fastify has validated it against
      // route.schema before this runs, so its params, query and body have that schema's types.
      const req = request as SchemaRequest<S>;
      const authentication = authenticationOf(req);
      if (route.credentials && !route.credentials.includes(authentication.authenticated.credential.kind)) throw new WardError('FORBIDDEN');
      const result = tracing?.isEnabled ? await tracing.within(req.wardSpan ?? undefined, () => run(req, authentication)) : await run(req, authentication);
      // PHI is never cached by browsers or proxies (R-DATA-4).
      reply.header('cache-control', 'no-store');
      if (route.status) reply.status(route.status);
      return shape ? shape(reply, result) : result;
    },
  });
}

export function enforcedRoute<T, S extends FastifySchema = FastifySchema>(app: FastifyInstance, deps: EnforcementDeps, route: EnforcedRoute<T, S>): void {
  registerEnforced<S, T>(app, route, deps.tracing, async (req, { authenticated: who, settle }) => {
    await route.before?.(req, who);
    return deps.guard.run({
      authenticated: who,
      settle,
      action: route.action,
      purpose: header(req, 'ward-purpose'),
      justification: header(req, 'ward-justification'),
      sourceIp: req.ip,
      target: route.target?.(req),
      // Methods, and Object.assign rather than `{ ...ctx, who }`: per request, neither pays for a name
      // defined on a new closure (tsx keeps names) nor for a literal that opens with a spread (R-OPS-1).
      load(tx) {
        return route.load(tx, req, who);
      },
      handle(tx, ctx) {
        return route.handle(tx, Object.assign({}, ctx, { who }), req);
      },
      auditMetadata: route.auditMetadata,
      decidePerScope: route.decidePerScope,
      rateLimited: route.rateLimited,
      // R-AUDIT-2: a GET only reads (unless it says it writes), so its record may be group-committed
      // (guard.ts: its transaction is then read-only after authentication; a handler that writes fails closed).
      isRead: route.method === 'GET' && !route.writes,
    });
  }, route.reply);
}

/**
 * A route through the two-phase guard (modules/access/two-phase.ts): decided and its intent audited
 * in one transaction, the slow work done outside, the outcome recorded in a second. The purpose and
 * justification come from the route (`purposeOf`, `justificationOf`: a body may carry them), else
 * from the headers as for `enforcedRoute`.
 */
export interface EnforcedTwoPhaseRoute<I, W, T, S extends FastifySchema = FastifySchema> {
  method: HTTPMethods;
  url: string;
  action: string;
  credentials?: readonly Credential['kind'][];
  schema?: S;
  target?(req: SchemaRequest<S>): { type: string; id: string } | undefined;
  purposeOf?(req: SchemaRequest<S>): string | null;
  justificationOf?(req: SchemaRequest<S>): string | null;
  load(tx: Tx, req: SchemaRequest<S>, who: Authenticated): Promise<ResourceRef | null>;
  prepare(tx: Tx, ctx: { resource: ResourceRef; decision: Decision; who: Authenticated }, req: SchemaRequest<S>): Promise<I>;
  work(input: I, ctx: { resource: ResourceRef; decision: Decision; intentId: string; who: Authenticated }, req: SchemaRequest<S>): Promise<W>;
  record(tx: Tx, result: W, ctx: { resource: ResourceRef; decision: Decision; intentId: string; who: Authenticated }, req: SchemaRequest<S>): Promise<T>;
  auditMetadata?(result: T): Record<string, string | number | boolean | null>;
  status?: number;
}

export function enforcedTwoPhaseRoute<I, W, T, S extends FastifySchema = FastifySchema>(app: FastifyInstance, deps: EnforcementDeps, route: EnforcedTwoPhaseRoute<I, W, T, S>): void {
  registerEnforced<S, T>(app, route, deps.tracing, (req, { authenticated: who, settle }) =>
    deps.guard.runTwoPhase<I, W, T>({
      authenticated: who,
      settle,
      action: route.action,
      purpose: route.purposeOf ? route.purposeOf(req) : header(req, 'ward-purpose'),
      justification: route.justificationOf ? route.justificationOf(req) : header(req, 'ward-justification'),
      sourceIp: req.ip,
      target: route.target?.(req),
      load: (tx) => route.load(tx, req, who),
      prepare: (tx, ctx) => route.prepare(tx, { ...ctx, who }, req),
      work: (input, ctx) => route.work(input, { ...ctx, who }, req),
      record: (tx, result, ctx) => route.record(tx, result, { ...ctx, who }, req),
      auditMetadata: route.auditMetadata,
    }),
  );
}
