import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/**
 * R-OPS-1: an OpenAPI 3 description of the API, generated from the routes' own schemas (the same
 * schemas that validate requests and list the only fields a response may carry). Register before
 * the routes it describes; served at GET /openapi.json.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ward',
        version: '0.1.0',
        description:
          'Zero Trust access and PHI governance for AI voice contact centers. Every route but the public ones runs through one enforcement point: ' +
          'session cookie and device proof (DPoP header), row-level security, a Cedar decision, audit. Errors: {"error":{"code","message"}} (docs/errors.md). ' +
          'The purpose of use travels in Ward-Purpose, the justification in Ward-Justification.',
      },
    },
    transform: ({ schema, url, route }) => {
      const access = (route.config as { access?: { kind: string; action?: string } } | undefined)?.access;
      const described = { ...(schema ?? {}) } as Record<string, unknown>;
      if (access?.kind === 'enforced') described.description = `Cedar action \`${access.action}\` (enforced).`;
      else if (access?.kind === 'self') described.description = 'Authenticated; the caller\'s own identity only.';
      return { schema: described, url };
    },
  });
}

export function openApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } as never }, async () => app.swagger());
}
