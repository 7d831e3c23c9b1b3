import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import {
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV1,
} from '@convene/contracts';
import { createFirestore } from '@convene/firestore';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { Outbox, PubSubServer } from '@convene/pubsub';
import type { Event } from '../../../apps/events/src/events/event';
import { EventsRepository } from '../../../apps/events/src/events/events.repository';
import { FirestoreEventsRepository } from '../../../apps/events/src/events/firestore-events.repository';
import { FirestoreSeatProjectionRepository } from '../../../apps/events/src/seats/firestore-seat-projection.repository';
import { HasSeatsRefresher, HasSeatsRefreshSettings } from '../../../apps/events/src/seats/has-seats-refresher';
import { InMemorySeatProjectionRepository } from '../../../apps/events/src/seats/in-memory-seat-projection.repository';
import {
  SeatProjectionRepository,
  type RegistrationSeat,
} from '../../../apps/events/src/seats/seat-projection.repository';
import { SeatsMessagesController } from '../../../apps/events/src/seats/seats.messages.controller';
import { SeatsProjection } from '../../../apps/events/src/seats/seats-projection.service';
import { emulatorHost, pubsubTestBed, waitFor } from '../pubsub/pubsub-test-kit';

jest.setTimeout(60_000);

const AT = '2031-01-01T12:00:00.000Z';

/** Each seat change with the message id it came in; `final` is where every order must end. */
function seatHistory(eventId: string) {
  const [ann, bob, cid, dan] = [0, 1, 2, 3].map(() => randomUUID());
  const change = (registrationId: string, status: RegistrationSeat['status'], version: number) => ({
    seat: { eventId, registrationId, status, version },
    messageId: randomUUID(),
  });
  return [
    change(ann, 'confirmed', 1),
    change(bob, 'confirmed', 1),
    change(cid, 'waitlisted', 1),
    change(ann, 'cancelled', 2),
    change(cid, 'confirmed', 2), // promoted
    change(dan, 'waitlisted', 1),
  ];
}

describeRepositoryContract<SeatProjectionRepository>(
  'SeatProjectionRepository',
  {
    fake: () => new InMemorySeatProjectionRepository(),
    firestore: (db) => new FirestoreSeatProjectionRepository(db),
  },
  (repository) => {
    it('converges on the same counts when messages arrive newest first and twice each', async () => {
      const eventId = randomUUID();
      const changes = seatHistory(eventId).reverse();
      for (const { seat } of [...changes, ...changes]) await repository().apply(seat);
      expect(await repository().counts(eventId)).toEqual({ confirmed: 2, waitlisted: 1 });
    });

    it('converges when every message and a duplicate of it are applied at the same time', async () => {
      const eventId = randomUUID();
      const changes = seatHistory(eventId);
      await Promise.all([...changes, ...changes].map(({ seat }) => repository().apply(seat)));
      expect(await repository().counts(eventId)).toEqual({ confirmed: 2, waitlisted: 1 });
    });

    it('says whether a message changed the projection', async () => {
      const eventId = randomUUID();
      const [confirmed] = seatHistory(eventId);
      const newer = { ...confirmed.seat, status: 'cancelled' as const, version: 2 };
      expect(await repository().apply(newer)).toBe(true);
      expect(await repository().apply(confirmed.seat)).toBe(false); // older
      expect(await repository().apply(newer)).toBe(false); // duplicate
      expect(await repository().counts(eventId)).toEqual({ confirmed: 0, waitlisted: 0 });
    });

    it('counts each event apart', async () => {
      const [mine, other] = [randomUUID(), randomUUID()];
      for (const { seat } of seatHistory(other)) await repository().apply(seat);
      expect(await repository().counts(mine)).toEqual({ confirmed: 0, waitlisted: 0 });
    });
  },
);

