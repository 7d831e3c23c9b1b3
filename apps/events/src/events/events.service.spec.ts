import { randomUUID } from 'node:crypto';
import { Clock, DomainError, type Identity } from '@convene/common';
import { EventCancelledV1, EventCapacityChangedV1, EventPublishedV1, EventUpdatedV1 } from '@convene/contracts';
import { InMemoryRatingProjectionRepository } from '../ratings/in-memory-rating-projection.repository';
import { InMemorySeatProjectionRepository } from '../seats/in-memory-seat-projection.repository';
import { SeatAuthority, type CapacityResize, type CapacitySnapshot } from '../seats/seat-authority';
import type { Event, NewEvent } from './event';
import { EventsService, STAFF_MAX } from './events.service';
import { InMemoryEventsRepository } from './in-memory-events.repository';

const NOW = new Date('2030-01-01T12:00:00Z');
const ORGANIZER: Identity = { userId: 'organizer-1', roles: ['attendee', 'organizer'] };
const OTHER_ORGANIZER: Identity = { userId: 'organizer-2', roles: ['attendee', 'organizer'] };
const ATTENDEE: Identity = { userId: 'attendee-1', roles: ['attendee'] };
const ADMIN: Identity = { userId: 'admin-1', roles: ['attendee', 'admin'] };

class FixedClock extends Clock {
  constructor(public instant: Date) {
    super();
  }
  override now(): Date {
    return this.instant;
  }
}

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    title: 'NestJS Paris',
    description: '',
    startsAt: '2030-02-01T19:00:00+01:00',
    endsAt: '2030-02-01T22:00:00+01:00',
    timezone: 'Europe/Paris',
    venue: { name: 'Station F', address: 'Paris' },
    category: 'meetup',
    tags: [],
    capacity: 100,
    waitlistEnabled: true,
    visibility: 'public',
    ...overrides,
  };
}

/**
 * Registrations as the events service sees it: records what it was asked, and answers each call with
 * `answer` (by default: agrees, counting its versions up from 1, with `confirmed` seats taken).
 */
class FakeSeatAuthority extends SeatAuthority {
  readonly calls: Array<{ event: CapacitySnapshot; capacity: number; actor: Identity }> = [];
  confirmed = 0;
  private version = 0;
  answer: (capacity: number) => Promise<CapacityResize> = async (capacity) => ({
    capacity,
    capacityVersion: ++this.version,
    confirmed: this.confirmed,
    promoted: 0,
  });

