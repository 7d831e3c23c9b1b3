import { randomUUID } from 'node:crypto';
import { DomainError } from '@convene/common';
import { EventPublishedV1 } from '@convene/contracts';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { Outbox, outboxCollection } from '@convene/pubsub';
import type { Event } from '../../../apps/events/src/events/event';
import type { EventsRepository } from '../../../apps/events/src/events/events.repository';
import { FirestoreEventsRepository } from '../../../apps/events/src/events/firestore-events.repository';
import { InMemoryEventsRepository } from '../../../apps/events/src/events/in-memory-events.repository';

function anEvent(overrides: Partial<Event> = {}): Event {
  return {
    id: randomUUID(),
    organizerId: randomUUID(),
    status: 'draft',
    title: 'Contract test',
    description: '',
    startsAt: '2031-05-01T17:00:00.000Z',
    endsAt: '2031-05-01T20:00:00.000Z',
    timezone: 'Europe/Paris',
    venue: { name: 'Station F', address: 'Paris', lat: 48.83, lng: 2.37 },
    category: 'meetup',
    tags: ['a', 'b'],
    capacity: 10,
    waitlistEnabled: true,
    visibility: 'public',
    createdAt: '2031-01-01T00:00:00.000Z',
    updatedAt: '2031-01-01T00:00:00.000Z',
    capacityVersion: 0,
    staffIds: [],
    hasSeats: true,
    ...overrides,
  };
}

function publishedMessage(event: Event): EventPublishedV1 {
  return Object.assign(new EventPublishedV1(), {
    id: event.id,
    title: event.title,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    capacity: event.capacity,
    visibility: event.visibility,
    publishedAt: '2031-01-02T00:00:00.000Z',
  });
}

const outboxes = new WeakMap<EventsRepository, () => Promise<number>>();

