import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, type ClientGrpc } from '@nestjs/microservices';
import { Clock, ObservabilityModule } from '@convene/common';
import { AuthGrpc, EventsGrpc, grpcClientOptions } from '@convene/contracts';
import { FirestoreModule } from '@convene/firestore';
import { OutboxModule, PubSubModule } from '@convene/pubsub';
import {
  AccountDirectory,
  AccountDirectorySettings,
  AUTH_SERVICE,
  GrpcAccountDirectory,
} from './accounts/account-directory';
import { EventDirectory } from './events/event-info';
import { EventDirectorySettings, EVENTS_SERVICE, GrpcEventDirectory } from './events/grpc-event-directory';
import type { RegistrationsConfig } from './registrations.config';
import { RegistrationsGrpcController } from './registrations/registrations.grpc.controller';
import { RegistrationsMessagesController } from './registrations/registrations.messages.controller';
import { RegistrationsMetrics } from './registrations/registrations.metrics';
import { RegistrationSettings, RegistrationsService } from './registrations/registrations.service';
import { RegistrationsStore } from './registrations/registrations.store';
import { ticketsControllers, ticketsProviders } from './tickets/tickets.wiring';

const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');
const AUTH_CLIENT = Symbol('AUTH_CLIENT');

@Module({})
export class RegistrationsAppModule {
  static forRoot(config: RegistrationsConfig): DynamicModule {
    return {
      module: RegistrationsAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'registrations' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'registrations',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
        }),
        OutboxModule.forRoot({ service: 'registrations', pollIntervalMs: config.OUTBOX_POLL_MS }),
        ClientsModule.register([
          { name: EVENTS_CLIENT, ...grpcClientOptions(EventsGrpc, config.EVENTS_GRPC_URL) },
          { name: AUTH_CLIENT, ...grpcClientOptions(AuthGrpc, config.AUTH_GRPC_URL) },
        ]),
      ],
      controllers: [RegistrationsGrpcController, RegistrationsMessagesController, ...ticketsControllers],
      providers: [
        Clock,
        RegistrationsStore,
        RegistrationsService,
        RegistrationsMetrics,
        { provide: RegistrationSettings, useValue: { maxBatch: config.REGISTRATION_BATCH_MAX } },
        {
          provide: EVENTS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(EventsGrpc.service),
          inject: [EVENTS_CLIENT],
        },
        { provide: AUTH_SERVICE, useFactory: (c: ClientGrpc) => c.getService(AuthGrpc.service), inject: [AUTH_CLIENT] },
        {
          provide: EventDirectorySettings,
          useValue: { cacheMs: config.EVENT_INFO_CACHE_MS, deadlineMs: config.GRPC_DEADLINE_MS },
        },
        { provide: AccountDirectorySettings, useValue: { deadlineMs: config.GRPC_DEADLINE_MS } },
        { provide: EventDirectory, useClass: GrpcEventDirectory },
        { provide: AccountDirectory, useClass: GrpcAccountDirectory },
        ...ticketsProviders,
      ],
    };
  }
}
