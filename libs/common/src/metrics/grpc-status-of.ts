import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError } from '../errors/domain-error';
import { ErrorCodes } from '../errors/error-codes';

/** The gRPC status a failed handler will answer with (before GrpcErrorFilter has mapped it). */
export function grpcStatusOf(error: unknown): GrpcStatus {
  if (error instanceof DomainError) return ErrorCodes[error.code].grpc;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'number' && GrpcStatus[code] !== undefined) return code as GrpcStatus;
  return GrpcStatus.INTERNAL;
}

/** "OK", "NOT_FOUND", ...: the conventional label value for gRPC codes. */
export function grpcStatusName(code: GrpcStatus): string {
  return GrpcStatus[code] ?? 'UNKNOWN';
}
