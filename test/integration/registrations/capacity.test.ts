import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import { privateFirestore } from '../../support/firestore';
import {
  attendee,
  EventsOfTest,
  outboxMessages,
  registrationsProcess,
  settle,
  storedCounts,
} from './registrations-kit';

jest.setTimeout(120_000);

/**
 * Invariants 1–4 of ARCHITECTURE.md under real concurrency, on a Firestore emulator of this file's own
 * (two processes selling one event make transactions contend on purpose).
 */
describe('registrations capacity on the Firestore emulator', () => {
  const projectId = `registrations-${randomUUID().slice(0, 8)}`;
  const emulator = privateFirestore(projectId);
  const extraClients: Firestore[] = [];
  afterAll(() => Promise.all(extraClients.map((db) => db.terminate())));

  it('500 concurrent people for 100 seats: exactly 100 confirmed, 400 waitlisted, no errors', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 100 });
    const { service } = registrationsProcess(emulator.db(), events);

    const { values, errors } = await settle(Array.from({ length: 500 }, () => service.register(event.id, attendee())));

    expect(errors).toEqual([]);
    expect(values.filter((r) => r.status === 'confirmed')).toHaveLength(100);
    const waitlisted = values.filter((r) => r.status === 'waitlisted');
    expect(waitlisted).toHaveLength(400);
    expect(waitlisted.every((r) => r.waitlistPosition! >= 1 && r.waitlistPosition! <= 400)).toBe(true);
    const stored = await storedCounts(emulator.db(), event.id);
    expect(stored).toMatchObject({ confirmed: 100, waitlisted: 400, seatsTaken: 100, waitlistEntries: 400 });
    expect(stored.shardCapacity).toBe(100);
    expect(await outboxMessages(emulator.db(), 'registration.confirmed', event.id)).toHaveLength(100);
    // Each newcomer is told their place: the 400 places in line, each once.
    const lineMessages = await outboxMessages(emulator.db(), 'registration.waitlisted', event.id);
    expect(lineMessages.map((m) => m.position).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1),
    );
    expect(await service.availability(event.id)).toEqual({
      eventId: event.id,
      capacity: 100,
      confirmed: 100,
      waitlisted: 400,
      seatsLeft: 0,
    });
  });

  it('capacity 1 and 200 at once without a waitlist: exactly one seat, everyone else EVENT_FULL', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 1, waitlistEnabled: false });
    const { service } = registrationsProcess(emulator.db(), events);

    const { values, errors } = await settle(Array.from({ length: 200 }, () => service.register(event.id, attendee())));

    expect(values).toHaveLength(1);
    expect(values[0].status).toBe('confirmed');
    expect(errors).toHaveLength(199);
    expect(new Set(errors)).toEqual(new Set(['EVENT_FULL']));
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 1, seatsTaken: 1, waitlisted: 0 });
  });

  it('one person registering many times at once holds one registration; the others are told which', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 10 });
    const { service } = registrationsProcess(emulator.db(), events);
    const person = attendee();

    const { values, errors } = await settle(Array.from({ length: 20 }, () => service.register(event.id, person)));

    expect(values).toHaveLength(1);
    expect(errors).toEqual(Array.from({ length: 19 }, () => 'ALREADY_REGISTERED'));
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 1, seatsTaken: 1 });
    await expect(service.register(event.id, person)).rejects.toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { registration: { id: values[0].id, status: 'confirmed' } },
    });
  });

  it('10 concurrent cancellations with 50 waiting promote exactly the first 10, in order', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 10 });
    const { service } = registrationsProcess(emulator.db(), events);
    const holders = await Promise.all(
      Array.from({ length: 10 }, () => attendee()).map((p) => service.register(event.id, p)),
    );
    const waiting = [];
    for (let i = 0; i < 50; i++) waiting.push(await service.register(event.id, attendee())); // a known order
    expect(waiting.map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    const { errors } = await settle(
      holders.map((r) => service.cancel(r.id, { userId: r.userId, roles: ['attendee'] })),
    );

    expect(errors).toEqual([]);
    const after = await Promise.all(waiting.map((r) => service.get(r.id, { userId: r.userId, roles: ['attendee'] })));
    expect(after.slice(0, 10).map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 'confirmed'));
    expect(after.slice(10).map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const promotedAt = after.slice(0, 10).map((r) => Date.parse(r.confirmedAt!));
    expect(promotedAt).toEqual([...promotedAt].sort((a, b) => a - b));
    const promoted = await outboxMessages(emulator.db(), 'registration.promoted', event.id);
    expect(promoted.map((m) => m.registrationId).sort()).toEqual(
      after
        .slice(0, 10)
        .map((r) => r.id)
        .sort(),
    );
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({
      confirmed: 10,
      waitlisted: 40,
      cancelled: 10,
      seatsTaken: 10,
      waitlistEntries: 40,
    });

    // Cancelling again changes nothing: the seat moved once.
    await service.cancel(holders[0].id, { userId: holders[0].userId, roles: ['attendee'] });
    expect(await outboxMessages(emulator.db(), 'registration.promoted', event.id)).toHaveLength(10);
  });

  it('two processes selling one event at once stay exact', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 100 });
    const second = createFirestore({ projectId, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
    extraClients.push(second);
    const a = registrationsProcess(emulator.db(), events);
    const b = registrationsProcess(second, events);

    const { values, errors } = await settle(
      Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).service.register(event.id, attendee())),
    );

    expect(errors).toEqual([]);
    expect(values.filter((r) => r.status === 'confirmed')).toHaveLength(100);
    expect(values.filter((r) => r.status === 'waitlisted')).toHaveLength(200);
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({
      confirmed: 100,
      waitlisted: 200,
      seatsTaken: 100,
      shardCapacity: 100,
    });
  });

  it('a capacity decrease racing a burst of registrations never leaves more confirmed than capacity', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 100, waitlistEnabled: false });
    const { service } = registrationsProcess(emulator.db(), events);
    const organizer = { userId: event.organizerId, roles: ['organizer' as const] };
    const seed = { eventId: event.id, organizerId: event.organizerId, capacity: 100, capacityVersion: 0 };

    const burst = Array.from({ length: 150 }, () => service.register(event.id, attendee()));
    const resize = service.resize(seed, 60, organizer).then(
      (result) => ({ ok: true as const, result }),
      (error: { code: string; details: { confirmed: number } }) => ({ ok: false as const, error }),
    );
    const [outcome] = await Promise.all([resize, settle(burst)]);

    const stored = await storedCounts(emulator.db(), event.id);
    if (outcome.ok) {
      expect(stored.capacity).toBe(60);
      expect(outcome.result).toMatchObject({ capacity: 60, capacityVersion: 1 });
    } else {
      expect(outcome.error.code).toBe('CAPACITY_BELOW_CONFIRMED');
      expect(outcome.error.details.confirmed).toBeGreaterThan(60);
      expect(stored.capacity).toBe(100);
    }
    expect(stored.confirmed).toBeLessThanOrEqual(stored.capacity);
    expect(stored.seatsTaken).toBe(stored.confirmed);
    expect(stored.shardCapacity).toBe(stored.capacity);

    // Below what is now confirmed: refused with the count, and nothing changes.
    await expect(
      service.resize({ ...seed, capacityVersion: 1 }, stored.confirmed - 1, organizer),
    ).rejects.toMatchObject({
      code: 'CAPACITY_BELOW_CONFIRMED',
      details: { confirmed: stored.confirmed },
    });
    expect((await storedCounts(emulator.db(), event.id)).capacity).toBe(stored.capacity);
  });

  it('raising capacity lets the waitlist in, first come first served', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 5 });
    const { service } = registrationsProcess(emulator.db(), events);
    const organizer = { userId: event.organizerId, roles: ['organizer' as const] };
    await Promise.all(Array.from({ length: 5 }, () => service.register(event.id, attendee())));
    const waiting = [];
    for (let i = 0; i < 12; i++) waiting.push(await service.register(event.id, attendee()));

    const result = await service.resize(
      { eventId: event.id, organizerId: event.organizerId, capacity: 5, capacityVersion: 0 },
      12,
      organizer,
    );

    expect(result).toEqual({ capacity: 12, capacityVersion: 1, confirmed: 12, promoted: 7 });
    const after = await Promise.all(waiting.map((r) => service.get(r.id, { userId: r.userId, roles: ['attendee'] })));
    expect(after.map((r) => r.status)).toEqual([...Array(7).fill('confirmed'), ...Array(5).fill('waitlisted')]);
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 12, seatsTaken: 12, capacity: 12 });
    await expect(
      service.resize(
        { eventId: event.id, organizerId: event.organizerId, capacity: 12, capacityVersion: 1 },
        20,
        attendee(),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a cancelled event ends every registration once, however often the news arrives', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 20 });
    const { service } = registrationsProcess(emulator.db(), events);
    await Promise.all(Array.from({ length: 30 }, () => service.register(event.id, attendee())));

    const [first, second] = await Promise.all([service.closeEvent(event.id), service.closeEvent(event.id)]);

    expect(first + second).toBe(30);
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({
      confirmed: 0,
      waitlisted: 0,
      cancelled: 30,
      seatsTaken: 0,
      waitlistEntries: 0,
    });
    expect(await outboxMessages(emulator.db(), 'registration.cancelled', event.id)).toHaveLength(30);
    await expect(service.register(event.id, attendee())).rejects.toMatchObject({ code: 'REGISTRATION_CLOSED' });
  });
});
