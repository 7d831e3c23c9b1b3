import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { AuthGrpc, type AuthServiceClient, type JwkMessage } from '@convene/contracts';
import { GATEWAY_ITSELF, GrpcCaller } from '../grpc/grpc-caller';
import { AUTH_CLIENT } from '../grpc/grpc-clients.module';
import { JwksSource } from './jwks-cache';

/** The auth service's GetJwks. */
@Injectable()
export class GrpcJwksSource extends JwksSource implements OnModuleInit {
  private auth!: AuthServiceClient;

  constructor(
    @Inject(AUTH_CLIENT) private readonly client: ClientGrpc,
    private readonly grpc: GrpcCaller,
  ) {
    super();
  }

  onModuleInit(): void {
    this.auth = this.client.getService<AuthServiceClient>(AuthGrpc.service);
  }

  async fetch(): Promise<readonly JwkMessage[]> {
    const jwks = await this.grpc.call(GATEWAY_ITSELF, (metadata, options) => this.auth.getJwks({}, metadata, options));
    return jwks.keys ?? [];
  }
}
