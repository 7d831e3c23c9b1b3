import { type DocumentReference, FieldPath, FieldValue, type Firestore, Timestamp } from '@google-cloud/firestore';
import type { LoggerService } from '@nestjs/common';
import type { SubscriptionSpec } from '@convene/contracts';
import { outboxCollection } from './outbox-collection';

/**
 * `outboxReplays/{id}`: a request that every service send the messages of `topic` it sent since
 * `since` again. Filed by whoever had to create a subscription that should have existed (Pub/Sub forgot
 * it: an emulator restart, or an operator deleted it): the messages it held, and any published before
 * it existed again, are lost to its consumer. The outboxes still have them (kept OUTBOX_RETENTION_MS),
 * and consumers dedupe on the eventId, so sending them again costs duplicates that change nothing.
 * (A brand-new subscription files one too: its consumer then sees the last minutes of its topic.)
 */
export const OUTBOX_REPLAYS_COLLECTION = 'outboxReplays';

/** The replay query: an outbox's records of one type sent since a time. Composite index (eventType, sentAt). */
export const OUTBOX_REPLAY_QUERY = { collection: 'messages', equality: 'eventType', range: 'sentAt' } as const;

/** Requests older than this are not looked at any more (a TTL policy on `expiresAt` deletes them). */
const REQUEST_HORIZON_MS = 86_400_000;

export interface ReplayRequest {
  readonly topic: string;
  readonly since: Timestamp;
  /** The subscription that had to be created. */
  readonly requestedBy: string;
  readonly requestedAt: Timestamp;
  readonly expiresAt: Timestamp;
  /** service → when that service's relay took the request (one replica per service does). */
  readonly handledBy?: Record<string, Timestamp>;
  /** service → how many of its records it sent again for the request's topic. */
  readonly replayed?: Record<string, number>;
}

/**
 * How far back a replay goes when a subscription had to be created: the messages it held were
 * published before Pub/Sub forgot it, by as much as its consumer lagged behind.
 */
export const REPLAY_LOOKBACK_MS = 5 * 60_000;

/** The request a missing subscription calls for (PubSubTopology's onSubscriptionCreated). */
export async function replayAfterSubscriptionCreated(firestore: Firestore, spec: SubscriptionSpec): Promise<void> {
  const now = Date.now();
  await firestore.collection(OUTBOX_REPLAYS_COLLECTION).add({
    topic: spec.topic,
    since: Timestamp.fromMillis(now - REPLAY_LOOKBACK_MS),
    requestedBy: spec.name,
    requestedAt: Timestamp.fromMillis(now),
    expiresAt: Timestamp.fromMillis(now + REQUEST_HORIZON_MS),
  });
}

/**
 * One service's side of replay requests: takes the requests it has not handled yet (a transaction per
 * request, so one replica of the service does each) and puts its records of the topic sent since then
 * back to pending, where its relay publishes them again.
 */
export class OutboxReplays {
  constructor(
    private readonly firestore: Firestore,
    private readonly service: string,
    private readonly logger: LoggerService,
  ) {}

  /** Returns how many records were put back to pending. */
  async handleRequests(): Promise<number> {
    const recent = await this.firestore
      .collection(OUTBOX_REPLAYS_COLLECTION)
      .where('requestedAt', '>=', Timestamp.fromMillis(Date.now() - REQUEST_HORIZON_MS))
      .get();
    const open = recent.docs.filter((doc) => !(doc.data() as ReplayRequest).handledBy?.[this.service]);
    const taken = new Map<string, { since: Timestamp; requests: DocumentReference[] }>(); // by topic
    for (const doc of open) {
      if (!(await this.take(doc.ref))) continue;
      const request = doc.data() as ReplayRequest;
      const topic = taken.get(request.topic) ?? { since: request.since, requests: [] };
      if (request.since.toMillis() < topic.since.toMillis()) topic.since = request.since;
      topic.requests.push(doc.ref);
      taken.set(request.topic, topic);
    }
    let replayed = 0;
    for (const [topic, { since, requests }] of taken) {
      let count: number;
      try {
        count = await this.replay(topic, since);
      } catch (error) {
        // Not done: give the requests back, so the next look takes them again.
        const handled = new FieldPath('handledBy', this.service);
        await Promise.all(requests.map((ref) => ref.update(handled, FieldValue.delete()).catch(() => undefined)));
        throw error;
      }
      replayed += count;
      const field = new FieldPath('replayed', this.service);
      await Promise.all(requests.map((ref) => ref.update(field, count)));
    }
    return replayed;
  }

  private take(ref: DocumentReference): Promise<boolean> {
    const handled = new FieldPath('handledBy', this.service);
    return this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists || snapshot.get(handled) !== undefined) return false;
      tx.update(ref, handled, FieldValue.serverTimestamp());
      return true;
    });
  }

  private async replay(topic: string, since: Timestamp): Promise<number> {
    const shape = OUTBOX_REPLAY_QUERY;
    const sent = await outboxCollection(this.firestore, this.service)
      .where(shape.equality, '==', topic)
      .where(shape.range, '>=', since)
      .select()
      .get();
    if (sent.empty) return 0;
    const writer = this.firestore.bulkWriter();
    const now = Timestamp.now();
    for (const doc of sent.docs) {
      // As a record not sent yet: due now, and no expiry until it is sent again.
      writer.update(doc.ref, { status: 'pending', nextAttemptAt: now, expiresAt: FieldValue.delete() });
    }
    await writer.close();
    this.logger.warn(
      `outbox ${this.service}: sending ${sent.size} ${topic} message(s) again, sent since ${since.toDate().toISOString()}, because a subscription of the topic was lost`,
    );
    return sent.size;
  }
}
