import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { SignJWT } from 'jose';
import type { Identity } from '@convene/common';
import type { RegistrationStatus } from '@convene/contracts';
import { createFirestore } from '@convene/firestore';
import { outboxCollection } from '@convene/pubsub';
import type { EventInfo } from '../../../apps/registrations/src/events/event-info';
import type { Registration } from '../../../apps/registrations/src/registrations/registration';
import { fromRegistrationDocument } from '../../../apps/registrations/src/registrations/registration-document';
import { signTicket } from '../../../apps/registrations/src/tickets/ticket-token';
import {
  ADMIN,
  anEvent,
  aRegistration,
  holderOf,
  organizerOf,
  rejection,
  seedRegistrations,
  staffOf,
  ticketsOnFirestore,
} from '../../../apps/registrations/src/tickets/testing/tickets-test-kit';
import { privateFirestore } from '../../support/firestore';

jest.setTimeout(60_000);

type Kit = ReturnType<typeof ticketsOnFirestore>;

/** A ticket as GetTicket signs it (without rendering its QR code, which tests do not need). */
async function ticketOf(kit: Kit, registration: Registration): Promise<string> {
  const key = await kit.keys.ensure(registration.eventId);
  const claims = {
    rid: registration.id,
    eid: registration.eventId,
    name: registration.holderName,
    sub: registration.userId,
  };
  return signTicket(claims, key, new Date());
}

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

