import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { PubSubModule } from '@convene/pubsub';
import type { ReviewsConfig } from './reviews.config';

/**
 * The reviews service's platform layer: config, logs, metrics, health, Firestore and Pub/Sub.
 * Its domain API arrives with issue #6 (verified-attendee reviews).
 */
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
      ],
    };
  }
}
