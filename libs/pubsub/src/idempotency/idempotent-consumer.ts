import { retryOnContention } from '@convene/firestore';
import { type Firestore, Timestamp, type Transaction } from '@google-cloud/firestore';
import type { ServiceName } from '@convene/contracts';

export interface IdempotentConsumerOptions {
  readonly service: ServiceName;
  /** Transaction attempts; duplicates processed at once contend on the marker and abort each other. */
  readonly maxTransactionAttempts?: number;
}

export interface RunOnceResult<T> {
  /** false: this (consumer, eventId) had already been applied, and `effect` did not run to commit. */
  readonly applied: boolean;
  readonly result?: T;
}

/**
 * Applies a message's effect at most once per consumer, whatever Pub/Sub redelivers: the effect and a
 * marker `processedMessages/{service}/messages/{consumer}~{eventId}` commit in the same transaction.
 */
export class IdempotentConsumer {
  constructor(
    private readonly firestore: Firestore,
    private readonly options: IdempotentConsumerOptions,
  ) {}

  /**
   * `effect` must do all its reads before its writes, in `tx`, and nothing outside it (it may run more
   * than once when the transaction retries; only one run commits).
   */
  async runOnce<T>(
    consumer: string,
    eventId: string,
    effect: (tx: Transaction) => Promise<T>,
  ): Promise<RunOnceResult<T>> {
    const marker = this.firestore
      .collection('processedMessages')
      .doc(this.options.service)
      .collection('messages')
      .doc(markerId(consumer, eventId));
    const attempt = (): Promise<RunOnceResult<T>> =>
      this.firestore.runTransaction(
        async (tx) => {
          // Read first: Firestore transactions take all reads before any write.
          if ((await tx.get(marker)).exists) return { applied: false };
          const result = await effect(tx);
          tx.create(marker, { consumer, eventId, processedAt: Timestamp.now() });
          return { applied: true, result };
        },
        { maxAttempts: this.options.maxTransactionAttempts ?? 10 },
      );
    return retryOnContention(attempt, MAX_RUNS);
  }
}

const MAX_RUNS = 5;

/** Document ids cannot contain '/'; consumers and eventIds are ours, so a plain replacement is unambiguous enough. */
export function markerId(consumer: string, eventId: string): string {
  return `${consumer}~${eventId}`.replaceAll('/', '_');
}