/** The events service's consuming side, on real Pub/Sub and Firestore emulators. */
@Module({})
class SeatsConsumerModule {
  static on(db: Firestore): DynamicModule {
    return {
      module: SeatsConsumerModule,
      controllers: [SeatsMessagesController],
      providers: [
        SeatsProjection,
        HasSeatsRefresher,
        { provide: Firestore, useValue: db },
        { provide: Outbox, useValue: new Outbox(db, { service: 'events' }) },
        { provide: EventsRepository, useClass: FirestoreEventsRepository },
        { provide: SeatProjectionRepository, useClass: FirestoreSeatProjectionRepository },
        { provide: HasSeatsRefreshSettings, useValue: { delayMs: 200 } },
      ],
    };
  }
}

describe('seats projection from registration messages over Pub/Sub', () => {
  const bed = pubsubTestBed('seats');
  let db: Firestore;
  let consumer: INestMicroservice;

  beforeAll(async () => {
    db = createFirestore({ projectId: bed.projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    const strategy = new PubSubServer({
      pubsub: bed.pubsub(),
      service: 'events',
      topology: bed.topology(),
      reconnectBackoff: { initialMs: 200, maxMs: 2_000 },
      drainTimeoutMs: 2_000,
    });
    consumer = await NestFactory.createMicroservice(SeatsConsumerModule.on(db), { strategy, logger: ['error'] });
    await consumer.listen();
  });

  afterAll(async () => {
    await consumer?.close();
    await db?.terminate();
  });

  function publishedEvent(capacity: number): Event {
    return {
      id: randomUUID(),
      organizerId: randomUUID(),
      status: 'published',
      title: 'Seats projection',
      description: '',
      startsAt: '2031-05-01T17:00:00.000Z',
      endsAt: '2031-05-01T20:00:00.000Z',
      timezone: 'Europe/Paris',
      venue: { name: 'Station F', address: 'Paris' },
      category: 'meetup',
      tags: [],
      capacity,
      capacityVersion: 0,
      waitlistEnabled: true,
      visibility: 'public',
      createdAt: AT,
      updatedAt: AT,
      publishedAt: AT,
      staffIds: [],
      hasSeats: true,
    };
  }

  /** The messages registrations would publish for seatHistory, each with its envelope id. */
  function messagesOf(eventId: string): Array<{ message: object; eventId: string }> {
    return seatHistory(eventId).map(({ seat, messageId }, i) => {
      const base = { registrationId: seat.registrationId, eventId, userId: `user-${i}`, version: seat.version };
      const message =
        seat.status === 'cancelled'
          ? plainToInstance(RegistrationCancelledV1, {
              ...base,
              previousStatus: 'confirmed',
              reason: 'attendee',
              cancelledAt: AT,
            })
          : seat.status === 'waitlisted'
            ? plainToInstance(RegistrationWaitlistedV1, { ...base, waitlistedAt: AT })
            : seat.version > 1
              ? plainToInstance(RegistrationPromotedV1, { ...base, promotedAt: AT })
              : plainToInstance(RegistrationConfirmedV1, { ...base, confirmedAt: AT });
      return { message, eventId: messageId };
    });
  }

  it('converges on the true counts from messages published out of order and twice, and closes the event', async () => {
    const events = new FirestoreEventsRepository(db, new Outbox(db, { service: 'events' }));
    const seats = new FirestoreSeatProjectionRepository(db);
    const event = publishedEvent(2);
    await events.create(event);
    const messages = messagesOf(event.id);

    // Newest first, then everything again (a publisher's retry reuses the envelope's eventId).
    for (const { message, eventId } of [...messages.reverse(), ...messages]) {
      await bed.publisher().publish(message, { eventId });
    }

    await waitFor('the projection to converge', async () => {
      const counts = await seats.counts(event.id);
      return counts.confirmed === 2 && counts.waitlisted === 1;
    });
    await waitFor('hasSeats to turn false', async () => (await events.findById(event.id))?.hasSeats === false);
    expect((await events.listPublic({ limit: 10, hasSeats: true })).items.map((e) => e.id)).not.toContain(event.id);
    expect((await events.listPublic({ limit: 10 })).items.map((e) => e.id)).toContain(event.id);

    // Redeliveries that arrive later change nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await seats.counts(event.id)).toEqual({ confirmed: 2, waitlisted: 1 });
  });
});
