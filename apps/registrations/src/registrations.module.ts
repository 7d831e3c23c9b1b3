import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { PubSubModule } from '@convene/pubsub';
import type { RegistrationsConfig } from './registrations.config';

/**
 * The registrations service's platform layer: config, logs, metrics, health, Firestore and Pub/Sub.
 * Its domain API arrives with issue #5 (registrations, waitlist, tickets, check-in).
 */
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
      ],
    };
  }
}
