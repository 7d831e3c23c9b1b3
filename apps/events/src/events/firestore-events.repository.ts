import { FieldPath, Firestore, type DocumentData, type Query, type Timestamp } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import { Outbox } from '@convene/pubsub';
import type { Event } from './event';
import { EventsRepository, type EventChange } from './events.repository';
import {
  listQueryShape,
  ownEventsQueryShape,
  searchTokensOf,
  type EventPosition,
  type ListEventsFilter,
} from './list-events.query';

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

  async listPublic(filter: ListEventsFilter): Promise<{ items: Event[]; hasMore: boolean }> {
    const snapshot = await buildListQuery(this.firestore.collection(COLLECTION), filter).get();
    const items = snapshot.docs.slice(0, filter.limit).map((doc) => fromDocument(doc.id, doc.data()));
    return { items, hasMore: snapshot.size > filter.limit };
  }

  async listByOrganizer(
    organizerId: string,
    page: { limit: number; after?: EventPosition },
  ): Promise<{ items: Event[]; hasMore: boolean }> {
    const shape = ownEventsQueryShape();
    let query = this.firestore.collection(COLLECTION).where(shape.equalities[0], '==', organizerId);
    query = query.orderBy(shape.orderedBy).orderBy(FieldPath.documentId());
    if (page.after) query = query.startAfter(toTimestamp(page.after.startsAt), page.after.id);
    const snapshot = await query.limit(page.limit + 1).get();
    const items = snapshot.docs.slice(0, page.limit).map((doc) => fromDocument(doc.id, doc.data()));
    return { items, hasMore: snapshot.size > page.limit };
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

  async setHasSeats(id: string, hasSeats: boolean, basis: { capacity: number }): Promise<void> {
    const ref = this.firestore.collection(COLLECTION).doc(id);
    await this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (snapshot.get('status') !== 'published' || snapshot.get('capacity') !== basis.capacity) return;
      tx.update(ref, { hasSeats });
    });
  }
}

function toDocument(event: Event): DocumentData {
  const { id: _id, startsAt, endsAt, createdAt, updatedAt, publishedAt, cancelledAt, ...rest } = event;
  return {
    ...rest,
    // Query support only: the words a listing search matches (see list-events.query.ts).
    searchTokens: searchTokensOf(event.title, event.tags),
    cancelledAt: cancelledAt ? toTimestamp(cancelledAt) : null,
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
    cancelledAt: fromTimestamp(data.cancelledAt as Timestamp | null),
    cancellationReason: data.cancellationReason ?? undefined,
    // Absent on events stored before capacity changes and staff existed.
    capacityVersion: data.capacityVersion ?? 0,
    staffIds: data.staffIds ?? [],
    hasSeats: data.hasSeats ?? true,
  };
}

/** Values of the shape's equality fields for a listing: the public, published events. */
function equalityValue(field: string, filter: ListEventsFilter): unknown {
  switch (field) {
    case 'status':
      return 'published';
    case 'visibility':
      return 'public';
    case 'category':
      return filter.category;
    case 'organizerId':
      return filter.organizerId;
    case 'hasSeats':
      return true;
    default:
      throw new Error(`no value for listing field ${field}`);
  }
}

/** Builds the listing query from its shape, so the query and the index test cannot disagree. */
export function buildListQuery(events: Query, filter: ListEventsFilter): Query {
  const shape = listQueryShape(filter);
  let query = events;
  for (const field of shape.equalities) query = query.where(field, '==', equalityValue(field, filter));
  if (shape.arrayContains) query = query.where(shape.arrayContains, 'array-contains', filter.q);
  if (filter.from) query = query.where(shape.orderedBy, '>=', toTimestamp(filter.from));
  if (filter.to) query = query.where(shape.orderedBy, '<=', toTimestamp(filter.to));
  query = query.orderBy(shape.orderedBy).orderBy(FieldPath.documentId());
  if (filter.after) query = query.startAfter(toTimestamp(filter.after.startsAt), filter.after.id);
  return query.limit(filter.limit + 1);
}
