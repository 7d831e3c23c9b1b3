import { Firestore } from '@google-cloud/firestore';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Metrics } from '@convene/common';
import type { ServiceName } from '@convene/contracts';
import { MessagePublisher } from '../message-publisher';
import { Outbox } from './outbox';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

export interface OutboxModuleOptions {
  readonly service: ServiceName;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  readonly leaseMs?: number;
}

/**
 * Provides `Outbox` for services' transactions and runs the `OutboxRelay` for the application's
 * lifetime. Needs FirestoreModule and PubSubModule (both global) imported by the app.
 */
@Module({})
export class OutboxModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly relay: OutboxRelay) {}

  static forRoot(options: OutboxModuleOptions): DynamicModule {
    const relayOptions: OutboxRelayOptions = { ...options };
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxRelay,
          useFactory: (firestore: Firestore, publisher: MessagePublisher, metrics?: Metrics) =>
            new OutboxRelay(firestore, publisher, { ...relayOptions, metrics }),
          inject: [Firestore, MessagePublisher, { token: Metrics, optional: true }],
        },
        {
          provide: Outbox,
          useFactory: (firestore: Firestore, relay: OutboxRelay) =>
            new Outbox(firestore, { service: options.service, relay }),
          inject: [Firestore, OutboxRelay],
        },
      ],
      exports: [Outbox],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Before shutdown, so the publisher and Firestore client (closed on shutdown) outlive the last pass. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
