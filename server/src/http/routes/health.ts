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

/** GET /healthz: public; answers only when the database answers, as the application role. */
export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', { config: { access: { kind: 'public' } }, schema: { response: { 200: HealthBody } } }, async () => {
    await deps.db.scoped(NO_TENANT, (tx) => tx.query('SELECT 1'));
    return { status: 'ok' as const, database: deps.db.engine, migrations: deps.migrations };
  });
}