describe('check-in and the attendee list on the Firestore emulator', () => {
  let db: Firestore;
  let kit: Kit;
  let event: EventInfo;

  beforeAll(() => {
    db = createFirestore({
      projectId: `checkins-${randomUUID().slice(0, 8)}`,
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

  describe('CheckIn', () => {
    it('checks a ticket in on the first scan, marks the registration and enqueues attendee.checked-in', async () => {
      const registration = aRegistration(event, { holderName: 'Grace Hopper' });
      await seedRegistrations(db, registration);
      // The ticket exactly as the attendee downloads it.
      const { token } = await kit.tickets.getTicket(registration.id, holderOf(registration));

      const result = await kit.checkIns.checkIn({ eventId: event.id, ticket: token }, staffOf(event));

      expect(result).toEqual({
        registrationId: registration.id,
        eventId: event.id,
        holderName: 'Grace Hopper',
        checkedInAt: expect.any(String),
        checkedInBy: staffOf(event).userId,
      });
      const stored = await storedRegistration(db, registration.id);
      expect(stored).toEqual({
        ...registration,
        checkedInAt: result.checkedInAt,
        checkedInBy: result.checkedInBy,
        updatedAt: result.checkedInAt,
        version: 2,
        // Seeded without one, it got its check-in code when the ticket was read.
        checkInCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/),
      });
      expect((await db.collection('registrations').doc(registration.id).get()).get('checkedIn')).toBe(true);
      expect(await checkedInMessages(db, registration.id)).toEqual([
        {
          registrationId: registration.id,
          eventId: event.id,
          userId: registration.userId,
          version: 2,
          checkedInAt: result.checkedInAt,
        },
      ]);
      expect(kit.relay.kicks).toBe(1);
    });

    it('answers a second scan ALREADY_CHECKED_IN with the first time, and changes nothing', async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const ticket = await ticketOf(kit, registration);
      const first = await kit.checkIns.checkIn({ eventId: event.id, ticket }, organizerOf(event));

      const second = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, staffOf(event)));

      expect(second.code).toBe('ALREADY_CHECKED_IN');
      expect(second.details).toEqual({ checkedInAt: first.checkedInAt });
      expect((await storedRegistration(db, registration.id)).version).toBe(2);
      expect(await checkedInMessages(db, registration.id)).toHaveLength(1);
    });

    it("gives a scanner's retry with the same nonce the first answer; another nonce gets 409", async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const ticket = await ticketOf(kit, registration);
      const first = await kit.checkIns.checkIn({ eventId: event.id, ticket, nonce: 'scan-1' }, staffOf(event));

      const retry = await kit.checkIns.checkIn({ eventId: event.id, ticket, nonce: 'scan-1' }, staffOf(event));
      const other = await rejection(
        kit.checkIns.checkIn({ eventId: event.id, ticket, nonce: 'scan-2' }, staffOf(event)),
      );
      const without = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, staffOf(event)));

      expect(retry).toEqual(first);
      expect(other.code).toBe('ALREADY_CHECKED_IN');
      expect(without.code).toBe('ALREADY_CHECKED_IN');
      expect(await checkedInMessages(db, registration.id)).toHaveLength(1);
      expect(kit.relay.kicks).toBe(1);
    });

    it('checks in exactly once under 20 concurrent scans of one ticket', async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const ticket = await ticketOf(kit, registration);

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          kit.checkIns.checkIn({ eventId: event.id, ticket, nonce: `device-${i}` }, staffOf(event)),
        ),
      );

      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
      expect(fulfilled).toHaveLength(1);
      expect(codes).toEqual(Array(19).fill('ALREADY_CHECKED_IN'));
      expect(await checkInCount(db, event.id)).toBe(1);
      expect(await checkedInMessages(db, registration.id)).toHaveLength(1);
      expect((await storedRegistration(db, registration.id)).version).toBe(2);
    });

    it("refuses a forged ticket with 422 reason 'forged', and writes nothing", async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const genuine = await ticketOf(kit, registration);
      const [header, payload, signature] = genuine.split('.');
      const renamed = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), name: 'Mallory' }),
      ).toString('base64url');
      const selfSigned = await new SignJWT({ rid: registration.id, eid: event.id, name: 'Mallory', sub: 'x' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k', typ: 'convene-ticket+jwt' })
        .setIssuedAt()
        .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));

      for (const ticket of [`${header}.${renamed}.${signature}`, selfSigned, 'not a ticket']) {
        const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, staffOf(event)));
        expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'forged' }]);
      }
      expect(await checkInCount(db, event.id)).toBe(0);
    });

    it("refuses a genuine ticket of another event with 422 reason 'other-event'", async () => {
      const otherEvent = kit.directory.add(anEvent({ organizerId: event.organizerId }));
      const elsewhere = aRegistration(otherEvent);
      await seedRegistrations(db, elsewhere);
      await kit.keys.ensure(event.id);
      const ticket = await ticketOf(kit, elsewhere);

      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, organizerOf(event)));

      expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'other-event' }]);
      expect((await storedRegistration(db, elsewhere.id)).checkedInAt).toBeUndefined();
    });

    it("refuses a ticket whose registration was cancelled (reason 'cancelled') or is not confirmed", async () => {
      const cancelled = aRegistration(event);
      const waitlisted = aRegistration(event);
      await seedRegistrations(db, cancelled, waitlisted);
      const cancelledTicket = await ticketOf(kit, cancelled);
      const waitlistedTicket = await ticketOf(kit, waitlisted);
      await seedRegistrations(
        db,
        { ...cancelled, status: 'cancelled', cancelledAt: '2031-01-02T00:00:00.000Z', cancellationReason: 'attendee' },
        { ...waitlisted, status: 'waitlisted', confirmedAt: undefined, waitlistKey: 'k' },
      );

      const first = await rejection(
        kit.checkIns.checkIn({ eventId: event.id, ticket: cancelledTicket }, staffOf(event)),
      );
      const second = await rejection(
        kit.checkIns.checkIn({ eventId: event.id, ticket: waitlistedTicket }, staffOf(event)),
      );

      expect([first.code, first.details]).toEqual(['TICKET_INVALID', { reason: 'cancelled' }]);
      expect([second.code, second.details]).toEqual(['TICKET_INVALID', { reason: 'not-confirmed' }]);
      expect(await checkInCount(db, event.id)).toBe(0);
    });

    it.each<[string, (e: EventInfo) => Identity]>([
      ['an attendee', () => ({ userId: `user-${randomUUID()}`, roles: ['attendee'] })],
      ["another event's organizer", () => ({ userId: `organizer-${randomUUID()}`, roles: ['attendee', 'organizer'] })],
    ])('forbids %s to check anyone in (403), even with a genuine ticket', async (_who, identityOf) => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const ticket = await ticketOf(kit, registration);

      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, identityOf(event)));

      expect(error.code).toBe('FORBIDDEN');
      expect(await checkInCount(db, event.id)).toBe(0);
    });

    it("forbids the ticket's own holder to check themselves in (403)", async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);
      const ticket = await ticketOf(kit, registration);

      expect((await rejection(kit.checkIns.checkIn({ eventId: event.id, ticket }, holderOf(registration)))).code).toBe(
        'FORBIDDEN',
      );
    });

    it('lets an admin check in', async () => {
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);

      const result = await kit.checkIns.checkIn(
        { eventId: event.id, ticket: await ticketOf(kit, registration) },
        ADMIN,
      );

      expect(result.checkedInBy).toBe(ADMIN.userId);
    });

    it.each([
      ['eventId', { eventId: 'nope', ticket: 't' }],
      ['ticket', { ticket: '' }],
      ['nonce', { ticket: 't', nonce: 'n'.repeat(129) }],
    ])('refuses a bad %s with VALIDATION_FAILED naming it', async (field, input) => {
      const error = await rejection(kit.checkIns.checkIn({ eventId: event.id, ...input }, staffOf(event)));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([{ field, message: expect.any(String) }]);
    });
  });

  describe('ListAttendees', () => {
    /** 250 registrations, ten per registration instant (so the id breaks ties), of every kind. */
    function crowd(of: EventInfo): Registration[] {
      const base = Date.parse('2031-01-01T10:00:00.000Z');
      return Array.from({ length: 250 }, (_, i) => {
        const createdAt = new Date(base + Math.floor(i / 10) * 1000).toISOString();
        const status = i % 5 === 0 ? 'waitlisted' : i % 7 === 0 ? 'cancelled' : 'confirmed';
        const checkedIn = status === 'confirmed' && i % 3 === 0;
        return aRegistration(of, {
          holderName: `Holder ${i}`,
          status,
          createdAt,
          updatedAt: createdAt,
          ...(checkedIn ? { checkedInAt: '2031-05-01T17:05:00.000Z', checkedInBy: of.staffIds[0] } : {}),
        });
      });
    }

    const inListOrder = (registrations: Registration[]) =>
      [...registrations].sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
      );

    async function walk(filter: { status?: RegistrationStatus; checkedIn?: boolean }, limit: number) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await kit.attendees.list({ eventId: event.id, ...filter, limit, cursor }, organizerOf(event));
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((item) => item.registrationId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { seen, pages };
    }

    let registrations: Registration[];
    beforeEach(async () => {
      registrations = crowd(event);
      await seedRegistrations(db, ...registrations);
      // Another event's registrations never show up.
      await seedRegistrations(db, ...crowd(kit.directory.add(anEvent())).slice(0, 20));
    });

    it('walks 250 registrations 40 at a time, each exactly once, by registration time then id', async () => {
      const { seen, pages } = await walk({}, 40);

      expect(pages).toBe(7);
      expect(seen).toEqual(inListOrder(registrations).map((r) => r.id));
    });

    it('gives each attendee as the door needs them', async () => {
      const page = await kit.attendees.list({ eventId: event.id, checkedIn: true, limit: 1 }, staffOf(event));
      const registration = registrations.find((r) => r.id === page.items[0]!.registrationId)!;

      expect(page.items).toEqual([
        {
          registrationId: registration.id,
          userId: registration.userId,
          holderName: registration.holderName,
          status: 'confirmed',
          registeredAt: registration.createdAt,
          checkedInAt: '2031-05-01T17:05:00.000Z',
        },
      ]);
      expect(page.items[0]).not.toHaveProperty('waitlistPosition');
    });

    it.each<[{ status?: RegistrationStatus; checkedIn?: boolean }]>([
      [{ status: 'confirmed' }],
      [{ status: 'waitlisted' }],
      [{ status: 'cancelled' }],
      [{ checkedIn: true }],
      [{ checkedIn: false }],
      [{ status: 'confirmed', checkedIn: false }],
    ])('filters by %j across pages', async (filter) => {
      const expected = inListOrder(
        registrations.filter(
          (r) =>
            (filter.status === undefined || r.status === filter.status) &&
            (filter.checkedIn === undefined || (r.checkedInAt !== undefined) === filter.checkedIn),
        ),
      ).map((r) => r.id);

      const { seen } = await walk(filter, 40);

      expect(expected.length).toBeGreaterThan(0);
      expect(seen).toEqual(expected);
    });

    it('lists 100 by default and at most 1000', async () => {
      const page = await kit.attendees.list({ eventId: event.id, limit: 0 }, ADMIN);
      const all = await kit.attendees.list({ eventId: event.id, limit: 1000 }, ADMIN);

      expect(page.items).toHaveLength(100);
      expect(all.items).toHaveLength(250);
      expect(all.nextCursor).toBeUndefined();
    });

    it('forbids an attendee, even one registered for the event (403)', async () => {
      const error = await rejection(kit.attendees.list({ eventId: event.id, limit: 10 }, holderOf(registrations[0]!)));
      expect(error.code).toBe('FORBIDDEN');
    });

    it.each([
      ['limit', { limit: 1001 }],
      ['status', { limit: 10, status: 'present' }],
      ['cursor', { limit: 10, cursor: 'bm90LWEtY3Vyc29y' }],
    ])('refuses a bad %s with VALIDATION_FAILED naming it', async (field, input) => {
      const error = await rejection(kit.attendees.list({ eventId: event.id, ...input }, organizerOf(event)));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([{ field, message: expect.any(String) }]);
    });
  });
});

