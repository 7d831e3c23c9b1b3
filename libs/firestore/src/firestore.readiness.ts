import type { Firestore } from '@google-cloud/firestore';
import type { ReadinessIndicator } from '@convene/common';

/** Ready when a trivial read reaches Firestore within the check's deadline. */
export class FirestoreReadiness implements ReadinessIndicator {
  readonly name = 'firestore';

  constructor(private readonly firestore: Firestore) {}

  async check(): Promise<void> {
    // A read of a document that need not exist: answered by the backend, cheap, no index needed.
    await this.firestore.doc('_health/readiness').get();
  }
}
