import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, type ClientGrpc } from '@nestjs/microservices';
import {
  AuthGrpc,
  EventsGrpc,
  grpcClientOptions,
  NotificationsGrpc,
  RegistrationsGrpc,
  ReviewsGrpc,
} from '@convene/contracts';
import { GatewayConfig } from '../gateway.config';
import { GrpcCaller } from './grpc-caller';

const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');
const AUTH_CLIENT = Symbol('AUTH_CLIENT');
const REGISTRATIONS_CLIENT = Symbol('REGISTRATIONS_CLIENT');
const REVIEWS_CLIENT = Symbol('REVIEWS_CLIENT');
const NOTIFICATIONS_CLIENT = Symbol('NOTIFICATIONS_CLIENT');

/** Injection tokens of the typed service clients: `@Inject(AUTH_SERVICE) auth: AuthServiceClient`. */
export const EVENTS_SERVICE = Symbol('EventsServiceClient');
export const AUTH_SERVICE = Symbol('AuthServiceClient');
export const REGISTRATIONS_SERVICE = Symbol('RegistrationsServiceClient');
export const REVIEWS_SERVICE = Symbol('ReviewsServiceClient');
export const NOTIFICATIONS_SERVICE = Symbol('NotificationsServiceClient');

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
          { name: REGISTRATIONS_CLIENT, ...grpcClientOptions(RegistrationsGrpc, config.REGISTRATIONS_GRPC_URL) },
          { name: REVIEWS_CLIENT, ...grpcClientOptions(ReviewsGrpc, config.REVIEWS_GRPC_URL) },
          { name: NOTIFICATIONS_CLIENT, ...grpcClientOptions(NotificationsGrpc, config.NOTIFICATIONS_GRPC_URL) },
        ]),
      ],
      providers: [
        GrpcCaller,
        { provide: GatewayConfig, useValue: config },
        {
          provide: EVENTS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(EventsGrpc.service),
          inject: [EVENTS_CLIENT],
        },
        { provide: AUTH_SERVICE, useFactory: (c: ClientGrpc) => c.getService(AuthGrpc.service), inject: [AUTH_CLIENT] },
        {
          provide: REGISTRATIONS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(RegistrationsGrpc.service),
          inject: [REGISTRATIONS_CLIENT],
        },
        {
          provide: REVIEWS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(ReviewsGrpc.service),
          inject: [REVIEWS_CLIENT],
        },
        {
          provide: NOTIFICATIONS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(NotificationsGrpc.service),
          inject: [NOTIFICATIONS_CLIENT],
        },
      ],
      exports: [
        GrpcCaller,
        GatewayConfig,
        EVENTS_SERVICE,
        AUTH_SERVICE,
        REGISTRATIONS_SERVICE,
        REVIEWS_SERVICE,
        NOTIFICATIONS_SERVICE,
      ],
    };
  }
}
