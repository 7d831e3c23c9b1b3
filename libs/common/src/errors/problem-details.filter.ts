import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CorrelationContext } from '../logging/correlation-context';
import { CORRELATION_ID_HEADER } from '../logging/correlation-id';
import { DomainError } from './domain-error';
import { classifyHttpError } from './http-error-code';
import { PROBLEM_JSON, type ProblemDetails, toProblemDetails } from './problem-details';

/**
 * The HTTP error boundary: every error becomes application/problem+json. Client errors say what is
 * wrong; anything unexpected is a 500 with an errorId to quote, logged with its stack, its message
 * never sent (it may reveal internals).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Errors raised while Fastify parses the body run outside the request's async context:
    // the request id is the correlation id (see createHttpApp's genReqId).
    const correlationId = CorrelationContext.currentId() ?? request.id;
    const problem = CorrelationContext.run(correlationId, () => this.toProblem(exception, request));
    problem.correlationId = correlationId;

    if (reply.sent) return; // The response already started (e.g. a stream failed): nothing to fix.
    void reply.headers(challengeHeaders(exception, problem));
    void reply
      .status(problem.status)
      .header(CORRELATION_ID_HEADER, correlationId)
      .header('content-type', PROBLEM_JSON)
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    const instance = pathOf(request);
    if (exception instanceof DomainError && exception.code !== 'INTERNAL') {
      return toProblemDetails(exception, instance);
    }
    const routeMatched = request.routeOptions?.url !== undefined;
    const clientError = exception instanceof DomainError ? undefined : classifyHttpError(exception, routeMatched);
    if (clientError) {
      return toProblemDetails(new DomainError(clientError.code, clientError.detail), instance);
    }
    const errorId = randomUUID();
    const stack = exception instanceof Error ? exception.stack : String(exception);
    this.logger.error({ message: `Unhandled error ${errorId} on ${request.method} ${instance}`, errorId }, stack);
    return {
      ...toProblemDetails(new DomainError('INTERNAL', `An unexpected error occurred (error id ${errorId})`), instance),
      errorId,
    };
  }
}

// RFC 6750 §3.1 error codes; anything else a detail might carry is not echoed into a header.
const BEARER_ERRORS: ReadonlySet<unknown> = new Set(['invalid_request', 'invalid_token', 'insufficient_scope']);

/**
 * Headers that tell the client what to do next, taken from the error's details:
 * - every 401 carries `WWW-Authenticate: Bearer` (RFC 9110 requires a challenge), plus
 *   `error="…"` when `details.bearerError` says a presented token was refused. That detail is for
 *   the header only and is removed from the body.
 * - `details.retryAfterSeconds` (429, 503) becomes `Retry-After`, and stays in the body.
 */
function challengeHeaders(exception: unknown, problem: ProblemDetails): Record<string, string> {
  const headers: Record<string, string> = {};
  const details = exception instanceof DomainError ? exception.details : {};
  const { bearerError } = problem;
  delete problem.bearerError;
  if (problem.status === 401) {
    headers['www-authenticate'] = BEARER_ERRORS.has(bearerError) ? `Bearer error="${String(bearerError)}"` : 'Bearer';
  }
  const retryAfter = details.retryAfterSeconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
    headers['retry-after'] = String(Math.ceil(retryAfter));
  }
  return headers;
}

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
