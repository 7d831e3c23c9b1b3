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
  /**
   * Set when sent: a Firestore TTL policy on `expiresAt` (collection group `messages`) deletes the
   * record after OUTBOX_RETENTION_MS. Kept that long for tracing a message back to its change.
   */
  readonly expiresAt?: Timestamp;
  readonly lastError?: string;
}

/** How long a sent record is kept (7 days: Pub/Sub's own longest retention). */
export const OUTBOX_RETENTION_MS = 7 * 86_400_000;

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
