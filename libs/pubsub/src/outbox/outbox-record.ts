import type { Timestamp } from '@google-cloud/firestore';
import type { Envelope } from '@convene/contracts';

export type OutboxStatus = 'pending' | 'sent';

/** One message waiting to be (or already) published; document `outbox/{service}/messages/{eventId}`. */
export interface OutboxRecord extends Envelope {
  /** The message's JSON, exactly as it will be published. */
  readonly data: string;
  readonly status: OutboxStatus;
  /** Failed publish attempts so far. */
  readonly attempts: number;
  readonly createdAt: Timestamp;
  /** When a relay may next take it: due now, after a backoff, or after another relay's lease runs out. */
  readonly nextAttemptAt: Timestamp;
  readonly sentAt?: Timestamp;
  readonly lastError?: string;
}

export function envelopeOf(record: OutboxRecord): Envelope {
  return {
    eventId: record.eventId,
    eventType: record.eventType,
    schemaVersion: record.schemaVersion,
    occurredAt: record.occurredAt,
    correlationId: record.correlationId,
    source: record.source,
  };
}
