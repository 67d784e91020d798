import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One access line per request at level info, written as the answer goes out: the request (method,
 * URL, client), its status and its time. Fastify also writes a line as each request arrives; here
 * that one is at debug (`LOG_LEVEL=debug` shows the requests still running), because at info a
 * second line per request costs about a tenth of a small request's time.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
