import { Inject, Injectable } from '@nestjs/common';
import { type AuthServiceClient, type JwkMessage } from '@convene/contracts';
import { GATEWAY_ITSELF, GrpcCaller } from '../grpc/grpc-caller';
import { AUTH_SERVICE } from '../grpc/grpc-clients.module';
import { JwksSource } from './jwks-cache';

/** The auth service's GetJwks. */
@Injectable()
export class GrpcJwksSource extends JwksSource {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly grpc: GrpcCaller,
  ) {
    super();
  }

  async fetch(): Promise<readonly JwkMessage[]> {
    const jwks = await this.grpc.call(GATEWAY_ITSELF, (metadata, options) => this.auth.getJwks({}, metadata, options));
    return jwks.keys ?? [];
  }
}
