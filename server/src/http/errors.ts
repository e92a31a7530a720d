import { ERROR_CODES, isWardError, type ErrorBody } from '@ward/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import { safeError } from '../logging.ts';

/**
 * One error shape out: `{error: {code, message}}`. The client sees a stable code and the public
 * message of 4xx errors; 5xx errors say only INTERNAL. Details stay in the log, without messages
 * (a database error can quote a value).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isWardError(err)) {
      if (err.status >= 500) req.log.error({ err: safeError(err) }, 'request failed');
      else for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
      const body: ErrorBody = { error: { code: err.status >= 500 ? 'INTERNAL' : err.code, message: err.status >= 500 ? ERROR_CODES.INTERNAL.message : err.message } };
      return reply.status(err.status).send(body);
    }
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      const body: ErrorBody = { error: { code: 'BAD_REQUEST', message: ERROR_CODES.BAD_REQUEST.message } };
      return reply.status(err.statusCode && err.statusCode !== 500 ? err.statusCode : 400).send(body);
    }
    req.log.error({ err: safeError(err) }, 'request failed');
    const body: ErrorBody = { error: { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message } };
    return reply.status(500).send(body);
  });
  app.setNotFoundHandler((_req, reply) => {
    const body: ErrorBody = { error: { code: 'NOT_FOUND', message: ERROR_CODES.NOT_FOUND.message } };
    return reply.status(404).send(body);
  });
}
