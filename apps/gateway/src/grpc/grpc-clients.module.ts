import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { AuthGrpc, EventsGrpc, grpcClientOptions } from '@convene/contracts';
import { GatewayConfig } from '../gateway.config';
import { GrpcCaller } from './grpc-caller';

export const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');
export const AUTH_CLIENT = Symbol('AUTH_CLIENT');

/** gRPC clients of the services behind the gateway. */
@Global()
@Module({})
export class GrpcClientsModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GrpcClientsModule,
      imports: [
        ClientsModule.register([
          { name: EVENTS_CLIENT, ...grpcClientOptions(EventsGrpc, config.EVENTS_GRPC_URL) },
          { name: AUTH_CLIENT, ...grpcClientOptions(AuthGrpc, config.AUTH_GRPC_URL) },
        ]),
      ],
      providers: [GrpcCaller, { provide: GatewayConfig, useValue: config }],
      exports: [ClientsModule, GrpcCaller, GatewayConfig],
    };
  }
}
