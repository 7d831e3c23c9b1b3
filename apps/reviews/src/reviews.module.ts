import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, type ClientGrpc } from '@nestjs/microservices';
import { Clock, ObservabilityModule } from '@convene/common';
import { EventsGrpc, grpcClientOptions } from '@convene/contracts';
import { FirestoreModule } from '@convene/firestore';
import { OutboxModule, PubSubModule } from '@convene/pubsub';
import { AttendanceMessagesController } from './attendance/attendance.messages.controller';
import { AttendanceStore } from './attendance/attendance.store';
import { EVENTS_SERVICE, EventLookup, EventLookupSettings, GrpcEventLookup } from './events/event-lookup';
import type { ReviewsConfig } from './reviews.config';
import { ReviewsGrpcController } from './reviews/reviews.grpc.controller';
import { ReviewsMessagesController } from './reviews/reviews.messages.controller';
import { ReviewsService } from './reviews/reviews.service';
import { ReviewsStore } from './reviews/reviews.store';

const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');

/** Verified-attendee reviews: the gRPC API, the attendance projection, and erasure. */
@Module({})
export class ReviewsAppModule {
  static forRoot(config: ReviewsConfig): DynamicModule {
    return {
      module: ReviewsAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'reviews' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'reviews',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
        }),
        OutboxModule.forRoot({ service: 'reviews', pollIntervalMs: config.OUTBOX_POLL_MS }),
        ClientsModule.register([{ name: EVENTS_CLIENT, ...grpcClientOptions(EventsGrpc, config.EVENTS_GRPC_URL) }]),
      ],
      controllers: [ReviewsGrpcController, ReviewsMessagesController, AttendanceMessagesController],
      providers: [
        Clock,
        ReviewsStore,
        ReviewsService,
        AttendanceStore,
        { provide: EventLookupSettings, useValue: { deadlineMs: config.GRPC_DEADLINE_MS } },
        {
          provide: EVENTS_SERVICE,
          useFactory: (c: ClientGrpc) => c.getService(EventsGrpc.service),
          inject: [EVENTS_CLIENT],
        },
        { provide: EventLookup, useClass: GrpcEventLookup },
      ],
    };
  }
}
