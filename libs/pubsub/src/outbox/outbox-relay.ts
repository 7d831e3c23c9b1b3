import { type DocumentReference, FieldValue, type Firestore, Timestamp } from '@google-cloud/firestore';
import { Logger, type LoggerService } from '@nestjs/common';
import { WorkLoop } from '@convene/common';
import type { ServiceName } from '@convene/contracts';
import { backoffDelay, type BackoffOptions } from '../backoff';
import { errorMessage } from '../error-message';
import type { MessagePublisher } from '../message-publisher';
import { outboxCollection } from './outbox-collection';
import { envelopeOf, OUTBOX_RETENTION_MS, type OutboxRecord } from './outbox-record';
import { OutboxReplays } from './outbox-replays';

export interface OutboxRelayOptions {
  readonly service: ServiceName;
  /** Poll for due records this often when not kicked (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** Records taken per query (default 50). */
  readonly batchSize?: number;
  /** How long a claimed record is hidden from other relays; must exceed a publish's timeout (default 30 s). */
  readonly leaseMs?: number;
  /** Delay before retrying a failed publish (default 500 ms doubling to 10 s). */
  readonly retryBackoff?: BackoffOptions;
  /** How often replay requests (see outbox-replays.ts) are looked for (default 5 s). */
  readonly replayCheckIntervalMs?: number;
  /** `Metrics` from @convene/common fits: the relay reports the pending count after each loop pass. */
  readonly metrics?: { readonly outboxPending: { set(value: number): void } };
  readonly logger?: LoggerService;
}

/** How often the outbox-pending gauge is recomputed, at most (a typical scrape interval). */
const PENDING_GAUGE_INTERVAL_MS = 15_000;

/** Log a record's failures on these attempts only: an outage must not flood the log. */
const shouldLogFailure = (attempts: number): boolean => attempts === 1 || attempts % 10 === 0;

/**
 * Publishes pending outbox records. Each is claimed with a lease (its nextAttemptAt pushed forward in a
 * transaction) so two replicas rarely publish the same record; if one does, or a relay dies between
 * publish and marking sent, consumers dedupe on the eventId. A record is retried forever: giving up
 * would break "every committed event is delivered".
 *
 * Query: status == 'pending' && nextAttemptAt <= now, ordered by nextAttemptAt. Composite index on the
 * `messages` collection: (status ASC, nextAttemptAt ASC).
 */
