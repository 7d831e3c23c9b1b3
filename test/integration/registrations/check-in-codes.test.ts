import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock } from '@convene/common';
import { formatCheckInCode, parseCheckInCode } from '@convene/contracts';
import { createFirestore } from '@convene/firestore';
import { Outbox, outboxCollection } from '@convene/pubsub';
import type { EventInfo } from '../../../apps/registrations/src/events/event-info';
import type { Registration } from '../../../apps/registrations/src/registrations/registration';
import { fromRegistrationDocument } from '../../../apps/registrations/src/registrations/registration-document';
import { RegistrationsStore } from '../../../apps/registrations/src/registrations/registrations.store';
import {
  anEvent,
  aRegistration,
  holderOf,
  organizerOf,
  rejection,
  seedRegistrations,
  staffOf,
  ticketsOnFirestore,
} from '../../../apps/registrations/src/tickets/testing/tickets-test-kit';

jest.setTimeout(60_000);

type Kit = ReturnType<typeof ticketsOnFirestore>;

async function storedRegistration(db: Firestore, id: string): Promise<Registration> {
  const snapshot = await db.collection('registrations').doc(id).get();
  return fromRegistrationDocument(id, snapshot.data()!);
}

async function checkedInMessages(db: Firestore, registrationId: string): Promise<Record<string, unknown>[]> {
  const records = await outboxCollection(db, 'registrations').where('eventType', '==', 'attendee.checked-in').get();
  return records.docs
    .map((doc) => JSON.parse(doc.data().data) as Record<string, unknown>)
    .filter((data) => data.registrationId === registrationId);
}

async function checkInCount(db: Firestore, eventId: string): Promise<number> {
  return (await db.collection('checkins').where('eventId', '==', eventId).count().get()).data().count;
}

/** A code as door staff might type it: lower case, no dash, spaces. */
function typedLoosely(code: string): string {
  const canonical = parseCheckInCode(code)!;
  return ` ${canonical.slice(0, 2)} ${canonical.slice(2).toLowerCase()} `;
}