  async resize(event: CapacitySnapshot, capacity: number, actor: Identity): Promise<CapacityResize> {
    this.calls.push({ event, capacity, actor });
    return this.answer(capacity);
  }
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('EventsService', () => {
  let repository: InMemoryEventsRepository;
  let seats: InMemorySeatProjectionRepository;
  let ratings: InMemoryRatingProjectionRepository;
  let authority: FakeSeatAuthority;
  let clock: FixedClock;
  let service: EventsService;
  const build = (ttlMs: number) => new EventsService(repository, seats, ratings, authority, clock, { ttlMs });

  beforeEach(() => {
    repository = new InMemoryEventsRepository();
    seats = new InMemorySeatProjectionRepository();
    ratings = new InMemoryRatingProjectionRepository();
    authority = new FakeSeatAuthority();
    clock = new FixedClock(NOW);
    service = build(0);
  });

  describe('create', () => {
    it('stores a draft with times normalised to UTC', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      expect(event).toMatchObject({
        status: 'draft',
        startsAt: '2030-02-01T18:00:00.000Z',
        createdAt: NOW.toISOString(),
      });
      expect(await service.get(event.id, ORGANIZER)).toEqual(event);
      expect(repository.published).toEqual([]);
    });

    it.each<[string, Partial<NewEvent>, string]>([
      ['an end before the start', { endsAt: '2030-02-01T18:00:00+01:00' }, 'endsAt'],
      ['an end equal to the start', { endsAt: '2030-02-01T19:00:00+01:00' }, 'endsAt'],
      ['a start in the past', { startsAt: '2029-12-31T10:00:00Z', endsAt: '2029-12-31T12:00:00Z' }, 'startsAt'],
      ['an unknown zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
      ['a zone-like injection', { timezone: '../../etc' }, 'timezone'],
      ['both venue and URL', { onlineUrl: 'https://meet.example.com/x' }, 'venue'],
      ['neither venue nor URL', { venue: undefined }, 'venue'],
      ['duplicate tags', { tags: ['a', 'a'] }, 'tags'],
    ])('refuses %s, naming %s, and stores nothing', async (_case, overrides, field) => {
      const error = await rejection(service.create(newEvent(overrides), ORGANIZER));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await repository.findById('any')).toBeUndefined();
    });

    it('accepts UTC and zone aliases', async () => {
      await expect(service.create(newEvent({ timezone: 'UTC' }), ORGANIZER)).resolves.toBeDefined();
      await expect(service.create(newEvent({ timezone: 'Asia/Calcutta' }), ORGANIZER)).resolves.toBeDefined();
    });
  });

  describe('get', () => {
    it('answers EVENT_NOT_FOUND for an unknown id', async () => {
      expect((await rejection(service.get('missing', ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
    });
  });

  describe('ownership', () => {
    it('records the creating organizer, and refuses attendees', async () => {
      expect((await service.create(newEvent(), ORGANIZER)).organizerId).toBe('organizer-1');
      expect((await rejection(service.create(newEvent(), ATTENDEE))).code).toBe('FORBIDDEN');
    });

    it('shows a draft only to its organizer and admins', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      await expect(service.get(draft.id, ORGANIZER)).resolves.toMatchObject({ id: draft.id });
      await expect(service.get(draft.id, ADMIN)).resolves.toMatchObject({ id: draft.id });
      expect((await rejection(service.get(draft.id, OTHER_ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
      expect((await rejection(service.get(draft.id, undefined))).code).toBe('EVENT_NOT_FOUND');
      await service.publish(draft.id, ORGANIZER);
      await expect(service.get(draft.id, undefined)).resolves.toMatchObject({ status: 'published' });
    });

    it('lets only its organizer or an admin publish, without revealing others’ drafts', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      expect((await rejection(service.publish(draft.id, OTHER_ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
      await expect(service.publish(draft.id, ADMIN)).resolves.toMatchObject({ status: 'published' });
      expect((await rejection(service.publish(draft.id, OTHER_ORGANIZER))).code).toBe('FORBIDDEN');
      expect(repository.published).toHaveLength(1);
    });
  });

  describe('publish', () => {
    it('publishes a draft and emits one event.published with its details', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      clock.instant = new Date('2030-01-02T00:00:00Z');

      const published = await service.publish(draft.id, ORGANIZER);

      expect(published).toMatchObject({ status: 'published', publishedAt: '2030-01-02T00:00:00.000Z' });
      expect(repository.published).toHaveLength(1);
      const message = repository.published[0] as EventPublishedV1;
      expect(message).toBeInstanceOf(EventPublishedV1);
      expect(message).toMatchObject({
        id: draft.id,
        title: 'NestJS Paris',
        capacity: 100,
        venue: { name: 'Station F' },
      });
    });

    it('refuses to publish twice, and emits nothing the second time', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      await service.publish(draft.id, ORGANIZER);
      expect((await rejection(service.publish(draft.id, ORGANIZER))).code).toBe('EVENT_NOT_DRAFT');
      expect(repository.published).toHaveLength(1);
    });

    it('refuses an event that has already started', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      clock.instant = new Date('2030-02-01T18:30:00Z');
      expect((await rejection(service.publish(draft.id, ORGANIZER))).code).toBe('UNPROCESSABLE');
      expect(repository.published).toHaveLength(0);
    });

    it('answers EVENT_NOT_FOUND for an unknown id', async () => {
      expect((await rejection(service.publish('missing', ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
    });
  });

  describe('cancel', () => {
    it('cancels a published event, keeps the reason, and announces it once', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      await service.publish(event.id, ORGANIZER);
      const cancelled = await service.cancel(event.id, ORGANIZER, 'Venue flooded');
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'Venue flooded',
        cancelledAt: NOW.toISOString(),
      });
      expect(repository.published.filter((m) => m instanceof EventCancelledV1)).toEqual([
        expect.objectContaining({ id: event.id, reason: 'Venue flooded' }),
      ]);
      expect((await rejection(service.cancel(event.id, ORGANIZER, 'again'))).code).toBe('EVENT_ALREADY_CANCELLED');
      expect((await rejection(service.publish(event.id, ORGANIZER))).code).toBe('EVENT_NOT_DRAFT');
    });

    it('withdraws a draft without announcing anything', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      await service.cancel(draft.id, ORGANIZER, 'Changed our minds');
      expect(repository.published).toEqual([]);
    });

    it('refuses other organizers and ended events', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      await service.publish(event.id, ORGANIZER);
      expect((await rejection(service.cancel(event.id, OTHER_ORGANIZER, 'mine now'))).code).toBe('FORBIDDEN');
      clock.instant = new Date('2030-02-02T00:00:00Z');
      expect((await rejection(service.cancel(event.id, ORGANIZER, 'late'))).code).toBe('UNPROCESSABLE');
    });
  });

  describe('list', () => {
    async function published(overrides: Partial<NewEvent> = {}) {
      const event = await service.create(newEvent(overrides), ORGANIZER);
      return service.publish(event.id, ORGANIZER);
    }

    it('walks every public published event once, in start order, across equal start times', async () => {
      const created: Event[] = [];
      for (let i = 0; i < 7; i++)
        created.push(await published({ startsAt: '2030-03-01T10:00:00Z', endsAt: '2030-03-01T12:00:00Z' }));
      for (let i = 0; i < 3; i++)
        created.push(
          await published({ startsAt: `2030-02-0${i + 1}T10:00:00Z`, endsAt: `2030-02-0${i + 1}T12:00:00Z` }),
        );
      await service.create(newEvent(), ORGANIZER); // a draft: never listed
      await published({ visibility: 'unlisted' }); // unlisted: never listed

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await service.list({ limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);

      expect(seen).toHaveLength(10);
      expect(new Set(seen).size).toBe(10);
      const order = seen.map((id) => created.find((e) => e.id === id)!.startsAt);
      expect([...order].sort()).toEqual(order);
    });

    it('filters by word (accents and case ignored), category, organizer and dates', async () => {
      const cafe = await published({ title: 'Café-Théâtre night', tags: ['Improv'], category: 'concert' });
      await published({ title: 'Other', startsAt: '2030-04-01T10:00:00Z', endsAt: '2030-04-01T12:00:00Z' });
      expect((await service.list({ limit: 10, q: 'THEATRE' })).items.map((e) => e.id)).toEqual([cafe.id]);
      expect((await service.list({ limit: 10, q: 'improv' })).items.map((e) => e.id)).toEqual([cafe.id]);
      expect((await service.list({ limit: 10, category: 'concert' })).items.map((e) => e.id)).toEqual([cafe.id]);
      expect((await service.list({ limit: 10, organizerId: 'nobody' })).items).toEqual([]);
      expect((await service.list({ limit: 10, from: '2030-03-15T00:00:00Z' })).items.map((e) => e.title)).toEqual([
        'Other',
      ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a limit above 100', { limit: 101 }, 'limit'],
      ['two words', { limit: 10, q: 'jazz night' }, 'q'],
      ['punctuation only', { limit: 10, q: '!!' }, 'q'],
      ['to before from', { limit: 10, from: '2030-03-02T00:00:00Z', to: '2030-03-01T00:00:00Z' }, 'to'],
      ['a forged cursor', { limit: 10, cursor: 'bm9wZQ' }, 'cursor'],
    ])('refuses %s, naming %s', async (_case, input, field) => {
      const error = await rejection(service.list(input as never));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([expect.objectContaining({ field })]);
    });
  });

  describe('public read cache', () => {
    it('serves a published event and a listing page from memory within the TTL, never a draft', async () => {
      const cached = build(2000);
      const reads = jest.spyOn(repository, 'findById');
      const lists = jest.spyOn(repository, 'listPublic');
      const draft = await cached.create(newEvent(), ORGANIZER);
      await cached.get(draft.id, ORGANIZER);
      await cached.get(draft.id, ORGANIZER);
      expect(reads).toHaveBeenCalledTimes(2); // drafts are always read

      await cached.publish(draft.id, ORGANIZER);
      reads.mockClear();
      await cached.get(draft.id, undefined);
      await cached.get(draft.id, undefined);
      await cached.list({ limit: 5 });
      await cached.list({ limit: 5 });
      expect(reads).toHaveBeenCalledTimes(1);
      expect(lists).toHaveBeenCalledTimes(1);

      clock.instant = new Date(NOW.getTime() + 2001);
      await cached.get(draft.id, undefined);
      expect(reads).toHaveBeenCalledTimes(2);
    });

    it('forgets at once what this replica changes', async () => {
      const cached = build(60_000);
      const event = await cached.create(newEvent(), ORGANIZER);
      await cached.publish(event.id, ORGANIZER);
      expect((await cached.list({ limit: 5 })).items).toHaveLength(1);
      expect((await cached.get(event.id, undefined)).status).toBe('published');

      await cached.cancel(event.id, ORGANIZER, 'Rain');

      expect((await cached.get(event.id, undefined)).status).toBe('cancelled');
      expect((await cached.list({ limit: 5 })).items).toHaveLength(0);
    });
  });

  describe('update', () => {
    it('changes only the given fields and announces what changed on a published event', async () => {
      const event = await service.create(newEvent({ description: 'Keep me' }), ORGANIZER);
      await service.publish(event.id, ORGANIZER);
      const updated = await service.update(event.id, ORGANIZER, {
        title: 'NestJS Paris, March',
        startsAt: '2030-02-01T20:00:00+01:00',
      });
      expect(updated).toMatchObject({
        title: 'NestJS Paris, March',
        description: 'Keep me',
        startsAt: '2030-02-01T19:00:00.000Z',
      });
      const announced = repository.published.filter((m) => m instanceof EventUpdatedV1) as EventUpdatedV1[];
      expect(announced).toHaveLength(1);
      expect(announced[0].changes).toEqual(['title', 'startsAt']);
    });

    it('switches between a venue and an online URL, and announces nothing for a draft or no change', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      const online = await service.update(draft.id, ORGANIZER, { onlineUrl: 'https://meet.example.com/x' });
      expect(online.venue).toBeUndefined();
      expect(online.onlineUrl).toBe('https://meet.example.com/x');
      await service.update(draft.id, ORGANIZER, { title: online.title });
      expect(repository.published).toEqual([]);
    });

    it('keeps every creation rule on the merged event', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      const error = await rejection(service.update(event.id, ORGANIZER, { endsAt: '2030-02-01T18:00:00+01:00' }));
      expect(error.details.errors).toEqual([expect.objectContaining({ field: 'endsAt' })]);
      expect((await rejection(service.update(event.id, ORGANIZER, { timezone: 'Mars/Base' }))).code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('lets an event in progress change its description, but not move its start into the past', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      clock.instant = new Date('2030-02-01T18:30:00Z'); // started, not ended
      await expect(service.update(event.id, ORGANIZER, { description: 'Doors open' })).resolves.toBeDefined();
      const error = await rejection(service.update(event.id, ORGANIZER, { startsAt: '2030-02-01T17:00:00Z' }));
      expect(error.details.errors).toEqual([expect.objectContaining({ field: 'startsAt' })]);
    });

    it('refuses others, cancelled and ended events', async () => {
      const event = await service.create(newEvent(), ORGANIZER);
      expect((await rejection(service.update(event.id, OTHER_ORGANIZER, { title: 'x' }))).code).toBe('EVENT_NOT_FOUND');
      await service.cancel(event.id, ORGANIZER, 'No');
      expect((await rejection(service.update(event.id, ORGANIZER, { title: 'x' }))).code).toBe(
        'EVENT_ALREADY_CANCELLED',
      );
      const other = await service.create(newEvent(), ORGANIZER);
      clock.instant = new Date('2030-02-02T00:00:00Z');
      expect((await rejection(service.update(other.id, ORGANIZER, { title: 'x' }))).code).toBe('UNPROCESSABLE');
    });
  });

  describe('staff', () => {
    const STAFF: Identity = { userId: 'staff-1', roles: ['attendee'] };

    async function publishedEvent(): Promise<Event> {
      const event = await service.create(newEvent(), ORGANIZER);
      return service.publish(event.id, ORGANIZER);
    }

    it('grants and removes staff idempotently, announcing nothing', async () => {
      const event = await publishedEvent();
      await service.addStaff(event.id, ORGANIZER, 'staff-1');
      expect((await service.addStaff(event.id, ORGANIZER, 'staff-1')).staffIds).toEqual(['staff-1']);
      expect((await service.addStaff(event.id, ADMIN, 'staff-2')).staffIds).toEqual(['staff-1', 'staff-2']);
      expect((await service.removeStaff(event.id, ORGANIZER, 'staff-1')).staffIds).toEqual(['staff-2']);
      expect((await service.removeStaff(event.id, ORGANIZER, 'staff-1')).staffIds).toEqual(['staff-2']);
      expect((await repository.findById(event.id))!.staffIds).toEqual(['staff-2']);
      expect(repository.published.filter((m) => !(m instanceof EventPublishedV1))).toEqual([]);
    });

    it('lets only the organizer or an admin change staff, as for other changes', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      expect((await rejection(service.addStaff(draft.id, OTHER_ORGANIZER, 'x'))).code).toBe('EVENT_NOT_FOUND');
      await service.publish(draft.id, ORGANIZER);
      expect((await rejection(service.addStaff(draft.id, OTHER_ORGANIZER, 'x'))).code).toBe('FORBIDDEN');
      expect((await rejection(service.removeStaff(draft.id, ATTENDEE, 'x'))).code).toBe('FORBIDDEN');
      expect((await rejection(service.addStaff('missing', ORGANIZER, 'x'))).code).toBe('EVENT_NOT_FOUND');
      expect((await repository.findById(draft.id))!.staffIds).toEqual([]);
    });

    it(`refuses more than ${STAFF_MAX} staff, but re-granting one of them still succeeds`, async () => {
      const event = await publishedEvent();
      for (let i = 0; i < STAFF_MAX; i++) await service.addStaff(event.id, ORGANIZER, `staff-${i}`);
      const error = await rejection(service.addStaff(event.id, ORGANIZER, 'one-too-many'));
      expect(error.code).toBe('UNPROCESSABLE');
      expect(error.details).toEqual({ max: STAFF_MAX });
      await expect(service.addStaff(event.id, ORGANIZER, 'staff-0')).resolves.toBeDefined();
      expect((await repository.findById(event.id))!.staffIds).toHaveLength(STAFF_MAX);
    });

    it('refuses an empty user id (naming userId), and cancelled or ended events', async () => {
      const event = await publishedEvent();
      const error = await rejection(service.addStaff(event.id, ORGANIZER, ''));
      expect(error.details.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
      await service.cancel(event.id, ORGANIZER, 'Rain');
      expect((await rejection(service.addStaff(event.id, ORGANIZER, 'x'))).code).toBe('EVENT_ALREADY_CANCELLED');
      const ended = await publishedEvent();
      clock.instant = new Date('2030-02-02T00:00:00Z');
      expect((await rejection(service.removeStaff(ended.id, ORGANIZER, 'x'))).code).toBe('UNPROCESSABLE');
    });

    it('shows the staff list only to the organizer, admins and the staff themselves', async () => {
      const cached = build(60_000); // the cached copy must not leak it either
      const event = await publishedEvent();
      await cached.addStaff(event.id, ORGANIZER, STAFF.userId);
      for (const viewer of [ORGANIZER, ADMIN, STAFF]) {
        expect((await cached.get(event.id, viewer)).staffIds).toEqual([STAFF.userId]);
      }
      for (const viewer of [OTHER_ORGANIZER, ATTENDEE, undefined]) {
        expect((await cached.get(event.id, viewer)).staffIds).toEqual([]);
        expect((await cached.list({ limit: 5 }, viewer)).items[0].staffIds).toEqual([]);
      }
      expect((await cached.list({ limit: 5 }, STAFF)).items[0].staffIds).toEqual([STAFF.userId]);
      expect((await cached.listOwn(ORGANIZER, { limit: 5 })).items[0].staffIds).toEqual([STAFF.userId]);
    });

    it('lists the staff, in the order granted, to the organizer, admins and the staff only', async () => {
      const event = await publishedEvent();
      await service.addStaff(event.id, ORGANIZER, STAFF.userId);
      await service.addStaff(event.id, ORGANIZER, 'staff-2');
      for (const viewer of [ORGANIZER, ADMIN, STAFF]) {
        expect(await service.listStaff(event.id, viewer)).toEqual([STAFF.userId, 'staff-2']);
      }
      for (const viewer of [OTHER_ORGANIZER, ATTENDEE]) {
        expect((await rejection(service.listStaff(event.id, viewer))).code).toBe('FORBIDDEN');
      }
    });

    it('hides a draft’s staff list as it hides the draft, and refuses an id that is not a uuid', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      expect(await service.listStaff(draft.id, ORGANIZER)).toEqual([]);
      expect((await rejection(service.listStaff(draft.id, OTHER_ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
      expect((await rejection(service.listStaff(randomUUID(), ORGANIZER))).code).toBe('EVENT_NOT_FOUND');
      const error = await rejection(service.listStaff('a/b', ORGANIZER));
      expect(error.details.errors).toEqual([expect.objectContaining({ field: 'eventId' })]);
    });
  });

  describe('capacity', () => {
    /** The event as stored (without what a reader gets added). */
    async function publishedEvent(capacity = 100): Promise<Event> {
      const event = await service.create(newEvent({ capacity }), ORGANIZER);
      const { rating: _rating, ...stored } = await service.publish(event.id, ORGANIZER);
      return stored;
    }

    it('starts at capacity version 0 and stores a draft’s new capacity without asking registrations', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      expect(draft.capacityVersion).toBe(0);
      const updated = await service.update(draft.id, ORGANIZER, { capacity: 40 });
      expect(updated).toMatchObject({ capacity: 40, capacityVersion: 0 });
      expect((await repository.findById(draft.id))!.capacity).toBe(40);
      expect(authority.calls).toEqual([]);
      expect(repository.published).toEqual([]);
    });

    it('resizes a published event in registrations first, acting for the caller, then records and announces it', async () => {
      const event = await publishedEvent(100);
      authority.confirmed = 150;

      const updated = await service.update(event.id, ORGANIZER, { capacity: 150, title: 'Bigger room' });

      expect(authority.calls).toEqual([
        {
          event: { id: event.id, organizerId: ORGANIZER.userId, capacity: 100, capacityVersion: 0 },
          capacity: 150,
          actor: ORGANIZER,
        },
      ]);
      expect(updated).toMatchObject({ capacity: 150, capacityVersion: 1, title: 'Bigger room', hasSeats: false });
      expect(await repository.findById(event.id)).toMatchObject({ capacity: 150, capacityVersion: 1 });
      const changed = repository.published.filter((m) => m instanceof EventCapacityChangedV1);
      expect(changed).toEqual([
        expect.objectContaining({ id: event.id, capacity: 150, previousCapacity: 100, capacityVersion: 1 }),
      ]);
      // Capacity has its own message; event.updated names only the other fields.
      const updates = repository.published.filter((m) => m instanceof EventUpdatedV1) as EventUpdatedV1[];
      expect(updates.map((m) => m.changes)).toEqual([['title']]);
    });

    it('passes registrations’ refusal on unchanged (409 with the confirmed count) and writes nothing', async () => {
      const event = await publishedEvent(100);
      const messagesBefore = repository.published.length;
      authority.answer = async () => {
        throw new DomainError('CAPACITY_BELOW_CONFIRMED', 'capacity 10 is below the 42 confirmed', { confirmed: 42 });
      };

      const error = await rejection(service.update(event.id, ORGANIZER, { capacity: 10, title: 'Smaller' }));

      expect(error.code).toBe('CAPACITY_BELOW_CONFIRMED');
      expect(error.details).toEqual({ confirmed: 42 });
      expect(await repository.findById(event.id)).toEqual(event);
      expect(repository.published).toHaveLength(messagesBefore);
    });

    it('records only a newer capacity version, so concurrent changes end on the last registrations applied', async () => {
      const event = await publishedEvent(100);
      const answers: Array<(resize: CapacityResize) => void> = [];
      authority.answer = () => new Promise((resolve) => answers.push(resolve));

      // Registrations applies 80 (version 1) then 120 (version 2), but events hears of 120 first.
      const toEighty = service.update(event.id, ORGANIZER, { capacity: 80 });
      const toHundredTwenty = service.update(event.id, ORGANIZER, { capacity: 120, description: 'Balcony open' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(answers).toHaveLength(2);
      answers[1]({ capacity: 120, capacityVersion: 2, confirmed: 0, promoted: 0 });
      await toHundredTwenty;
      answers[0]({ capacity: 80, capacityVersion: 1, confirmed: 0, promoted: 0 });
      const late = await toEighty;

      expect(late).toMatchObject({ capacity: 120, capacityVersion: 2, description: 'Balcony open' });
      expect(await repository.findById(event.id)).toMatchObject({ capacity: 120, capacityVersion: 2 });
      const changed = repository.published.filter((m) => m instanceof EventCapacityChangedV1);
      expect(changed).toEqual([expect.objectContaining({ capacity: 120, capacityVersion: 2 })]);
    });

    it('checks the capacity and every other field before asking registrations', async () => {
      const event = await publishedEvent();
      for (const capacity of [0, 1_000_001, 2.5]) {
        const error = await rejection(service.update(event.id, ORGANIZER, { capacity }));
        expect(error.details.errors).toEqual([expect.objectContaining({ field: 'capacity' })]);
      }
      const badDates = await rejection(
        service.update(event.id, ORGANIZER, { capacity: 50, endsAt: '2030-02-01T18:00:00+01:00' }),
      );
      expect(badDates.details.errors).toEqual([expect.objectContaining({ field: 'endsAt' })]);
      expect((await rejection(service.update(event.id, OTHER_ORGANIZER, { capacity: 50 }))).code).toBe('FORBIDDEN');
      await service.cancel(event.id, ORGANIZER, 'Rain');
      expect((await rejection(service.update(event.id, ORGANIZER, { capacity: 50 }))).code).toBe(
        'EVENT_ALREADY_CANCELLED',
      );
      expect(authority.calls).toEqual([]);
    });

    it('refuses to record a capacity read on a draft that was published meanwhile', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      const read = repository.findById.bind(repository);
      // The event is published between the update's first read and its transaction.
      jest.spyOn(repository, 'findById').mockImplementationOnce(async (id) => {
        const found = await read(id);
        await service.publish(draft.id, ORGANIZER);
        return found;
      });
      const error = await rejection(service.update(draft.id, ORGANIZER, { capacity: 60 }));
      expect(error.code).toBe('CONFLICT');
      expect((await repository.findById(draft.id))!.capacity).toBe(100);
      expect(authority.calls).toEqual([]);
    });
  });

  describe('seat counts', () => {
    it('shows a published event’s counts from the projection: in a read, the public list and the organizer’s', async () => {
      const draft = await service.create(newEvent({ capacity: 2 }), ORGANIZER);
      expect(await service.get(draft.id, ORGANIZER)).not.toHaveProperty('confirmedCount');
      await service.publish(draft.id, ORGANIZER);
      const seat = (registrationId: string, status: 'confirmed' | 'waitlisted') => ({
        eventId: draft.id,
        registrationId,
        status,
        version: 1,
      });
      await seats.apply(seat('r1', 'confirmed'));
      await seats.apply(seat('r2', 'confirmed'));
      await seats.apply(seat('r3', 'confirmed')); // more than capacity: seatsLeft stays at 0
      await seats.apply(seat('r4', 'waitlisted'));

      const counts = { confirmedCount: 3, waitlistedCount: 1, seatsLeft: 0 };
      expect(await service.get(draft.id, undefined)).toMatchObject(counts);
      expect((await service.listOwn(ORGANIZER, { limit: 5 })).items[0]).toMatchObject(counts);
      // The public list too, so a listing page needs no availability request per event.
      expect((await service.list({ limit: 5 })).items.find((event) => event.id === draft.id)).toMatchObject(counts);
    });

    it('lists only events with seats left when asked, and a capacity raise reopens a full one', async () => {
      const full = await service.publish((await service.create(newEvent({ capacity: 2 }), ORGANIZER)).id, ORGANIZER);
      const open = await service.publish((await service.create(newEvent(), ORGANIZER)).id, ORGANIZER);
      await repository.setHasSeats(full.id, false, { capacity: 2 });
      const withSeats = async () => (await service.list({ limit: 10, hasSeats: true })).items.map((e) => e.id);

      expect(await withSeats()).toEqual([open.id]);
      expect((await service.list({ limit: 10, hasSeats: false })).items).toHaveLength(2);

      authority.confirmed = 2;
      await service.update(full.id, ORGANIZER, { capacity: 3 });
      expect((await withSeats()).sort()).toEqual([full.id, open.id].sort());
    });
  });

  describe('rating summary', () => {
    const NONE = { count: 0, histogram: [0, 0, 0, 0, 0] };
    const review = (eventId: string, reviewId: string, rating: number, counted = true, version = 1) => ({
      eventId,
      reviewId,
      rating,
      counted,
      version,
    });

    it('is empty on a new draft, and in every response about it', async () => {
      const draft = await service.create(newEvent(), ORGANIZER);
      expect(draft.rating).toEqual(NONE);
      expect((await service.get(draft.id, ORGANIZER)).rating).toEqual(NONE);
      expect((await service.publish(draft.id, ORGANIZER)).rating).toEqual(NONE);
      expect((await service.get(draft.id, undefined)).rating).toEqual(NONE);
      expect((await service.list({ limit: 5 })).items[0].rating).toEqual(NONE);
    });

    it('shows the visible reviews in a read, the listing, the organizer’s list and change responses', async () => {
      const event = await service.publish((await service.create(newEvent(), ORGANIZER)).id, ORGANIZER);
      const other = await service.publish((await service.create(newEvent(), ORGANIZER)).id, ORGANIZER);
      await ratings.apply(review(event.id, 'a', 5));
      await ratings.apply(review(event.id, 'b', 4));
      await ratings.apply(review(event.id, 'c', 4));
      await ratings.apply(review(event.id, 'd', 1, false)); // hidden
      await ratings.apply(review(other.id, 'e', 2));

      const expected = { count: 3, average: 4.33, histogram: [0, 0, 0, 2, 1] };
      expect((await service.get(event.id, undefined)).rating).toEqual(expected);
      const listed = (await service.list({ limit: 5 })).items;
      expect(listed.find((e) => e.id === event.id)!.rating).toEqual(expected);
      expect(listed.find((e) => e.id === other.id)!.rating).toEqual({
        count: 1,
        average: 2,
        histogram: [0, 1, 0, 0, 0],
      });
      const own = (await service.listOwn(ORGANIZER, { limit: 5 })).items;
      expect(own.find((e) => e.id === event.id)!.rating).toEqual(expected);
      expect((await service.update(event.id, ORGANIZER, { title: 'Renamed' })).rating).toEqual(expected);
      expect((await service.cancel(event.id, ORGANIZER, 'Rain')).rating).toEqual(expected);
    });
  });
});
