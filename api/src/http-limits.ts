import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { HttpLimits } from './config/config.js';

/** How often Node looks for requests past their time (its default, 30 s, would let a 10 s limit run to 40 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large'],
};

/**
 * Answers a request Node could not parse (or that did not arrive in time) in the API's shape, with
 * `Connection: close`: the rest of what came on that connection cannot be trusted to start a new
 * request, and a client told nothing would send its next one on a connection about to close.
 * Ending rather than destroying the socket lets the answer arrive before the connection goes.
 */
function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP'];
  this.log.debug({ err: error }, 'malformed request');
  const body = JSON.stringify({ message });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  // A client that never closes its side does not keep the connection.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Fastify's settings for the limits: nothing waits for a slow or broken client forever. */
export function httpServerOptions(limits: HttpLimits): Partial<FastifyHttpOptions<Server>> {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
    clientErrorHandler: answerClientError,
  };
}

/** What Fastify has no option for. */
export function applyConnectionCap(app: FastifyInstance, limits: HttpLimits): void {
  if (limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;
}
