import { ERROR_CODES, isWardError, PROBLEM_JSON, problemType, type ErrorCode, type ProblemDetails } from '@ward/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeError } from '../logging.ts';
import { isScimPath, SCIM_MEDIA_TYPE, SCIM_SCHEMA } from '../modules/provisioning/index.ts';

/** RFC 7644 §3.12: the `scimType` of Ward's SCIM error codes; other codes carry none. */
const SCIM_TYPES: Partial<Record<ErrorCode, string>> = {
  SCIM_INVALID_FILTER: 'invalidFilter', SCIM_INVALID_VALUE: 'invalidValue', SCIM_INVALID_SYNTAX: 'invalidSyntax', SCIM_INVALID_PATH: 'invalidPath',
  SCIM_NO_TARGET: 'noTarget', SCIM_MUTABILITY: 'mutability', SCIM_UNIQUENESS: 'uniqueness', BAD_REQUEST: 'invalidSyntax',
};

/**
 * On /scim/v2 an error is a SCIM error message (RFC 7644 §3.12), which IdPs read: the status as a
 * string, the `scimType` when one applies, and the code's public text as `detail`.
 */
function sendScim(reply: FastifyReply, code: ErrorCode, status: number, message?: string): FastifyReply {
  const scimType = SCIM_TYPES[code];
  return reply.status(status).type(SCIM_MEDIA_TYPE).send(JSON.stringify({
    schemas: [SCIM_SCHEMA.error], status: String(status), ...(scimType ? { scimType } : {}), detail: message ?? ERROR_CODES[code].message,
  }));
}

/**
 * One error shape out: RFC 9457 problem details (`application/problem+json`) with the stable
 * `code`. The client sees the code and the public message of 4xx errors; 5xx errors say only
 * INTERNAL. Details stay in the log (a WardError's `detail`, the error's name and code), never its
 * message chain (a database error can quote a value, R-DATA-4). Protocols with their own error
 * format (SCIM, OAuth, MCP) answer in that format from their own routes.
 */
export function problem(req: FastifyRequest, code: ErrorCode, status: number, message?: string): ProblemDetails {
  const title = ERROR_CODES[code].message;
  return {
    type: problemType(code),
    title,
    status,
    code,
    ...(message !== undefined && message !== title ? { detail: message } : {}),
    requestId: req.id,
  };
}

function send(reply: FastifyReply, body: ProblemDetails): FastifyReply {
  if (isScimPath(reply.request.url)) return sendScim(reply, body.code as ErrorCode, body.status, body.detail ?? body.title);
  return reply.status(body.status).type(PROBLEM_JSON).send(body);
}

/**
 * Fastify's own refusals before routing (a URL that does not decode, a path parameter longer than
 * the router keeps): as problem details like every other error. Fastify's default body quotes the
 * path, which is input echoed back (R-DATA-4: an identifier in a URL must not come back in an error).
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', req.id);
  void send(reply, problem(req, 'BAD_REQUEST', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400));
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isWardError(err)) {
      const isServerError = err.status >= 500;
      // WardError.detail goes to the log, never to the client (a destroyed key's tenant id, a path).
      if (isServerError || err.detail !== undefined) {
        req.log[isServerError ? 'error' : 'info']({ err: safeError(err), detail: err.detail, reasons: err.reasons.length > 0 ? err.reasons : undefined }, 'request failed');
      }
      // R-OPS-1: "not now" is said as such (503 with Retry-After), with its title only; any other 5xx is
      // INTERNAL. AUDIT_UNAVAILABLE (R-AUDIT-3) is a "not now" of the audit trail's own.
      const exposed = !isServerError || err.code === 'SERVICE_UNAVAILABLE' || err.code === 'AUDIT_UNAVAILABLE';
      if (exposed) for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
      return send(reply, !exposed ? problem(req, 'INTERNAL', err.status) : problem(req, err.code, err.status, isServerError ? undefined : err.message));
    }
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return send(reply, problem(req, 'BAD_REQUEST', err.statusCode && err.statusCode !== 500 ? err.statusCode : 400));
    }
    req.log.error({ err: safeError(err) }, 'request failed');
    return send(reply, problem(req, 'INTERNAL', 500));
  });
  app.setNotFoundHandler((req, reply) => send(reply, problem(req, 'NOT_FOUND', 404)));
}
