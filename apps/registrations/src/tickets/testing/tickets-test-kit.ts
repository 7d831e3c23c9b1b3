import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock, DomainError, type Identity } from '@convene/common';
import { Outbox } from '@convene/pubsub';
import { EventDirectory, type EventInfo } from '../../events/event-info';
import { COLLECTIONS, type Registration } from '../../registrations/registration';
import { toRegistrationDocument } from '../../registrations/registration-document';
import { AttendeesService } from '../attendees.service';
import { CheckInCodes } from '../check-in-codes';
import { CheckInsService } from '../check-ins.service';
import { TicketKeys } from '../ticket-keys';
import { TicketsService } from '../tickets.service';

/**
 * What events would answer, from a fixed table: an event-info source for tests, with events' own
 * visibility rule (a draft exists for its organizer and admins only).
 */
export class StaticEventDirectory extends EventDirectory {
  private readonly events = new Map<string, EventInfo>();

  add(event: EventInfo): EventInfo {
    this.events.set(event.id, event);
    return event;
  }

  async get(eventId: string, viewer: Identity | undefined): Promise<EventInfo> {
    return this.getFresh(eventId, viewer);
  }

  async getFresh(eventId: string, viewer: Identity | undefined): Promise<EventInfo> {
    const event = this.events.get(eventId);
    const visible =
      event &&
      (event.status !== 'draft' ||
        (viewer !== undefined && (viewer.userId === event.organizerId || viewer.roles.includes('admin'))));
    if (!visible) throw new DomainError('EVENT_NOT_FOUND', `event ${eventId} not found`);
    return event;
  }
}

/** The tickets providers on a real Firestore, as the registrations module wires them. */
export function ticketsOnFirestore(db: Firestore, clock: Clock = new Clock()) {
  const directory = new StaticEventDirectory();
  const relay = { kicks: 0, kick: () => void relay.kicks++ };
  const outbox = new Outbox(db, { service: 'registrations', relay });
  const keys = new TicketKeys(db, clock);
  const codes = new CheckInCodes(db);
  return {
    directory,
    relay,
    keys,
    codes,
    tickets: new TicketsService(db, keys, directory, codes, clock),
    checkIns: new CheckInsService(db, outbox, keys, codes, directory, clock),
    attendees: new AttendeesService(db, directory),
  };
}

export function anEvent(overrides: Partial<EventInfo> = {}): EventInfo {
  return {
    id: randomUUID(),
    organizerId: `organizer-${randomUUID()}`,
    staffIds: [`staff-${randomUUID()}`],
    status: 'published',
    title: 'Door test',
    startsAt: '2031-05-01T17:00:00.000Z',
    endsAt: '2031-05-01T20:00:00.000Z',
    waitlistEnabled: true,
    capacity: 100,
    capacityVersion: 1,
    ...overrides,
  };
}

export function aRegistration(event: EventInfo, overrides: Partial<Registration> = {}): Registration {
  return {
    id: randomUUID(),
    eventId: event.id,
    userId: `user-${randomUUID()}`,
    holderName: 'Ada Lovelace',
    status: 'confirmed',
    version: 1,
    createdAt: '2031-01-01T10:00:00.000Z',
    updatedAt: '2031-01-01T10:00:00.000Z',
    confirmedAt: '2031-01-01T10:00:00.000Z',
    shard: 0,
    eventTitle: event.title,
    eventStartsAt: event.startsAt,
    eventEndsAt: event.endsAt,
    ...overrides,
  };
}

/** Writes registrations as the registrations service stores them (500 per batch, Firestore's maximum). */
export async function seedRegistrations(db: Firestore, ...registrations: Registration[]): Promise<void> {
  for (let start = 0; start < registrations.length; start += 500) {
    const batch = db.batch();
    for (const registration of registrations.slice(start, start + 500)) {
      batch.set(db.collection(COLLECTIONS.registrations).doc(registration.id), toRegistrationDocument(registration));
    }
    await batch.commit();
  }
}

export const organizerOf = (event: EventInfo): Identity => ({
  userId: event.organizerId,
  roles: ['attendee', 'organizer'],
});
export const staffOf = (event: EventInfo): Identity => ({ userId: event.staffIds[0]!, roles: ['attendee'] });
export const holderOf = (registration: Registration): Identity => ({
  userId: registration.userId,
  roles: ['attendee'],
});
export const ADMIN: Identity = { userId: 'admin-1', roles: ['attendee', 'admin'] };

/** The DomainError a call rejects with (anything else fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
