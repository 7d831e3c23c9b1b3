import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { PROBLEM_JSON, toProblemDetails } from '../errors/problem-details';
import { CORRELATION_ID_HEADER } from '../logging/correlation-id';

/**
 * Requests Fastify refuses before any route or Nest layer sees them, answered as problem+json like
 * every other error (found by the resilience fuzzing, issue 10): a path that is not valid
 * percent-encoding (400), a path parameter longer than Fastify's limit (414). The detail never
 * echoes the path: it is the client's own bytes.
 */
export function answerFrameworkError(
  error: Error & { statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem =
    error.statusCode === 414
      ? new DomainError('URI_TOO_LONG', 'A part of the request path is longer than any id this API uses')
      : new DomainError('MALFORMED_REQUEST', 'The request path is not valid percent-encoded UTF-8');
  void reply
    .code(error.statusCode === 414 ? 414 : 400)
    .header('content-type', PROBLEM_JSON)
    // No hook ran: the correlation id (Fastify's request id) is echoed here.
    .header(CORRELATION_ID_HEADER, request.id)
    .header('x-content-type-options', 'nosniff')
    .send({ ...toProblemDetails(problem), correlationId: request.id });
}

/**
 * Requests Node's HTTP parser refuses (headers or URL over its limits: 431; anything unparsable: 400)
 * never become a request at all: the answer is written to the socket, which then closes.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const problem = tooLarge
    ? new DomainError('HEADERS_TOO_LARGE', 'The request line or headers are larger than this server accepts')
    : new DomainError('MALFORMED_REQUEST', 'The request is not valid HTTP/1.1');
  const body = JSON.stringify(toProblemDetails(problem));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: ${PROBLEM_JSON}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
  );
}
