import { Firestore } from '@google-cloud/firestore';
import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { IdempotentConsumer, PubSubModule } from '@convene/pubsub';
import type { NotificationsConfig } from './notifications.config';
import { FirestoreNotificationsRepository } from './notifications/firestore-notifications.repository';
import { NotificationsMessagesController } from './notifications/notifications.messages.controller';
import { NotificationsRepository } from './notifications/notifications.repository';
import { NotificationsService } from './notifications/notifications.service';

@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig) {
    return {
      module: NotificationsAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'notifications' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'notifications',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
          maxDeliveryAttempts: config.PUBSUB_MAX_DELIVERY_ATTEMPTS,
        }),
      ],
      controllers: [NotificationsMessagesController],
      providers: [
        NotificationsService,
        { provide: NotificationsRepository, useClass: FirestoreNotificationsRepository },
        {
          provide: IdempotentConsumer,
          useFactory: (firestore: Firestore) => new IdempotentConsumer(firestore, { service: 'notifications' }),
          inject: [Firestore],
        },
      ],
    };
  }
}