describe('check-in with two replicas scanning at once', () => {
  // Contending transactions stall the emulator they run on (FACTS.md): give them their own.
  const emulator = privateFirestore(`checkins-race-${randomUUID().slice(0, 8)}`);

  it('checks a ticket in exactly once when two processes scan it together', async () => {
    const db = emulator.db();
    const replicas = [ticketsOnFirestore(db), ticketsOnFirestore(db)];
    const event = anEvent();
    for (const replica of replicas) replica.directory.add(event);
    const registration = aRegistration(event);
    await seedRegistrations(db, registration);
    const ticket = await ticketOf(replicas[0]!, registration);

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        replicas[i % 2]!.checkIns.checkIn({ eventId: event.id, ticket, nonce: `device-${i}` }, staffOf(event)),
      ),
    );

    const codes = results.map((r) => (r.status === 'fulfilled' ? 'CHECKED_IN' : (r.reason as { code?: string }).code));
    expect(codes.filter((code) => code === 'CHECKED_IN')).toHaveLength(1);
    expect(codes.filter((code) => code === 'ALREADY_CHECKED_IN')).toHaveLength(9);
    expect(await checkInCount(db, event.id)).toBe(1);
    expect(await checkedInMessages(db, registration.id)).toHaveLength(1);
  });
});
