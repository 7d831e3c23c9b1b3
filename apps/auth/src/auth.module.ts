import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@convene/common';
import { FirestoreModule } from '@convene/firestore';
import { PubSubModule } from '@convene/pubsub';
import type { AuthConfig } from './auth.config';

/**
 * The auth service's platform layer: config, logs, metrics, health, Firestore and Pub/Sub.
 * Its domain API arrives with issue #3 (accounts and tokens).
 */
@Module({})
export class AuthAppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'auth' }),
        FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
        PubSubModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          service: 'auth',
          emulatorHost: config.PUBSUB_EMULATOR_HOST,
        }),
      ],
    };
  }
}
