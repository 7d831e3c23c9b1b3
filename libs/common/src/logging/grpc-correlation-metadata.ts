import { Metadata } from '@grpc/grpc-js';
import { GrpcMetadataKeys } from '@convene/contracts';
import { CorrelationContext } from './correlation-context';

/** Metadata for an outgoing gRPC call carrying the current correlation id (if any) to the callee. */
export function grpcMetadataWithCorrelation(metadata: Metadata = new Metadata()): Metadata {
  const correlationId = CorrelationContext.currentId();
  if (correlationId !== undefined) metadata.set(GrpcMetadataKeys.correlationId, correlationId);
  return metadata;
}