export class OutboxRelay {
  private readonly logger: LoggerService;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly loop: WorkLoop;
  /** When the pending gauge was last refreshed (ms epoch). */
  private pendingReportedAt = 0;
  private readonly replays: OutboxReplays;
  private readonly replayCheckIntervalMs: number;
  /** When replay requests were last looked for (ms epoch). */
  private replaysCheckedAt = 0;
  /** Serializes drainOnce calls (the loop's and any direct caller's). */
  private draining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly firestore: Firestore,
    private readonly publisher: MessagePublisher,
    private readonly options: OutboxRelayOptions,
  ) {
    this.logger = options.logger ?? new Logger(OutboxRelay.name);
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.retryBackoff = options.retryBackoff ?? { initialMs: 500, maxMs: 10_000 };
    this.replays = new OutboxReplays(firestore, options.service, this.logger);
    this.replayCheckIntervalMs = options.replayCheckIntervalMs ?? 5_000;
    this.loop = new WorkLoop(() => this.runPass(), {
      name: `outbox ${options.service}`,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      logger: this.logger,
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for the pass in progress (its publishes finish or fail normally). */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Runs a pass now (or right after the current one) instead of at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One pass over due records; returns how many were published. Never overlaps another pass. */
  async drainOnce(): Promise<number> {
    return (await this.pass()).published;
  }

  /** The loop's pass: a full batch means more may be due, so it goes again instead of waiting. */
  private async runPass(): Promise<boolean> {
    const replayed = await this.handleReplayRequests();
    const { due } = await this.pass();
    const more = due === this.batchSize || replayed > 0;
    if (!more) await this.reportPending();
    return more;
  }

  /**
   * Claims the due records in one transaction, publishes them concurrently and marks the published ones
   * sent in one batched write: a burst of N messages costs two commits per batch, not two per message.
   */
  private pass(): Promise<{ due: number; published: number }> {
    const pass = this.draining.then(async () => {
      const due = await this.dueRecords();
      if (due.length === 0) return { due: 0, published: 0 };
      let claimed: { ref: DocumentReference<OutboxRecord>; record: OutboxRecord }[];
      try {
        claimed = await this.claim(due);
      } catch (error) {
        this.logger.warn(
          `outbox ${this.options.service}: claiming ${due.length} records failed: ${errorMessage(error)}`,
        );
        return { due: due.length, published: 0 };
      }
      const outcomes = await Promise.all(claimed.map(({ ref, record }) => this.publish(ref, record)));
      const published = claimed.filter((_, i) => outcomes[i]).map(({ ref }) => ref);
      await this.markSent(published);
      return { due: due.length, published: published.length };
    });
    this.draining = pass.catch(() => undefined);
    return pass;
  }

  /** At most every replayCheckIntervalMs: one small query (requests exist only after an incident). */
  private async handleReplayRequests(): Promise<number> {
    const now = Date.now();
    if (now - this.replaysCheckedAt < this.replayCheckIntervalMs) return 0;
    this.replaysCheckedAt = now;
    try {
      return await this.replays.handleRequests();
    } catch (error) {
      this.logger.warn(`outbox ${this.options.service}: handling replay requests failed: ${errorMessage(error)}`);
      return 0;
    }
  }

  /**
   * A count aggregation (one read per 1000 records), only when someone watches the gauge and at most
   * every PENDING_GAUGE_INTERVAL_MS: passes run every poll and after every commit, far more often than
   * Prometheus scrapes.
   */
  private async reportPending(): Promise<void> {
    if (!this.options.metrics) return;
    const now = Date.now();
    if (now - this.pendingReportedAt < PENDING_GAUGE_INTERVAL_MS) return;
    this.pendingReportedAt = now;
    const pending = await outboxCollection(this.firestore, this.options.service)
      .where('status', '==', 'pending')
      .count()
      .get();
    this.options.metrics.outboxPending.set(pending.data().count);
  }

  private async dueRecords(): Promise<DocumentReference<OutboxRecord>[]> {
    const snapshot = await outboxCollection(this.firestore, this.options.service)
      .where('status', '==', 'pending')
      .where('nextAttemptAt', '<=', Timestamp.now())
      .orderBy('nextAttemptAt')
      .limit(this.batchSize)
      .get();
    return snapshot.docs.map((doc) => doc.ref);
  }

  /** Publishes one claimed record; on failure records it for a later retry. True when published. */
  private async publish(ref: DocumentReference<OutboxRecord>, record: OutboxRecord): Promise<boolean> {
    try {
      await this.publisher.publishRaw(record.eventType, record.schemaVersion, record.data, envelopeOf(record));
      return true;
    } catch (error) {
      await this.recordFailure(ref, record, error);
      return false;
    }
  }

  private async markSent(refs: DocumentReference<OutboxRecord>[]): Promise<void> {
    if (refs.length === 0) return;
    const batch = this.firestore.batch();
    const expiresAt = Timestamp.fromMillis(Date.now() + OUTBOX_RETENTION_MS);
    for (const ref of refs) {
      batch.update(ref, {
        status: 'sent',
        sentAt: FieldValue.serverTimestamp(),
        expiresAt,
        lastError: FieldValue.delete(),
      });
    }
    try {
      await batch.commit();
    } catch (error) {
      // Published but not marked: they go out again after the lease, and consumers dedupe them.
      this.logger.warn(`outbox ${this.options.service}: marking ${refs.length} sent failed: ${errorMessage(error)}`);
    }
  }

  /** Takes the records still pending and due, hiding them from other relays for the lease. */
  private claim(
    refs: DocumentReference<OutboxRecord>[],
  ): Promise<{ ref: DocumentReference<OutboxRecord>; record: OutboxRecord }[]> {
    return this.firestore.runTransaction(async (tx) => {
      const snapshots = await tx.getAll(...refs);
      const now = Date.now();
      const claimed = snapshots.flatMap((snapshot) => {
        const record = snapshot.data();
        if (!record || record.status !== 'pending' || record.nextAttemptAt.toMillis() > now) return [];
        return [{ ref: snapshot.ref, record }];
      });
      for (const { ref } of claimed) tx.update(ref, { nextAttemptAt: Timestamp.fromMillis(now + this.leaseMs) });
      return claimed;
    });
  }

  private async recordFailure(
    ref: DocumentReference<OutboxRecord>,
    record: OutboxRecord,
    error: unknown,
  ): Promise<void> {
    const attempts = record.attempts + 1;
    const delay = backoffDelay(attempts, this.retryBackoff);
    if (shouldLogFailure(attempts)) {
      this.logger.warn(
        `outbox ${this.options.service}: publishing ${record.eventType} ${record.eventId} failed ` +
          `(attempt ${attempts}), retrying in ${delay} ms: ${errorMessage(error)}`,
      );
    }
    try {
      await ref.update({
        attempts,
        nextAttemptAt: Timestamp.fromMillis(Date.now() + delay),
        lastError: errorMessage(error),
      });
    } catch (updateError) {
      // The lease still expires, so the record is retried anyway, just later.
      this.logger.warn(
        `outbox ${this.options.service}: recording failure of ${ref.id} failed: ${errorMessage(updateError)}`,
      );
    }
  }
}
