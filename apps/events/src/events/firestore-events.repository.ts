import { Firestore, type DocumentData, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { Outbox } from '@convene/pubsub';
import type { Event } from './event';
import { EventsRepository, type EventChange } from './events.repository';

const COLLECTION = 'events';

@Injectable()
export class FirestoreEventsRepository extends EventsRepository {
  constructor(
    private readonly firestore: Firestore,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  async create(event: Event): Promise<void> {
    await this.firestore.collection(COLLECTION).doc(event.id).create(toDocument(event));
  }

  async findById(id: string): Promise<Event | undefined> {
    const snapshot = await this.firestore.collection(COLLECTION).doc(id).get();
    return snapshot.exists ? fromDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  async update(id: string, change: (current: Event) => EventChange): Promise<Event | undefined> {
    const ref = this.firestore.collection(COLLECTION).doc(id);
    let enqueued = 0;
    const updated = await this.firestore.runTransaction(async (tx) => {
      enqueued = 0;
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return undefined;
      const { event, messages } = change(fromDocument(snapshot.id, snapshot.data()!));
      tx.set(ref, toDocument(event));
      for (const message of messages) this.outbox.enqueue(tx, message);
      enqueued = messages.length;
      return event;
    });
    if (enqueued > 0) this.outbox.kick(); // publish now rather than at the relay's next poll
    return updated;
  }
}

function toDocument(event: Event): DocumentData {
  const { id: _id, startsAt, endsAt, createdAt, updatedAt, publishedAt, ...rest } = event;
  return {
    ...rest,
    startsAt: toTimestamp(startsAt),
    endsAt: toTimestamp(endsAt),
    createdAt: toTimestamp(createdAt),
    updatedAt: toTimestamp(updatedAt),
    publishedAt: publishedAt ? toTimestamp(publishedAt) : null,
  };
}

function fromDocument(id: string, data: DocumentData): Event {
  return {
    id,
    organizerId: data.organizerId,
    status: data.status,
    title: data.title,
    description: data.description,
    startsAt: fromTimestamp(data.startsAt as Timestamp),
    endsAt: fromTimestamp(data.endsAt as Timestamp),
    timezone: data.timezone,
    venue: data.venue ?? undefined,
    onlineUrl: data.onlineUrl ?? undefined,
    category: data.category,
    tags: data.tags ?? [],
    capacity: data.capacity,
    waitlistEnabled: data.waitlistEnabled,
    visibility: data.visibility,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
    updatedAt: fromTimestamp(data.updatedAt as Timestamp),
    publishedAt: fromTimestamp(data.publishedAt as Timestamp | null),
  };
}
