import { Firestore } from '@google-cloud/firestore';
import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry } from '@convene/common';
import { createFirestore, type FirestoreOptions } from './firestore.provider';
import { FirestoreReadiness } from './firestore.readiness';

const FIRESTORE_OPTIONS = Symbol('FIRESTORE_OPTIONS');

/**
 * Provides the process's Firestore client under the `Firestore` class token, registers its readiness
 * check, and closes it on shutdown. Repositories inject `Firestore` and nothing else of this module.
 */
@Global()
@Module({})
export class FirestoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(Firestore) private readonly firestore: Firestore,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: FirestoreOptions): DynamicModule {
    return {
      module: FirestoreModule,
      providers: [
        { provide: FIRESTORE_OPTIONS, useValue: options },
        {
          provide: Firestore,
          useFactory: (opts: FirestoreOptions) => createFirestore(opts),
          inject: [FIRESTORE_OPTIONS],
        },
      ],
      exports: [Firestore],
    };
  }

  onModuleInit(): void {
    this.health.register(new FirestoreReadiness(this.firestore));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.firestore.terminate();
  }
}
