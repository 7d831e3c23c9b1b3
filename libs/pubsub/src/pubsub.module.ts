import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { HealthRegistry, Metrics } from '@convene/common';
import { MessagePublisher } from './message-publisher';
import { replayAfterSubscriptionCreated } from './outbox/outbox-replays';
import { createPubSub } from './pubsub-client.factory';
import { PUBSUB_MODULE_OPTIONS, type PubSubModuleOptions } from './pubsub-module-options';
import { PubSubClientProxy } from './pubsub.client';
import { PubSubReadiness } from './pubsub.readiness';
import { PubSubTopology } from './topology';

/**
 * The process's Pub/Sub client, topology and publisher (plus a ClientProxy over it), its readiness
 * check, and their shutdown. The consuming side is the PubSubServer strategy: see createPubSubServer.
 */
@Global()
@Module({})
export class PubSubModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly publisher: MessagePublisher,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  static forRoot(options: PubSubModuleOptions): DynamicModule {
    return {
      module: PubSubModule,
      providers: [
        { provide: PUBSUB_MODULE_OPTIONS, useValue: options },
        { provide: PubSub, useFactory: () => createPubSub(options) },
        {
          provide: PubSubTopology,
          // With the app's Firestore: a subscription found missing asks the outboxes for a replay.
          useFactory: (pubsub: PubSub, firestore?: Firestore) =>
            new PubSubTopology(pubsub, options, {
              onSubscriptionCreated: firestore && ((spec) => replayAfterSubscriptionCreated(firestore, spec)),
            }),
          inject: [PubSub, { token: Firestore, optional: true }],
        },
        {
          provide: MessagePublisher,
          useFactory: (pubsub: PubSub, topology: PubSubTopology, metrics?: Metrics) =>
            new MessagePublisher(pubsub, topology, {
              source: options.service,
              metrics,
              publishTimeoutMs: options.publishTimeoutMs,
            }),
          inject: [PubSub, PubSubTopology, { token: Metrics, optional: true }],
        },
        {
          provide: PubSubClientProxy,
          useFactory: (publisher: MessagePublisher) => new PubSubClientProxy(publisher),
          inject: [MessagePublisher],
        },
      ],
      exports: [PUBSUB_MODULE_OPTIONS, PubSub, PubSubTopology, MessagePublisher, PubSubClientProxy],
    };
  }

  onModuleInit(): void {
    this.health?.register(new PubSubReadiness(this.pubsub));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.pubsub.close();
  }
}