describe('check-in codes on the Firestore emulator', () => {
  let db: Firestore;
  let kit: Kit;
  let event: EventInfo;

  beforeAll(() => {
    db = createFirestore({
      projectId: `check-in-codes-${randomUUID().slice(0, 8)}`,
      emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
    });
  });
  afterAll(async () => {
    await db.terminate();
  });
  beforeEach(() => {
    kit = ticketsOnFirestore(db);
    event = kit.directory.add(anEvent());
  });

  /** Confirmed registrations made the way the service makes them (one batch transaction). */
  async function registerThroughStore(target: EventInfo, count: number): Promise<Registration[]> {
    const store = new RegistrationsStore(db, new Outbox(db, { service: 'registrations' }), new Clock());
    await store.ensureInventory({ eventId: target.id, capacity: target.capacity, capacityVersion: 1 });
    const outcomes = await store.confirmBatch(
      target.id,
      0,
      Array.from({ length: count }, (_, i) => ({
        userId: `user-${randomUUID()}`,
        holderName: `Person ${i}`,
        eventTitle: target.title,
        eventStartsAt: target.startsAt,
        eventEndsAt: target.endsAt,
      })),
    );
    return outcomes.map((outcome) => {
      if (outcome.kind !== 'confirmed') throw new Error(`expected confirmed, got ${outcome.kind}`);
      return outcome.registration;
    });
  }

  describe('assigning codes', () => {
    it('gives every new registration its own code, stored with it and shown on its ticket as ABCD-EFGH', async () => {
      const registrations = await registerThroughStore(event, 20);

      const codes = registrations.map((r) => r.checkInCode);
      expect(new Set(codes).size).toBe(20);
      for (const registration of registrations) {
        expect(registration.checkInCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
        expect((await storedRegistration(db, registration.id)).checkInCode).toBe(registration.checkInCode);
      }
      const ticket = await kit.tickets.getTicket(registrations[0]!.id, holderOf(registrations[0]!));
      expect(ticket.code).toBe(formatCheckInCode(registrations[0]!.checkInCode!));
      expect(ticket.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    });

    it('gives a registration made before codes one on its first ticket read, the same ever after', async () => {
      const legacy = aRegistration(event);
      await seedRegistrations(db, legacy);
      expect((await db.collection('registrations').doc(legacy.id).get()).get('checkInCode')).toBeNull();

      // Several devices open the ticket at once: one code is assigned, and all of them show it.
      const first = await Promise.all(
        Array.from({ length: 5 }, () => kit.tickets.getTicket(legacy.id, holderOf(legacy))),
      );
      const later = await kit.tickets.getTicket(legacy.id, holderOf(legacy));

      expect(new Set(first.map((t) => t.code)).size).toBe(1);
      expect(later.code).toBe(first[0]!.code);
      const stored = await storedRegistration(db, legacy.id);
      expect(formatCheckInCode(stored.checkInCode!)).toBe(later.code);
      // Not a change anyone else is told of: the version (carried by messages) stays.
      expect(stored.version).toBe(legacy.version);
    });

    it('keeps the code through a promotion and a check-in (it is part of the registration)', async () => {
      const registration = aRegistration(event, {
        status: 'waitlisted',
        confirmedAt: undefined,
        checkInCode: 'K7M2PQ9X',
      });
      await seedRegistrations(db, registration);
      await seedRegistrations(db, { ...registration, status: 'confirmed', confirmedAt: '2031-01-02T00:00:00.000Z' });

      await kit.checkIns.checkIn({ eventId: event.id, code: 'K7M2-PQ9X' }, staffOf(event));

      expect((await storedRegistration(db, registration.id)).checkInCode).toBe('K7M2PQ9X');
      expect((await kit.tickets.getTicket(registration.id, holderOf(registration))).code).toBe('K7M2-PQ9X');
    });
  });

  describe('checking in by code', () => {
    it('checks the holder in by the code on their ticket, typed loosely, as a scan would', async () => {
      const [registration] = await registerThroughStore(event, 1);
      const { code } = await kit.tickets.getTicket(registration!.id, holderOf(registration!));

      const result = await kit.checkIns.checkIn({ eventId: event.id, code: typedLoosely(code) }, staffOf(event));

      expect(result).toEqual({
        registrationId: registration!.id,
        eventId: event.id,
        holderName: 'Person 0',
        checkedInAt: expect.any(String),
        checkedInBy: staffOf(event).userId,
      });
      const stored = await storedRegistration(db, registration!.id);
      expect(stored).toMatchObject({ checkedInAt: result.checkedInAt, checkedInBy: result.checkedInBy, version: 2 });
      expect(await checkedInMessages(db, registration!.id)).toEqual([
        {
          registrationId: registration!.id,
          eventId: event.id,
          userId: registration!.userId,
          version: 2,
          checkedInAt: result.checkedInAt,
        },
      ]);
      expect(kit.relay.kicks).toBe(1);
    });

    it('reads O as 0 and I or L as 1', async () => {
      const registration = aRegistration(event, { checkInCode: '0011AB01' });
      await seedRegistrations(db, registration);

      const result = await kit.checkIns.checkIn({ eventId: event.id, code: 'oOiL-abOI' }, organizerOf(event));

      expect(result.registrationId).toBe(registration.id);
    });

    it('answers a second code ALREADY_CHECKED_IN with the first time; a retry with the same nonce gets the first answer', async () => {
      const registration = aRegistration(event, { checkInCode: 'ABCD2345' });
      await seedRegistrations(db, registration);
      const first = await kit.checkIns.checkIn({ eventId: event.id, code: 'ABCD-2345', nonce: 'n-1' }, staffOf(event));

      const retry = await kit.checkIns.checkIn({ eventId: event.id, code: 'abcd2345', nonce: 'n-1' }, staffOf(event));
      const again = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'ABCD-2345' }, staffOf(event)));
      const { token } = await kit.tickets.getTicket(registration.id, holderOf(registration));
      const scanned = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket: token }, staffOf(event)));

      expect(retry).toEqual(first);
      expect([again.code, again.details]).toEqual(['ALREADY_CHECKED_IN', { checkedInAt: first.checkedInAt }]);
      expect(scanned.code).toBe('ALREADY_CHECKED_IN');
      expect(await checkedInMessages(db, registration.id)).toHaveLength(1);
      expect((await storedRegistration(db, registration.id)).version).toBe(2);
    });

    it("refuses an unknown code (422 'unknown-code'), and writes nothing", async () => {
      await seedRegistrations(db, aRegistration(event, { checkInCode: 'ABCD2345' }));

      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'ABCD-2346' }, staffOf(event)));

      expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'unknown-code' }]);
      expect(await checkInCount(db, event.id)).toBe(0);
    });

    it('refuses the code of another event’s registration (422) and checks nobody in there', async () => {
      const otherEvent = kit.directory.add(anEvent({ organizerId: event.organizerId, staffIds: event.staffIds }));
      const elsewhere = aRegistration(otherEvent, { checkInCode: 'WXYZ6789' });
      await seedRegistrations(db, elsewhere);

      // The same staff member works both doors: the code is still looked up within this event only.
      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'WXYZ-6789' }, staffOf(event)));

      expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'unknown-code' }]);
      expect((await storedRegistration(db, elsewhere.id)).checkedInAt).toBeUndefined();
    });

    it("refuses the code of a cancelled ('cancelled') or waitlisted ('not-confirmed') registration", async () => {
      const cancelled = aRegistration(event, {
        checkInCode: 'CCCC1111',
        status: 'cancelled',
        cancelledAt: '2031-01-02T00:00:00.000Z',
        cancellationReason: 'attendee',
      });
      const waitlisted = aRegistration(event, {
        checkInCode: 'WWWW2222',
        status: 'waitlisted',
        confirmedAt: undefined,
        waitlistKey: 'k',
      });
      await seedRegistrations(db, cancelled, waitlisted);

      const first = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'CCCC-1111' }, staffOf(event)));
      const second = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'WWWW-2222' }, staffOf(event)));

      expect([first.code, first.details]).toEqual(['TICKET_INVALID', { reason: 'cancelled' }]);
      expect([second.code, second.details]).toEqual(['TICKET_INVALID', { reason: 'not-confirmed' }]);
      expect(await checkInCount(db, event.id)).toBe(0);
    });

    it('lets nobody but the event’s organizer, admins and staff try a code (403)', async () => {
      const registration = aRegistration(event, { checkInCode: 'ABCD2345' });
      await seedRegistrations(db, registration);
      const otherOrganizer = {
        userId: `organizer-${randomUUID()}`,
        roles: ['attendee' as const, 'organizer' as const],
      };

      for (const outsider of [holderOf(registration), otherOrganizer]) {
        const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'ABCD-2345' }, outsider));
        expect(error.code).toBe('FORBIDDEN');
      }
      expect(await checkInCount(db, event.id)).toBe(0);
    });
  });

  describe('a code two registrations of one event share', () => {
    it('is found twice by the lookup, and only within its event', async () => {
      const a = aRegistration(event, { checkInCode: 'TWNS2345' });
      const b = aRegistration(event, { checkInCode: 'TWNS2345' });
      const otherEvent = kit.directory.add(anEvent());
      const elsewhere = aRegistration(otherEvent, { checkInCode: 'TWNS2345' });
      await seedRegistrations(db, a, b, elsewhere);

      expect((await kit.codes.registrationsWith(event.id, 'TWNS2345')).sort()).toEqual([a.id, b.id].sort());
      expect(await kit.codes.registrationsWith(otherEvent.id, 'TWNS2345')).toEqual([elsewhere.id]);
      expect(await kit.codes.registrationsWith(event.id, 'TWNS2346')).toEqual([]);
    });

    it("checks neither holder in (422 TICKET_INVALID 'ambiguous-code'), while the other event's holder still can", async () => {
      const a = aRegistration(event, { checkInCode: 'TWNS2345' });
      const b = aRegistration(event, { checkInCode: 'TWNS2345' });
      const otherEvent = kit.directory.add(anEvent());
      const elsewhere = aRegistration(otherEvent, { checkInCode: 'TWNS2345' });
      await seedRegistrations(db, a, b, elsewhere);

      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, code: 'TWNS-2345' }, staffOf(event)));

      expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'ambiguous-code' }]);
      expect(error.message).toContain('ambiguous code');
      expect(await checkInCount(db, event.id)).toBe(0);
      expect((await storedRegistration(db, a.id)).checkedInAt).toBeUndefined();
      expect((await storedRegistration(db, b.id)).checkedInAt).toBeUndefined();
      const { token } = await kit.tickets.getTicket(a.id, holderOf(a));
      // Their QR codes still work.
      expect((await kit.checkIns.checkIn({ eventId: event.id, ticket: token }, staffOf(event))).registrationId).toBe(
        a.id,
      );
      const there = await kit.checkIns.checkIn({ eventId: otherEvent.id, code: 'TWNS-2345' }, staffOf(otherEvent));
      expect(there.registrationId).toBe(elsewhere.id);
    });
  });
});
