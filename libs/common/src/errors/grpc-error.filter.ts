import { type ArgumentsHost, Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServerErrorResponse } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { type Observable, throwError } from 'rxjs';
import { DomainError } from './domain-error';
import { ErrorCodes } from './error-codes';
import { encodeErrorMetadata } from './grpc-error-metadata';

/**
 * The gRPC error boundary of a service. Nest's ServerGrpc hands the error this observable emits to
 * grpc-js's callback as is, and grpc-js sends `code`, `details` and `metadata` (as trailers): so the
 * domain code reaches the gateway both as a gRPC status and, exactly, in metadata.
 */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(GrpcErrorFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError && exception.code !== 'INTERNAL') {
      return throwError(() => toGrpcError(exception));
    }
    const errorId = randomUUID();
    const stack = exception instanceof Error ? exception.stack : String(exception);
    this.logger.error({ message: `Unhandled error ${errorId} in gRPC call`, errorId }, stack);
    const internal = new DomainError('INTERNAL', `An unexpected error occurred (error id ${errorId})`, { errorId });
    return throwError(() => toGrpcError(internal));
  }
}

export function toGrpcError(
  error: DomainError,
): Partial<ServerErrorResponse> & { code: GrpcStatus; metadata: Metadata } {
  return {
    name: 'DomainError',
    code: ErrorCodes[error.code].grpc,
    message: error.message,
    details: error.message,
    metadata: encodeErrorMetadata(error),
  };
}
