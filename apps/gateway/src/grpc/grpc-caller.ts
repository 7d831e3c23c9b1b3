import { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { CorrelationContext, domainErrorFromGrpc } from '@convene/common';
import { GrpcMetadataKeys } from '@convene/contracts';
import { GatewayConfig } from '../gateway.config';

/**
 * Every gRPC call the gateway makes goes through here: it carries the correlation id, sets the
 * deadline, and maps a failure to a DomainError (so the HTTP filter answers problem+json) in one place.
 */
@Injectable()
export class GrpcCaller {
  constructor(@Inject(GatewayConfig) private readonly config: GatewayConfig) {}

  async call<T>(invoke: (metadata: Metadata, options: { deadline: Date }) => Observable<T>): Promise<T> {
    const metadata = new Metadata();
    const correlationId = CorrelationContext.currentId();
    if (correlationId) metadata.set(GrpcMetadataKeys.correlationId, correlationId);
    try {
      return await lastValueFrom(invoke(metadata, { deadline: new Date(Date.now() + this.config.GRPC_DEADLINE_MS) }));
    } catch (error) {
      throw domainErrorFromGrpc(error);
    }
  }
}
