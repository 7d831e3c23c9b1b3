import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock, DomainError, Metrics, type Identity } from '@convene/common';
import type { Outbox } from '@convene/pubsub';
import { AccountDirectory } from '../accounts/account-directory';
import { EventDirectory, type EventInfo } from '../events/event-info';
import type { Shard } from '../inventory/inventory-plan';
import type { Registration } from './registration';
import { fromRegistrationDocument, toRegistrationDocument } from './registration-document';
import { toRegistrationMessage } from './registration-message';
import { RegistrationsMetrics } from './registrations.metrics';
import { RegistrationsService } from './registrations.service';
import { RegistrationsStore, type InventorySeed, type SeatOutcome, type SeatRequest } from './registrations.store';

class OneEvent extends EventDirectory {
  constructor(readonly event: EventInfo) {
    super();
  }
  async get(): Promise<EventInfo> {
    return this.event;
  }
  async getFresh(): Promise<EventInfo> {
    return this.event;
  }
}

class Names extends AccountDirectory {
  async displayName(person: Identity): Promise<string> {
    return `Person ${person.userId}`;
  }
}

/**
 * The store's register path in memory, one shard, keeping what the real one keeps (the active
 * registration per person, the request key on a new registration). Its transactions run on the
 * emulator in test/integration/registrations.
 */
class StoreOfTest extends RegistrationsStore {
  readonly registrations = new Map<string, Registration>();
  private readonly active = new Map<string, string>();
  private shard: Shard | undefined;

  constructor() {
    super(undefined as unknown as Firestore, undefined as unknown as Outbox, new Clock());
  }

  override async readInventory() {
    const shards = this.shard ? [this.shard] : [];
    return { exists: !!this.shard, closed: false, capacity: this.shard?.capacity ?? 0, capacityVersion: 0, shards };
  }

  override async ensureInventory(seed: InventorySeed): Promise<void> {
    this.shard ??= { index: 0, capacity: seed.capacity, taken: 0 };
  }

  override async confirmBatch(eventId: string, _shard: number, requests: SeatRequest[]): Promise<SeatOutcome[]> {
    return requests.map((request) => {
      const existing = this.active.get(request.userId);
      if (existing) return { kind: 'existing', registrationId: existing };
      if (this.shard!.taken >= this.shard!.capacity) return { kind: 'no-seat' };
      this.shard = { ...this.shard!, taken: this.shard!.taken + 1 };
      return { kind: 'confirmed', registration: this.create(eventId, request) };
    });
  }

  override async waitlistBatch(): Promise<SeatOutcome[]> {
    throw new Error('not expected: these events have seats or no waitlist');
  }

  override async findActiveId(_eventId: string, userId: string): Promise<string | undefined> {
    return this.active.get(userId);
  }

  override async findById(id: string): Promise<Registration | undefined> {
    return this.registrations.get(id);
  }

  cancelAll(): void {
    for (const [id, registration] of this.registrations) {
      this.registrations.set(id, { ...registration, status: 'cancelled' });
    }
  }

  private create(eventId: string, request: SeatRequest): Registration {
    const now = new Date().toISOString();
    const registration: Registration = {
      id: randomUUID(),
      eventId,
      userId: request.userId,
      holderName: request.holderName,
      status: 'confirmed',
      version: 1,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
      shard: 0,
      requestKey: request.requestKey,
      eventTitle: request.eventTitle,
      eventStartsAt: request.eventStartsAt,
      eventEndsAt: request.eventEndsAt,
    };
    this.registrations.set(registration.id, registration);
    this.active.set(request.userId, registration.id);
    return registration;
  }
}

function setUp(overrides: Partial<EventInfo> = {}) {
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
    capacity: 10,
    capacityVersion: 0,
    ...overrides,
  };
  const store = new StoreOfTest();
  const metrics = new RegistrationsMetrics(new Metrics({ service: 'registrations' }));
  const service = new RegistrationsService(store, new OneEvent(event), new Names(), new Clock(), metrics, {
    maxBatch: 100,
  });
  return { service, store, event };
}

