import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock, DomainError, type Identity } from '@convene/common';
import { createFirestore } from '@convene/firestore';
import { Outbox, outboxCollection } from '@convene/pubsub';
import type { AttendanceFact } from '../../../apps/reviews/src/attendance/attendance';
import { AttendanceStore } from '../../../apps/reviews/src/attendance/attendance.store';
import { EventLookup, type EventFacts } from '../../../apps/reviews/src/events/event-lookup';
import { ReviewsService } from '../../../apps/reviews/src/reviews/reviews.service';
import { ReviewsStore } from '../../../apps/reviews/src/reviews/reviews.store';

/**
 * What events would say of the test's events. Reviews asks the events service over gRPC in
 * production; these tests exercise reviews' own storage and rules on the real emulator, so the
 * event's description comes from here (it is input, not storage).
 */
export class EventsOfTest extends EventLookup {
  readonly events = new Map<string, EventFacts>();

  add(overrides: Partial<EventFacts> = {}): EventFacts {
    const event: EventFacts = {
      id: randomUUID(),
      organizerId: randomUUID(),
      status: 'published',
      // Started an hour ago unless said otherwise.
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      ...overrides,
    };
    this.events.set(event.id, event);
    return event;
  }

  async get(eventId: string): Promise<EventFacts> {
    const event = this.events.get(eventId);
    if (!event) throw new DomainError('EVENT_NOT_FOUND', `event ${eventId} does not exist`);
    return event;
  }
}

/** A reviews service on its own project of the shared emulator (projects isolate data). */
export function reviewsOnEmulator() {
  const db: Firestore = createFirestore({
    projectId: `reviews-${randomUUID().slice(0, 8)}`,
    emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
  });
  const events = new EventsOfTest();
  const attendance = new AttendanceStore(db);
  const store = new ReviewsStore(db, new Outbox(db, { service: 'reviews' }));
  const service = new ReviewsService(store, attendance, events, new Clock());
  return { db, events, attendance, store, service };
}

export type ReviewsKit = ReturnType<typeof reviewsOnEmulator>;

export function person(name = 'Ada Lovelace'): Identity {
  return { userId: randomUUID(), roles: ['attendee'], displayName: name };
}

export function organizerOf(event: EventFacts): Identity {
  return { userId: event.organizerId, roles: ['organizer'] };
}

export const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };

/** Registrations' messages as the attendance projection receives them. */
export function confirmed(
  event: EventFacts,
  who: Identity,
  registrationId = randomUUID(),
  version = 1,
): AttendanceFact {
  return { eventId: event.id, userId: who.userId, registrationId, version, status: 'confirmed' };
}

export function checkedIn(
  event: EventFacts,
  who: Identity,
  registrationId = randomUUID(),
  version = 2,
): AttendanceFact {
  return { ...confirmed(event, who, registrationId, version), checkedIn: true };
}

/** Someone who checked in at `event`. */
export async function attendee(kit: ReviewsKit, event: EventFacts, name?: string): Promise<Identity> {
  const who = person(name);
  await kit.attendance.apply(checkedIn(event, who));
  return who;
}

/** The reviews service's outbox messages of one type, oldest first. */
export async function outboxMessages(
  db: Firestore,
  eventType?: string,
): Promise<Array<Record<string, unknown> & { eventType: string }>> {
  const query = eventType
    ? outboxCollection(db, 'reviews').where('eventType', '==', eventType)
    : outboxCollection(db, 'reviews');
  const records = await query.get();
  return records.docs
    .map((doc) => ({
      eventType: doc.get('eventType') as string,
      createdAt: doc.get('createdAt'),
      data: doc.get('data') as string,
    }))
    .sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis())
    .map((record) => ({ eventType: record.eventType, ...(JSON.parse(record.data) as Record<string, unknown>) }));
}

export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a rejection');
}
