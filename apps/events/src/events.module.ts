import { Module } from '@nestjs/common';
import { ClientsModule, type ClientGrpc } from '@nestjs/microservices';
import { Clock, ObservabilityModule } from '@convene/common';
import { grpcClientOptions, RegistrationsGrpc, type RegistrationsServiceClient } from '@convene/contracts';
import { FirestoreModule } from '@convene/firestore';
import { OutboxModule, PubSubModule } from '@convene/pubsub';
import type { EventsConfig } from './events.config';
import { EventsGrpcController } from './events/events.grpc.controller';
import { EventsRepository } from './events/events.repository';
import { EventsReadCacheSettings, EventsService } from './events/events.service';
import { FirestoreEventsRepository } from './events/firestore-events.repository';
import { FirestoreRatingProjectionRepository } from './ratings/firestore-rating-projection.repository';
import { RatingProjectionRepository } from './ratings/rating-projection.repository';
import { RatingsMessagesController } from './ratings/ratings.messages.controller';
import { RatingsProjection } from './ratings/ratings-projection.service';
import { FirestoreSeatProjectionRepository } from './seats/firestore-seat-projection.repository';
import { GrpcSeatAuthority } from './seats/grpc-seat-authority';
import { HasSeatsRefresher, HasSeatsRefreshSettings } from './seats/has-seats-refresher';
import { SeatAuthority } from './seats/seat-authority';
import { SeatProjectionRepository } from './seats/seat-projection.repository';
import { SeatsMessagesController } from './seats/seats.messages.controller';
import { SeatsProjection } from './seats/seats-projection.service';

const REGISTRATIONS_CLIENT = Symbol('REGISTRATIONS_CLIENT');

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
        ClientsModule.register([
          { name: REGISTRATIONS_CLIENT, ...grpcClientOptions(RegistrationsGrpc, config.REGISTRATIONS_GRPC_URL) },
        ]),
      ],
      controllers: [EventsGrpcController, SeatsMessagesController, RatingsMessagesController],
      providers: [
        EventsService,
        SeatsProjection,
        HasSeatsRefresher,
        RatingsProjection,
        Clock,
        { provide: EventsRepository, useClass: FirestoreEventsRepository },
        { provide: SeatProjectionRepository, useClass: FirestoreSeatProjectionRepository },
        { provide: RatingProjectionRepository, useClass: FirestoreRatingProjectionRepository },
        { provide: EventsReadCacheSettings, useValue: { ttlMs: config.EVENTS_READ_CACHE_MS } },
        { provide: HasSeatsRefreshSettings, useValue: { delayMs: config.HAS_SEATS_REFRESH_MS } },
        {
          provide: SeatAuthority,
          useFactory: (client: ClientGrpc) =>
            new GrpcSeatAuthority(
              client.getService<RegistrationsServiceClient>(RegistrationsGrpc.service),
              config.GRPC_DEADLINE_MS,
            ),
          inject: [REGISTRATIONS_CLIENT],
        },
      ],
    };
  }
}
