import type { Event } from '../events/event';
import { InMemoryEventsRepository } from '../events/in-memory-events.repository';
import { HasSeatsRefresher } from './has-seats-refresher';
import { InMemorySeatProjectionRepository } from './in-memory-seat-projection.repository';

const EVENT: Event = {
  id: 'event-1',
  organizerId: 'organizer-1',
  status: 'published',
  title: 'Sold out soon',
  description: '',
  startsAt: '2030-02-01T18:00:00.000Z',
  endsAt: '2030-02-01T21:00:00.000Z',
  timezone: 'Europe/Paris',
  venue: { name: 'Station F', address: 'Paris' },
  category: 'meetup',
  tags: [],
  capacity: 2,
  capacityVersion: 0,
  waitlistEnabled: true,
  visibility: 'public',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  publishedAt: '2030-01-01T00:00:00.000Z',
  staffIds: [],
  hasSeats: true,
};

describe('HasSeatsRefresher', () => {
  let events: InMemoryEventsRepository;
  let seats: InMemorySeatProjectionRepository;
  let refresher: HasSeatsRefresher;

  const confirm = (registrationId: string) =>
    seats.apply({ eventId: EVENT.id, registrationId, status: 'confirmed', version: 1 });
  const hasSeats = async () => (await events.findById(EVENT.id))!.hasSeats;

  beforeEach(async () => {
    jest.useFakeTimers();
    events = new InMemoryEventsRepository();
    seats = new InMemorySeatProjectionRepository();
    refresher = new HasSeatsRefresher(events, seats, { delayMs: 1000 });
    await events.create(EVENT);
  });

  afterEach(() => {
    refresher.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('recomputes the flag once per delay however many messages arrive, after the last of them', async () => {
    const writes = jest.spyOn(events, 'setHasSeats');
    const reads = jest.spyOn(seats, 'counts');
    await confirm('r1');
    refresher.schedule(EVENT.id);
    await jest.advanceTimersByTimeAsync(500);
    await confirm('r2'); // fills the event
    refresher.schedule(EVENT.id);
    expect(reads).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(500);

    expect(reads).toHaveBeenCalledTimes(1);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await hasSeats()).toBe(false);
  });

  it('writes the event only when the flag flips', async () => {
    const writes = jest.spyOn(events, 'setHasSeats');
    await confirm('r1');
    refresher.schedule(EVENT.id);
    await jest.advanceTimersByTimeAsync(1000);
    expect(writes).not.toHaveBeenCalled();
    expect(await hasSeats()).toBe(true);
  });

  it('leaves the flag to a capacity change that happened after it was computed', async () => {
    await confirm('r1');
    await confirm('r2');
    // The capacity grows (and the change sets the flag) between the refresh's read and its write.
    jest.spyOn(seats, 'counts').mockImplementationOnce(async () => {
      await events.update(EVENT.id, (current) => ({
        event: { ...current, capacity: 10, capacityVersion: 1, hasSeats: true },
        messages: [],
      }));
      return { confirmed: 2, waitlisted: 0 };
    });
    await refresher.refresh(EVENT.id);
    expect(await hasSeats()).toBe(true);
  });

  it('retries a failed refresh after the delay', async () => {
    await confirm('r1');
    await confirm('r2');
    jest.spyOn(seats, 'counts').mockRejectedValueOnce(new Error('Firestore unavailable'));
    refresher.schedule(EVENT.id);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await hasSeats()).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await hasSeats()).toBe(false);
  });

  it('ignores events that are not published', async () => {
    await events.update(EVENT.id, (current) => ({ event: { ...current, status: 'cancelled' }, messages: [] }));
    await confirm('r1');
    await confirm('r2');
    await refresher.refresh(EVENT.id);
    expect(await hasSeats()).toBe(true);
  });
});
