import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, lastValueFrom, map, type Observable } from 'rxjs';
import { CorrelationContext, DomainError, ErrorCodes, PROBLEM_JSON, toProblemDetails } from '@convene/common';
import { missingAccessToken } from '../auth/authentication-errors';
import { identityOf } from '../auth/request-identity';
import { IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import type { StoredResponse } from './idempotency.store';
import { IdempotentRequests, type IdempotentOutcome } from './idempotent-requests';

// The content types Fastify sends for JSON (it adds the charset), so idempotent routes answer like every other.
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const PROBLEM_CONTENT_TYPE = `${PROBLEM_JSON}; charset=utf-8`;

/**
 * Makes a route honour `Idempotency-Key` (apply it with `@Idempotent()`). Runs after the guard, so the
 * verified identity scopes the key, and before the pipes, so the fingerprint is of the body as sent.
 *
 * The first response is serialized here and sent from the same string that is stored, as a web
 * `Response` (Nest sends its status and headers as they are), so a replay is the same bytes. The
 * handler must return JSON (or nothing); a `Location` it sets on the reply is kept.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly requests: IdempotentRequests,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (key === undefined) return next.handle();
    const identity = identityOf(request);
    // Keys are per user: a route without one would let anybody replay anybody's response.
    if (!identity) throw missingAccessToken();

    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    const idempotent = {
      userId: identity.userId,
      key,
      fingerprint: requestFingerprint(request.method, request.url, request.body),
    };
    return defer(() =>
      this.requests.execute(idempotent, () =>
        runHandler(next, request, http.getResponse<FastifyReply>(), successStatus),
      ),
    ).pipe(map(toWebResponse));
  }
}

/** The handler's final response, or a throw when a retry should run it again. */
async function runHandler(
  next: CallHandler,
  request: FastifyRequest,
  reply: FastifyReply,
  successStatus: number,
): Promise<StoredResponse> {
  try {
    const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    const body = result === undefined ? '' : JSON.stringify(result);
    const location = reply.getHeader('location');
    return {
      statusCode: successStatus,
      body,
      ...(body === '' ? {} : { contentType: JSON_CONTENT_TYPE }),
      ...(typeof location === 'string' ? { location } : {}),
    };
  } catch (error) {
    if (error instanceof DomainError && isFinalClientError(error)) return problemResponse(error, request);
    throw error;
  }
}

/**
 * A refusal of the operation (not found, forbidden, conflict, not allowed now) is the request's answer
 * and is replayed. Not so a 400 (nothing was done: the client may fix the request and reuse the key),
 * a 401 (a fresh token may pass), a 429 or anything else that says "retry after", nor a 5xx: those
 * release the key so the client's retry runs again.
 */
function isFinalClientError(error: DomainError): boolean {
  const status = ErrorCodes[error.code].status;
  const retryable = status === 401 || status === 429 || error.details.retryAfterSeconds !== undefined;
  return status > 400 && status < 500 && !retryable;
}

/** The body ProblemDetailsFilter would send for this error (it adds no header for these statuses). */
function problemResponse(error: DomainError, request: FastifyRequest): StoredResponse {
  const problem = {
    ...toProblemDetails(error, pathOf(request)),
    correlationId: CorrelationContext.currentId() ?? request.id,
  };
  return { statusCode: problem.status, contentType: PROBLEM_CONTENT_TYPE, body: JSON.stringify(problem) };
}

function toWebResponse({ response, replayed }: IdempotentOutcome): Response {
  const headers = new Headers({ 'content-length': String(Buffer.byteLength(response.body)) });
  if (response.contentType) headers.set('content-type', response.contentType);
  if (response.location) headers.set('location', response.location);
  if (replayed) headers.set(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return new Response(response.body === '' ? null : response.body, { status: response.statusCode, headers });
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}
