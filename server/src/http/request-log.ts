import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request (R-OPS-1), written when it completes: its id, method, route template and
 * status with the time it took (the `req` and `res` serializers of logging.ts: never a path as asked,
 * a query, a header or a body, R-DATA-4). Fastify's default writes two lines, "incoming request" and
 * "request completed"; at info level under load the first doubled the cost of logging for nothing the
 * second does not say. A request that never completes (the process died) leaves no line; its audit
 * record, metrics and trace still tell of it.
 */
export class OneLinePerRequest extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
