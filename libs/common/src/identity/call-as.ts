import type { Metadata } from '@grpc/grpc-js';
import { lastValueFrom, type Observable } from 'rxjs';
import { domainErrorFromGrpc } from '../errors/domain-error-from-grpc';
import { grpcMetadataWithCorrelation } from '../logging/grpc-correlation-metadata';
import { writeIdentity, type Identity } from './identity';

/**
 * Calls another Convene service on behalf of `identity` (absent: anonymously): carries the identity
 * and the correlation id in the metadata, sets the deadline, and turns a failure into the DomainError
 * the callee raised (code and details intact), so it reaches the public API unchanged.
 */
export async function callAs<T>(
  identity: Identity | undefined,
  deadlineMs: number,
  invoke: (metadata: Metadata, options: { deadline: Date }) => Observable<T>,
  clientIp?: string,
): Promise<T> {
  const metadata = grpcMetadataWithCorrelation();
  writeIdentity(metadata, identity, clientIp);
  try {
    return await lastValueFrom(invoke(metadata, { deadline: new Date(Date.now() + deadlineMs) }));
  } catch (error) {
    throw domainErrorFromGrpc(error);
  }
}