function person(): Identity {
  return { userId: randomUUID(), roles: ['attendee'] };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('RegistrationsService: a retry of the request that registered', () => {
  it('gets the registration it created when it carries the same request key', async () => {
    const { service, store, event } = setUp();
    const ada = person();
    const first = await service.register(event.id, ada, 'key-1');

    const retry = await service.register(event.id, ada, 'key-1');

    expect(retry).toEqual(first);
    expect(store.registrations.size).toBe(1);
  });

  it('answers ALREADY_REGISTERED, with the registration, to another key', async () => {
    const { service, event } = setUp();
    const ada = person();
    const first = await service.register(event.id, ada, 'key-1');

    const error = await rejection(service.register(event.id, ada, 'key-2'));

    expect(error.code).toBe('ALREADY_REGISTERED');
    expect(error.details.registration).toEqual(toRegistrationMessage(first));
  });

  it('answers ALREADY_REGISTERED to a request without a key, and to any key when the first had none', async () => {
    const { service, event } = setUp();
    const ada = person();
    const grace = person();
    await service.register(event.id, ada, 'key-1');
    await service.register(event.id, grace);

    expect((await rejection(service.register(event.id, ada))).code).toBe('ALREADY_REGISTERED');
    expect((await rejection(service.register(event.id, ada, ''))).code).toBe('ALREADY_REGISTERED');
    expect((await rejection(service.register(event.id, grace))).code).toBe('ALREADY_REGISTERED');
    expect((await rejection(service.register(event.id, grace, ''))).code).toBe('ALREADY_REGISTERED');
    expect((await rejection(service.register(event.id, grace, 'key-1'))).code).toBe('ALREADY_REGISTERED');
  });

  it('does not take another person’s key for theirs', async () => {
    const { service, store, event } = setUp();
    await service.register(event.id, person(), 'key-1');

    const other = await service.register(event.id, person(), 'key-1');

    expect(other.status).toBe('confirmed');
    expect(store.registrations.size).toBe(2);
  });

  it('gets the registration also once the event is known to be full (no waitlist)', async () => {
    const { service, event } = setUp({ capacity: 1, waitlistEnabled: false });
    const ada = person();
    const first = await service.register(event.id, ada, 'key-1');
    expect((await rejection(service.register(event.id, person()))).code).toBe('EVENT_FULL'); // now known full

    expect(await service.register(event.id, ada, 'key-1')).toEqual(first);
    expect((await rejection(service.register(event.id, ada, 'key-2'))).code).toBe('ALREADY_REGISTERED');
    expect((await rejection(service.register(event.id, person(), 'key-1'))).code).toBe('EVENT_FULL');
  });

  it('gets the registration when it took the last seat (the batch finds no seat to try)', async () => {
    const { service, event } = setUp({ capacity: 1, waitlistEnabled: false });
    const ada = person();
    const first = await service.register(event.id, ada, 'key-1');

    expect(await service.register(event.id, ada, 'key-1')).toEqual(first);
    const other = await rejection(service.register(event.id, ada, 'key-2'));
    expect(other.code).toBe('ALREADY_REGISTERED');
    expect(other.details.registration).toEqual(toRegistrationMessage(first));
  });

  it('does not answer with a registration that was cancelled since', async () => {
    const { service, store, event } = setUp();
    const ada = person();
    const first = await service.register(event.id, ada, 'key-1');
    // Cancelled between the lookup of the active one and its read: the retry is told, not given it.
    store.cancelAll();

    const error = await rejection(service.register(event.id, ada, 'key-1'));

    expect(error.code).toBe('ALREADY_REGISTERED');
    expect(error.details.registration).toMatchObject({ id: first.id, status: 'cancelled' });
  });
});

describe('a registration’s request key', () => {
  const registration: Registration = {
    id: randomUUID(),
    eventId: randomUUID(),
    userId: randomUUID(),
    holderName: 'Ada',
    status: 'confirmed',
    version: 1,
    createdAt: '2027-01-01T10:00:00.000Z',
    updatedAt: '2027-01-01T10:00:00.000Z',
    confirmedAt: '2027-01-01T10:00:00.000Z',
    shard: 0,
    checkInCode: 'ABCDEFGH',
    requestKey: 'a'.repeat(64),
    eventTitle: 'NestJS Paris',
    eventStartsAt: '2027-03-14T18:00:00.000Z',
    eventEndsAt: '2027-03-14T21:00:00.000Z',
  };

  it('is stored with the registration and read back (null when there is none)', () => {
    expect(toRegistrationDocument(registration).requestKey).toBe(registration.requestKey);
    expect(fromRegistrationDocument(registration.id, toRegistrationDocument(registration))).toEqual(registration);
    const without = { ...registration, requestKey: undefined };
    expect(toRegistrationDocument(without).requestKey).toBeNull();
    expect(fromRegistrationDocument(registration.id, toRegistrationDocument(without)).requestKey).toBeUndefined();
  });

  it('is not shown in the API', () => {
    expect(Object.keys(toRegistrationMessage(registration))).not.toContain('requestKey');
  });
});
