import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from './deps.ts';
import { registerErrorHandler } from './http/errors.ts';
import { healthRoutes } from './http/routes/health.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
  action: string | undefined;
}

/** Builds the HTTP app from its dependencies, without listening (tests use inject()). */
export async function buildApp(deps: Deps): Promise<FastifyInstance & { wardRoutes: RegisteredRoute[] }> {
  const app: FastifyInstance = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, trustProxy: false });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const action = (route.config as { action?: string } | undefined)?.action;
    for (const method of methods) routes.push({ method, url: route.url, action });
  });
  registerErrorHandler(app);
  healthRoutes(app, deps);
  await app.ready();
  return Object.assign(app, { wardRoutes: routes });
}