describeRepositoryContract<EventsRepository>(
  'EventsRepository',
  {
    fake: () => {
      const repository = new InMemoryEventsRepository();
      outboxes.set(repository, async () => repository.published.length);
      return repository;
    },
    firestore: (db) => {
      const repository = new FirestoreEventsRepository(db, new Outbox(db, { service: 'events' }));
      outboxes.set(repository, async () => (await outboxCollection(db, 'events').count().get()).data().count);
      return repository;
    },
  },
  (repository) => {
    const outboxSize = (): Promise<number> => outboxes.get(repository())!();

    it('reads back exactly what it stored, instants as ISO strings', async () => {
      const event = anEvent({ onlineUrl: undefined, staffIds: [randomUUID()], capacityVersion: 3, hasSeats: false });
      await repository().create(event);
      expect(await repository().findById(event.id)).toEqual(event);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repository().findById(randomUUID())).toBeUndefined();
    });

    it('refuses to create the same id twice', async () => {
      const event = anEvent();
      await repository().create(event);
      await expect(repository().create(event)).rejects.toBeDefined();
    });

    it('commits a change together with its messages', async () => {
      const event = anEvent();
      await repository().create(event);
      const updated = await repository().update(event.id, (current) => {
        const next = { ...current, status: 'published' as const, publishedAt: '2031-01-02T00:00:00.000Z' };
        return { event: next, messages: [publishedMessage(next)] };
      });
      expect(updated).toMatchObject({ status: 'published', publishedAt: '2031-01-02T00:00:00.000Z' });
      expect(await repository().findById(event.id)).toEqual(updated);
      expect(await outboxSize()).toBe(1);
    });

    it('writes nothing, state or message, when the change refuses', async () => {
      const event = anEvent();
      await repository().create(event);
      await expect(
        repository().update(event.id, () => {
          throw new DomainError('EVENT_NOT_DRAFT', 'no');
        }),
      ).rejects.toMatchObject({ code: 'EVENT_NOT_DRAFT' });
      expect(await repository().findById(event.id)).toEqual(event);
      expect(await outboxSize()).toBe(0);
    });

    it('answers undefined when updating an unknown id', async () => {
      expect(await repository().update(randomUUID(), (current) => ({ event: current, messages: [] }))).toBeUndefined();
    });

    it('lists published public events by start time then id, paging exactly after a position', async () => {
      const startsAt = '2031-06-01T10:00:00.000Z';
      const same = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const event = anEvent({
            status: 'published',
            startsAt,
            endsAt: '2031-06-01T12:00:00.000Z',
            category: 'concert',
          });
          await repository().create(event);
          return event;
        }),
      );
      const earlier = anEvent({ status: 'published', startsAt: '2031-05-01T10:00:00.000Z', title: 'Jazz à Paris' });
      await repository().create(earlier);
      await repository().create(anEvent({ status: 'draft' }));
      await repository().create(anEvent({ status: 'published', visibility: 'unlisted' }));

      const expected = [earlier.id, ...same.map((e) => e.id).sort()];
      const first = await repository().listPublic({ limit: 3 });
      expect(first.items.map((e) => e.id)).toEqual(expected.slice(0, 3));
      expect(first.hasMore).toBe(true);
      const last = first.items[2];
      const second = await repository().listPublic({ limit: 3, after: { startsAt: last.startsAt, id: last.id } });
      expect(second.items.map((e) => e.id)).toEqual(expected.slice(3));
      expect(second.hasMore).toBe(false);

      expect((await repository().listPublic({ limit: 10, q: 'jazz' })).items.map((e) => e.id)).toEqual([earlier.id]);
      expect((await repository().listPublic({ limit: 10, category: 'concert' })).items).toHaveLength(4);
    });

    it('sets hasSeats only on a published event whose capacity is still the given one', async () => {
      const published = anEvent({ status: 'published', capacity: 10 });
      const draft = anEvent({ status: 'draft', capacity: 10 });
      await repository().create(published);
      await repository().create(draft);

      await repository().setHasSeats(published.id, false, { capacity: 9 }); // computed for another capacity
      await repository().setHasSeats(draft.id, false, { capacity: 10 });
      expect((await repository().findById(published.id))!.hasSeats).toBe(true);
      expect((await repository().findById(draft.id))!.hasSeats).toBe(true);

      await repository().setHasSeats(published.id, false, { capacity: 10 });
      expect(await repository().findById(published.id)).toEqual({ ...published, hasSeats: false });
      await expect(repository().setHasSeats(randomUUID(), false, { capacity: 10 })).resolves.toBeUndefined();
      expect(await outboxSize()).toBe(0);
    });

    it('lists only events with seats left when asked', async () => {
      const category = 'exhibition'; // only this test's events
      const full = anEvent({ status: 'published', category, hasSeats: false, title: 'Full house' });
      const open = anEvent({ status: 'published', category, hasSeats: true, title: 'Open house' });
      await repository().create(full);
      await repository().create(open);
      const ids = async (filter: { hasSeats?: boolean; q?: string }) =>
        (await repository().listPublic({ limit: 10, category, ...filter })).items.map((e) => e.id).sort();

      expect(await ids({ hasSeats: true })).toEqual([open.id]);
      expect(await ids({ hasSeats: true, q: 'house' })).toEqual([open.id]);
      expect(await ids({})).toEqual([full.id, open.id].sort());
    });

    it("lists an organizer's events in every state, paging like the public listing", async () => {
      const organizerId = randomUUID();
      const mine = [
        anEvent({ organizerId, status: 'draft', startsAt: '2031-07-03T10:00:00.000Z' }),
        anEvent({ organizerId, status: 'published', startsAt: '2031-07-01T10:00:00.000Z' }),
        anEvent({ organizerId, status: 'cancelled', startsAt: '2031-07-02T10:00:00.000Z' }),
      ];
      for (const event of mine) await repository().create(event);
      await repository().create(anEvent());

      const first = await repository().listByOrganizer(organizerId, { limit: 2 });
      expect(first.items.map((e) => e.status)).toEqual(['published', 'cancelled']);
      expect(first.hasMore).toBe(true);
      const second = await repository().listByOrganizer(organizerId, { limit: 2, after: first.items[1] });
      expect(second.items.map((e) => e.status)).toEqual(['draft']);
      expect(second.hasMore).toBe(false);
    });
  },
);
