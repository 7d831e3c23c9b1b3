import { Module } from '@nestjs/common';
import { Metrics } from '@convene/common';
import { FirestoreIdempotencyStore } from './firestore-idempotency.store';
import { IdempotencyStore } from './idempotency.store';
import { IdempotentRequests } from './idempotent-requests';

/**
 * What `@Idempotent()` routes need: import this module in the module that declares their controllers
 * (it needs FirestoreModule and ObservabilityModule, both global).
 */
@Module({
  providers: [
    { provide: IdempotencyStore, useClass: FirestoreIdempotencyStore },
    {
      provide: IdempotentRequests,
      inject: [IdempotencyStore, Metrics],
      useFactory: (store: IdempotencyStore, metrics: Metrics) => new IdempotentRequests(store, metrics),
    },
  ],
  exports: [IdempotentRequests],
})
export class IdempotencyModule {}
