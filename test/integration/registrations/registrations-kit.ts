import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock, DomainError, Metrics, type Identity } from '@convene/common';
import { Outbox, outboxCollection } from '@convene/pubsub';
import { AccountDirectory } from '../../../apps/registrations/src/accounts/account-directory';
import { EventDirectory, type EventInfo } from '../../../apps/registrations/src/events/event-info';
import { COLLECTIONS } from '../../../apps/registrations/src/registrations/registration';
import { RegistrationsMetrics } from '../../../apps/registrations/src/registrations/registrations.metrics';
import { RegistrationsService } from '../../../apps/registrations/src/registrations/registrations.service';
import { RegistrationsStore } from '../../../apps/registrations/src/registrations/registrations.store';

/**
 * What events would say of the test's events. Registrations asks the events service over gRPC in
 * production; these tests exercise registrations' own storage and concurrency on the real emulator,
 * so the event's description comes from here (it is input, not storage).
 */
export class EventsOfTest extends EventDirectory {
  readonly events = new Map<string, EventInfo>();

  add(overrides: Partial<EventInfo> = {}): EventInfo {
    const startsAt = new Date(Date.now() + 86_400_000);
    const event: EventInfo = {
      id: randomUUID(),
      organizerId: randomUUID(),
      staffIds: [],
      status: 'published',
      title: 'Flash sale',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      waitlistEnabled: true,
      capacity: 100,
      capacityVersion: 0,
      ...overrides,
    };
    this.events.set(event.id, event);
    return event;
  }

  async get(eventId: string): Promise<EventInfo> {
    return this.getFresh(eventId);
  }

  async getFresh(eventId: string): Promise<EventInfo> {
    const event = this.events.get(eventId);
    if (!event) throw new DomainError('EVENT_NOT_FOUND', `event ${eventId} does not exist`);
    return event;
  }
}

class NamesOfTest extends AccountDirectory {
  async displayName(person: Identity): Promise<string> {
    return `Person ${person.userId.slice(0, 8)}`;
  }
}

/** One registrations "process": its own Firestore client, store, lanes and home shard. */
export function registrationsProcess(db: Firestore, events: EventsOfTest, maxBatch = 100) {
  const clock = new Clock();
  const store = new RegistrationsStore(db, new Outbox(db, { service: 'registrations' }), clock);
  const metrics = new RegistrationsMetrics(new Metrics({ service: 'registrations' }));
  const service = new RegistrationsService(store, events, new NamesOfTest(), clock, metrics, { maxBatch });
  return { service, store };
}

export function attendee(): Identity {
  return { userId: randomUUID(), roles: ['attendee'] };
}

/** What is stored for an event, counted from the documents themselves. */
export async function storedCounts(db: Firestore, eventId: string) {
  const [registrations, shards, waitlist, inventory] = await Promise.all([
    db.collection(COLLECTIONS.registrations).where('eventId', '==', eventId).get(),
    db.collection(COLLECTIONS.inventory).doc(eventId).collection('shards').get(),
    db.collection(COLLECTIONS.waitlist).doc(eventId).collection('entries').get(),
    db.collection(COLLECTIONS.inventory).doc(eventId).get(),
  ]);
  const byStatus = (status: string) => registrations.docs.filter((d) => d.get('status') === status).length;
  return {
    confirmed: byStatus('confirmed'),
    waitlisted: byStatus('waitlisted'),
    cancelled: byStatus('cancelled'),
    seatsTaken: shards.docs.reduce((sum, d) => sum + (d.get('taken') as number), 0),
    shardCapacity: shards.docs.reduce((sum, d) => sum + (d.get('capacity') as number), 0),
    capacity: inventory.get('capacity') as number,
    waitlistEntries: waitlist.size,
  };
}

/** Outbox messages of one type about an event, oldest first. */
export async function outboxMessages(db: Firestore, eventType: string, eventId: string) {
  const records = await outboxCollection(db, 'registrations').where('eventType', '==', eventType).get();
  return records.docs
    .map(
      (d) =>
        JSON.parse(d.data().data) as { eventId: string; registrationId: string; version: number; position?: number },
    )
    .filter((m) => m.eventId === eventId);
}

/** Settles every promise; returns fulfilled values and rejections' error codes. */
export async function settle<T>(promises: Promise<T>[]) {
  const results = await Promise.allSettled(promises);
  const values = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<T>).value);
  const errors = results
    .filter((r) => r.status === 'rejected')
    .map(
      (r) => ((r as PromiseRejectedResult).reason as DomainError).code ?? String((r as PromiseRejectedResult).reason),
    );
  return { values, errors };
}
