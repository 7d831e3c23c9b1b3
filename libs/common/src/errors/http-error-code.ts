import { HttpException } from '@nestjs/common';
import type { ErrorCode } from './error-codes';

// Errors Fastify raises itself, before any Nest handler runs (body parsing, content type).
const FASTIFY_ERROR_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

export interface ClientErrorClassification {
  code: ErrorCode;
  /** Safe to show the client: framework messages, never an unexpected error's text. */
  detail: string;
}

/**
 * Classifies what Nest or Fastify raised for a bad request (not a DomainError). Returns undefined for
 * anything that is not a known client error: the caller answers 500 and logs it.
 * Nest's FastifyAdapter wraps a 4xx FastifyError into an HttpException with the original as `cause`;
 * Fastify's JSON parser raises a SyntaxError carrying statusCode 400 that Nest leaves as it is.
 */
export function classifyHttpError(exception: unknown, routeMatched: boolean): ClientErrorClassification | undefined {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const fastifyCode = codeOf(cause);
  if (fastifyCode !== undefined && FASTIFY_ERROR_CODES[fastifyCode]) {
    return { code: FASTIFY_ERROR_CODES[fastifyCode], detail: (cause as Error).message };
  }
  if (cause instanceof SyntaxError && statusOf(cause) === 400) {
    return { code: 'MALFORMED_REQUEST', detail: `The request body is not valid JSON: ${cause.message}` };
  }
  if (!(exception instanceof HttpException)) return undefined;

  const status = exception.getStatus();
  if (status === 404 && !routeMatched) return { code: 'ROUTE_NOT_FOUND', detail: exception.message };
  const code = STATUS_CODES[status];
  if (code) return { code, detail: exception.message };
  // A 4xx without a code of its own still is the client's fault; a 5xx is ours (answered as 500).
  return status < 500 ? { code: 'MALFORMED_REQUEST', detail: exception.message } : undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
