import type { Metadata } from '@grpc/grpc-js';
import { catchError, throwError, type Observable } from 'rxjs';
import { domainErrorFromGrpc, grpcMetadataWithCorrelation, writeIdentity } from '@convene/common';
import type { Caller } from '../grpc/grpc-caller';

/**
 * A server-streaming gRPC call made for `caller`, with the metadata GrpcCaller.call sends (correlation
 * id, verified identity, client address) but no deadline, since the stream lives as long as its HTTP
 * client, and without lastValueFrom: every message is passed on. A failure arrives as the DomainError
 * GrpcCaller would throw. Unsubscribing cancels the call.
 */
export function openGrpcStream<T>(caller: Caller, invoke: (metadata: Metadata) => Observable<T>): Observable<T> {
  const metadata = grpcMetadataWithCorrelation();
  writeIdentity(metadata, caller.identity, caller.clientIp);
  return invoke(metadata).pipe(catchError((error: unknown) => throwError(() => domainErrorFromGrpc(error))));
}
