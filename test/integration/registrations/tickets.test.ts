import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Clock } from '@convene/common';
import { createFirestore } from '@convene/firestore';
import { CheckInCodes } from '../../../apps/registrations/src/tickets/check-in-codes';
import { TicketKeys } from '../../../apps/registrations/src/tickets/ticket-keys';
import { TicketsService } from '../../../apps/registrations/src/tickets/tickets.service';
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

jest.setTimeout(30_000);

describe('tickets on the Firestore emulator', () => {
  let db: Firestore;
  let kit: ReturnType<typeof ticketsOnFirestore>;

  beforeAll(() => {
    db = createFirestore({
      projectId: `tickets-${randomUUID().slice(0, 8)}`,
      emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
    });
  });
  afterAll(async () => {
    await db.terminate();
  });
  beforeEach(() => {
    kit = ticketsOnFirestore(db);
  });

  describe('GetTicket', () => {
    it('gives the attendee a signed ticket that a door device verifies offline with the JWKS', async () => {
      const event = kit.directory.add(anEvent());
      const registration = aRegistration(event, { holderName: 'Grace Hopper' });
      await seedRegistrations(db, registration);

      const ticket = await kit.tickets.getTicket(registration.id, holderOf(registration));
      const jwks = await kit.tickets.ticketKeys(event.id);

      expect(ticket).toMatchObject({ registrationId: registration.id, eventId: event.id, holderName: 'Grace Hopper' });
      const { payload, protectedHeader } = await jwtVerify(ticket.token, createLocalJWKSet(jwks), {
        algorithms: ['ES256'],
        typ: 'convene-ticket+jwt',
      });
      expect(protectedHeader).toEqual({ alg: 'ES256', kid: jwks.keys[0]!.kid, typ: 'convene-ticket+jwt' });
      expect(payload).toEqual({
        rid: registration.id,
        eid: event.id,
        name: 'Grace Hopper',
        sub: registration.userId,
        iat: expect.any(Number),
      });
      expect(ticket.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(ticket.qrPng.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    });

    it('signs every ticket of an event with the same key, across replicas', async () => {
      const event = kit.directory.add(anEvent());
      const [first, second] = [aRegistration(event), aRegistration(event)];
      await seedRegistrations(db, first, second);
      const otherReplica = ticketsOnFirestore(db);

      const a = await kit.tickets.getTicket(first.id, holderOf(first));
      const b = await otherReplica.tickets.getTicket(second.id, holderOf(second));

      expect(decodeProtectedHeader(b.token).kid).toBe(decodeProtectedHeader(a.token).kid);
    });

    it.each([
      ['the organizer', organizerOf],
      ['staff', staffOf],
      ['an admin', () => ADMIN],
      ['another attendee', () => ({ userId: `user-${randomUUID()}`, roles: ['attendee' as const] })],
    ])('answers REGISTRATION_NOT_FOUND to %s, as for an unknown id', async (_who, identityOf) => {
      const event = kit.directory.add(anEvent());
      const registration = aRegistration(event);
      await seedRegistrations(db, registration);

      const error = await rejection(kit.tickets.getTicket(registration.id, identityOf(event)));
      const unknown = await rejection(kit.tickets.getTicket(randomUUID(), identityOf(event)));

      expect(error.code).toBe('REGISTRATION_NOT_FOUND');
      expect(unknown.code).toBe('REGISTRATION_NOT_FOUND');
      expect(error.message).toBe(`registration ${registration.id} not found`);
    });

    it.each(['waitlisted', 'cancelled'] as const)('gives no ticket for a %s registration (409)', async (status) => {
      const event = kit.directory.add(anEvent());
      const registration = aRegistration(event, { status, confirmedAt: undefined, shard: undefined });
      await seedRegistrations(db, registration);

      const error = await rejection(kit.tickets.getTicket(registration.id, holderOf(registration)));

      expect(error.code).toBe('REGISTRATION_NOT_ACTIVE');
      expect(error.details).toEqual({ status });
    });

    it('refuses a registration id that is not a uuid, naming the field', async () => {
      const error = await rejection(kit.tickets.getTicket('a/b', { userId: 'u', roles: ['attendee'] }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([{ field: 'registrationId', message: expect.any(String) }]);
    });
  });

  describe('GetTicketKeys', () => {
    it('creates the key of a published event on first request and gives only public members', async () => {
      const event = kit.directory.add(anEvent());

      const jwks = await kit.tickets.ticketKeys(event.id);

      expect(jwks.keys).toEqual([
        {
          kid: expect.any(String),
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          alg: 'ES256',
          use: 'sig',
        },
      ]);
      expect(await kit.tickets.ticketKeys(event.id)).toEqual(jwks);
      const stored = await db.collection('ticketKeys').doc(event.id).get();
      expect(stored.get('kid')).toBe(jwks.keys[0]!.kid);
      expect(stored.get('privateJwk.d')).toEqual(expect.any(String));
    });

    it('answers EVENT_NOT_FOUND for a draft or unknown event and creates nothing', async () => {
      const draft = kit.directory.add(anEvent({ status: 'draft' }));

      expect((await rejection(kit.tickets.ticketKeys(draft.id))).code).toBe('EVENT_NOT_FOUND');
      expect((await rejection(kit.tickets.ticketKeys(randomUUID()))).code).toBe('EVENT_NOT_FOUND');
      expect((await db.collection('ticketKeys').doc(draft.id).get()).exists).toBe(false);
    });

    it('gives a cancelled event that never had a key an empty set, without creating one', async () => {
      const cancelled = kit.directory.add(anEvent({ status: 'cancelled' }));

      expect(await kit.tickets.ticketKeys(cancelled.id)).toEqual({ keys: [] });
      expect((await db.collection('ticketKeys').doc(cancelled.id).get()).exists).toBe(false);
    });

    it('refuses an event id that is not a uuid, naming the field', async () => {
      const error = await rejection(kit.tickets.ticketKeys(''));
      expect(error.details.errors).toEqual([{ field: 'eventId', message: expect.any(String) }]);
    });

    it('ends with one key when several replicas create it at once (the losers read the winner)', async () => {
      const event = kit.directory.add(anEvent());
      const replicas = Array.from(
        { length: 8 },
        () => new TicketsService(db, new TicketKeys(db, new Clock()), kit.directory, new CheckInCodes(db), new Clock()),
      );

      const answers = await Promise.all(replicas.map((replica) => replica.ticketKeys(event.id)));

      const kids = new Set(answers.map((answer) => answer.keys[0]!.kid));
      expect(kids.size).toBe(1);
      expect((await db.collection('ticketKeys').doc(event.id).get()).get('kid')).toBe([...kids][0]);
    });
  });
});
