import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError } from './domain-error';
import type { ErrorCode } from './error-codes';
import { decodeErrorMetadata } from './grpc-error-metadata';

// For failures that carry no Convene code: the channel's own errors (unavailable, deadline) or a
// service outside Convene's filter.
const CODE_BY_STATUS: Partial<Record<GrpcStatus, ErrorCode>> = {
  [GrpcStatus.UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'UPSTREAM_TIMEOUT',
  [GrpcStatus.INVALID_ARGUMENT]: 'VALIDATION_FAILED',
  [GrpcStatus.NOT_FOUND]: 'NOT_FOUND',
  [GrpcStatus.PERMISSION_DENIED]: 'FORBIDDEN',
  [GrpcStatus.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [GrpcStatus.ALREADY_EXISTS]: 'CONFLICT',
  [GrpcStatus.RESOURCE_EXHAUSTED]: 'RATE_LIMITED',
};

// Texts for codes recovered from a bare status: the upstream's own message may reveal internals.
const GENERIC_DETAIL: Partial<Record<ErrorCode, string>> = {
  SERVICE_UNAVAILABLE: 'A backing service is unavailable, try again later',
  UPSTREAM_TIMEOUT: 'A backing service did not answer in time',
  INTERNAL: 'An unexpected error occurred in a backing service',
};

interface GrpcFailure {
  code?: unknown;
  details?: unknown;
  metadata?: unknown;
}

/** The one place the gateway turns a failed gRPC call into the DomainError it answers with. */
export function domainErrorFromGrpc(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as GrpcFailure;
  const details = typeof failure.details === 'string' ? failure.details : '';

  const decoded = decodeErrorMetadata(failure.metadata);
  if (decoded) return new DomainError(decoded.code, details || decoded.code, decoded.details);

  const status = typeof failure.code === 'number' ? (failure.code as GrpcStatus) : GrpcStatus.UNKNOWN;
  const code = CODE_BY_STATUS[status] ?? 'INTERNAL';
  return new DomainError(code, GENERIC_DETAIL[code] ?? (details || code));
}
