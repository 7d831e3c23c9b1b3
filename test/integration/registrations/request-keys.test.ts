import { createHash, randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import { privateFirestore } from '../../support/firestore';
import { COLLECTIONS } from '../../../apps/registrations/src/registrations/registration';
import { attendee, EventsOfTest, registrationsProcess, settle, storedCounts } from './registrations-kit';

jest.setTimeout(120_000);

/** What the gateway sends for an Idempotency-Key: its sha256, hex. */
function requestKey(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

/**
 * Issue 10: a client whose registration committed but whose answer was lost (registrations killed
 * after the commit) retries with its Idempotency-Key and gets its registration, not ALREADY_REGISTERED.
 * The gateway passes the key's hash down; registrations keeps it on the registration it creates.
 */
describe('registrations recognising a retry of the request that registered', () => {
  const projectId = `registrations-${randomUUID().slice(0, 8)}`;
  const emulator = privateFirestore(projectId);
  const extraClients: Firestore[] = [];
  afterAll(() => Promise.all(extraClients.map((db) => db.terminate())));

  it('a restarted process answers the retry with the registration the first attempt created', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 10 });
    const person = attendee();
    const key = requestKey();
    const first = await registrationsProcess(emulator.db(), events).service.register(event.id, person, key);
    const stored = await emulator.db().collection(COLLECTIONS.registrations).doc(first.id).get();
    expect(stored.get('requestKey')).toBe(key);

    // Another process, as after a restart: nothing in memory, only what was committed.
    const second = createFirestore({ projectId, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
    extraClients.push(second);
    const restarted = registrationsProcess(second, events).service;

    expect(await restarted.register(event.id, person, key)).toEqual(first);
    await expect(restarted.register(event.id, person, requestKey())).rejects.toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { registration: { id: first.id } },
    });
    await expect(restarted.register(event.id, person)).rejects.toMatchObject({ code: 'ALREADY_REGISTERED' });
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 1, seatsTaken: 1 });
  });

  it('a registration made without a key is not anyone’s retry', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 10 });
    const { service } = registrationsProcess(emulator.db(), events);
    const person = attendee();
    const first = await service.register(event.id, person);
    const stored = await emulator.db().collection(COLLECTIONS.registrations).doc(first.id).get();
    expect(stored.get('requestKey')).toBeNull();

    await expect(service.register(event.id, person, requestKey())).rejects.toMatchObject({
      code: 'ALREADY_REGISTERED',
    });
  });

  it('copies of one request at once, in one batch: one registration, each copy answered with it', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 10 });
    const { service } = registrationsProcess(emulator.db(), events);
    const person = attendee();
    const key = requestKey();

    const { values, errors } = await settle(Array.from({ length: 10 }, () => service.register(event.id, person, key)));

    expect(errors).toEqual([]);
    expect(new Set(values.map((r) => r.id)).size).toBe(1);
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 1, seatsTaken: 1 });
  });

  it('a waitlisted registration is answered again with its place in line', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 1 });
    const { service } = registrationsProcess(emulator.db(), events);
    await service.register(event.id, attendee(), requestKey());
    const person = attendee();
    const key = requestKey();
    const first = await service.register(event.id, person, key);
    expect(first).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    expect(await service.register(event.id, person, key)).toEqual(first);
    expect(await storedCounts(emulator.db(), event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
  });

  it('after a cancellation the same key registers anew (the key names a request, not a registration)', async () => {
    const events = new EventsOfTest();
    const event = events.add({ capacity: 1, waitlistEnabled: false });
    const { service } = registrationsProcess(emulator.db(), events);
    const person = attendee();
    const key = requestKey();
    const first = await service.register(event.id, person, key);
    await service.cancel(first.id, person);
    const cancelled = await emulator.db().collection(COLLECTIONS.registrations).doc(first.id).get();
    expect(cancelled.get('requestKey')).toBe(key); // kept through changes of the registration

    const again = await service.register(event.id, person, key);

    expect(again.id).not.toBe(first.id);
    expect(again.status).toBe('confirmed');
    expect(await service.register(event.id, person, key)).toEqual(again);
  });
});
