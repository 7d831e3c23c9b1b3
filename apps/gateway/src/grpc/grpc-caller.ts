import type { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { callAs, type Identity } from '@convene/common';
import { GatewayConfig } from '../gateway.config';

/**
 * On whose behalf a call is made: the identity the gateway verified from the access token (absent on
 * public routes) and the client's address (login throttling). Built by `@CurrentCaller()` from the
 * request, never from a request field.
 */
export interface Caller {
  readonly identity?: Identity;
  readonly clientIp?: string;
}

/** A call made by the gateway itself (e.g. fetching the JWKS): no user, no client. */
export const GATEWAY_ITSELF: Caller = Object.freeze({});

/**
 * Every gRPC call the gateway makes goes through here: it carries the caller's identity and address
 * and the correlation id, sets the deadline, and maps a failure to a DomainError (so the HTTP filter
 * answers problem+json) in one place.
 */
@Injectable()
export class GrpcCaller {
  constructor(@Inject(GatewayConfig) private readonly config: GatewayConfig) {}

  call<T>(caller: Caller, invoke: (metadata: Metadata, options: { deadline: Date }) => Observable<T>): Promise<T> {
    return callAs(caller.identity, this.config.GRPC_DEADLINE_MS, invoke, caller.clientIp);
  }
}
