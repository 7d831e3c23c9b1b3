import { Module } from '@nestjs/common';
import { Clock, ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { OutboxModule, PubSubModule } from '@convene/pubsub';
import type { EventsConfig } from './events.config';
import { EventsGrpcController } from './events/events.grpc.controller';
import { EventsRepository } from './events/events.repository';
import { EventsReadCacheSettings, EventsService } from './events/events.service';
import { FirestoreEventsRepository } from './events/firestore-events.repository';

@Module({})
export class EventsAppModule {
  static forRoot(config: EventsConfig) {
    return {
      module: EventsAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'events' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'events',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
        }),
        OutboxModule.forRoot({ service: 'events', pollIntervalMs: config.OUTBOX_POLL_MS }),
      ],
      controllers: [EventsGrpcController],
      providers: [
        EventsService,
        Clock,
        { provide: EventsRepository, useClass: FirestoreEventsRepository },
        { provide: EventsReadCacheSettings, useValue: { ttlMs: config.EVENTS_READ_CACHE_MS } },
      ],
    };
  }
}
