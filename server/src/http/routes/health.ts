import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

const NO_TENANT = { tenantId: '00000000-0000-0000-0000-000000000000', phiScopes: [], actorId: 'system:healthz', actorKind: 'system' } as const;

const HealthBody = Type.Object(
  {
    status: Type.Literal('ok'),
    database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
    migrations: Type.Integer(),
  },
  { additionalProperties: false },
);
const LiveBody = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });

/**
 * Probes, all public and free of tenant data (R-OPS-1):
 * - GET /livez: the process serves HTTP (restart it when this fails);
 * - GET /readyz: it can serve requests: the database answers as the application role (take it out
 *   of the load balancer when this fails; it fails too while a shutdown drains);
 * - GET /healthz: /readyz with the engine and migration count, for people.
 */
export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  const publicRoute = { access: { kind: 'public' } } as const;
  const ready = async () => {
    await deps.db.scoped(NO_TENANT, (tx) => tx.query('SELECT 1'));
    return { status: 'ok' as const, database: deps.db.engine, migrations: deps.migrations };
  };
  app.get('/livez', { config: publicRoute, schema: { summary: 'Liveness: the process serves HTTP', tags: ['health'], response: { 200: LiveBody } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { config: publicRoute, schema: { summary: 'Readiness: the database answers as the application role', tags: ['health'], response: { 200: HealthBody } } }, ready);
  app.get('/healthz', { config: publicRoute, schema: { summary: 'Health: readiness with the engine and migration count', tags: ['health'], response: { 200: HealthBody } } }, ready);
}
