import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { type Observable, tap } from 'rxjs';
import { grpcStatusName, grpcStatusOf } from './grpc-status-of';
import { Metrics } from './metrics';

// Where @GrpcMethod stores `{ service, rpc }` on the handler.
const PATTERN_METADATA = 'microservices:pattern';

interface GrpcPattern {
  service?: string;
  rpc?: string;
}

/** Times each gRPC call a service handles, labelled by gRPC service, method and status code. */
@Injectable()
export class GrpcMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: Metrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const { service, method } = grpcNamesOf(context);
    const stopTimer = this.metrics.grpcRequestDuration.startTimer({ service, method });
    return next.handle().pipe(
      tap({
        complete: () => stopTimer({ code: grpcStatusName(GrpcStatus.OK) }),
        error: (error: unknown) => stopTimer({ code: grpcStatusName(grpcStatusOf(error)) }),
      }),
    );
  }
}

function grpcNamesOf(context: ExecutionContext): { service: string; method: string } {
  const handler = context.getHandler();
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, handler);
  const pattern = (Array.isArray(patterns) ? patterns[0] : patterns) as GrpcPattern | undefined;
  return {
    service: pattern?.service ?? context.getClass().name,
    method: pattern?.rpc ?? handler.name,
  };
}
