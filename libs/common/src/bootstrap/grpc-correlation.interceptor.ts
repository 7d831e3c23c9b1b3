import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { GrpcMetadataKeys } from '@convene/contracts';
import { Observable } from 'rxjs';
import { CorrelationContext } from '../logging/correlation-context';
import { acceptOrCreateCorrelationId } from '../logging/correlation-id';

/**
 * Runs each gRPC handler inside CorrelationContext with the caller's `x-correlation-id` (the gateway
 * forwards the HTTP request's), so a request's logs line up across services.
 */
@Injectable()
export class GrpcCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const metadata: unknown = context.switchToRpc().getContext();
    const candidate = metadata instanceof Metadata ? metadata.get(GrpcMetadataKeys.correlationId) : undefined;
    const correlationId = acceptOrCreateCorrelationId(candidate);
    // Subscribing inside run() puts the handler's whole async chain into the context.
    return new Observable((subscriber) =>
      CorrelationContext.run(correlationId, () => next.handle().subscribe(subscriber)),
    );
  }
}
