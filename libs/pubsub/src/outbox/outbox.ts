import { type Firestore, Timestamp, type Transaction } from '@google-cloud/firestore';
import { decodeMessage, type Envelope, type ServiceName } from '@convene/contracts';
import { CorrelationContext } from '@convene/common';
import { buildEnvelope } from '../envelope-attributes';
import { messageClassOf } from '../message-class';
import { outboxCollection } from './outbox-collection';
import type { OutboxRecord } from './outbox-record';

export interface OutboxOptions {
  readonly service: ServiceName;
  /** Woken by kick(); the relay also polls, so a missed kick only delays delivery. */
  readonly relay?: { kick(): void };
}

/**
 * Records a message in the caller's Firestore transaction, so it is published if and only if the state
 * change it describes commits. The relay publishes it afterwards, at least once.
 */
export class Outbox {
  constructor(
    private readonly firestore: Firestore,
    private readonly options: OutboxOptions,
  ) {}

  enqueue(tx: Transaction, message: object, envelope?: Partial<Envelope>): OutboxRecord {
    const cls = messageClassOf(message);
    const data = JSON.stringify(message);
    // Refused inside the transaction, so a bad payload rolls back the change instead of dead-lettering later.
    const decoded = decodeMessage(cls.eventType, cls.schemaVersion, data);
    if (!decoded.ok) {
      throw new TypeError(`refusing to enqueue an invalid ${cls.eventType} v${cls.schemaVersion}: ${decoded.reason}`);
    }
    const full = buildEnvelope(
      { eventType: cls.eventType, schemaVersion: cls.schemaVersion, source: this.options.service },
      envelope,
      () => CorrelationContext.currentId(),
    );
    const now = Timestamp.now();
    const record: OutboxRecord = { ...full, data, status: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now };
    // create, not set: a reused eventId is a bug that must fail the transaction, not overwrite a record.
    tx.create(outboxCollection(this.firestore, this.options.service).doc(full.eventId), record);
    return record;
  }

  /** Call after the transaction committed, to publish now rather than at the next poll. */
  kick(): void {
    this.options.relay?.kick();
  }
}
