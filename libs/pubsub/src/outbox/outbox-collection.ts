import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import type { OutboxRecord } from './outbox-record';

/** `outbox/{service}/messages`: one outbox per service, inside the data it owns. */
export function outboxCollection(firestore: Firestore, service: string): CollectionReference<OutboxRecord> {
  return firestore.collection('outbox').doc(service).collection('messages') as CollectionReference<OutboxRecord>;
}
