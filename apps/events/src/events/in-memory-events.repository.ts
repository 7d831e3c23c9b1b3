import { DomainError } from '@convene/common';
import type { Event } from './event';
import { EventsRepository, type EventChange } from './events.repository';
import { searchTokensOf, type EventPosition, type ListEventsFilter } from './list-events.query';

/** Unit-test fake with the adapter's semantics; `published` plays the outbox. */
export class InMemoryEventsRepository extends EventsRepository {
  readonly published: object[] = [];
  private readonly events = new Map<string, Event>();

  async create(event: Event): Promise<void> {
    if (this.events.has(event.id)) throw new DomainError('CONFLICT', `event ${event.id} already exists`);
    this.events.set(event.id, structuredClone(event));
  }

  async findById(id: string): Promise<Event | undefined> {
    const event = this.events.get(id);
    return event && structuredClone(event);
  }

  async update(id: string, change: (current: Event) => EventChange): Promise<Event | undefined> {
    const current = this.events.get(id);
    if (!current) return undefined;
    const { event, messages } = change(structuredClone(current));
    this.events.set(id, structuredClone(event));
    this.published.push(...messages);
    return structuredClone(event);
  }

  async setHasSeats(id: string, hasSeats: boolean, basis: { capacity: number }): Promise<void> {
    const current = this.events.get(id);
    if (current?.status === 'published' && current.capacity === basis.capacity) current.hasSeats = hasSeats;
  }

  async listByOrganizer(
    organizerId: string,
    page: { limit: number; after?: EventPosition },
  ): Promise<{ items: Event[]; hasMore: boolean }> {
    const after = page.after;
    const matching = [...this.events.values()]
      .filter((e) => e.organizerId === organizerId)
      .sort(byPosition)
      .filter((e) => !after || byPosition(e, after) > 0);
    return {
      items: matching.slice(0, page.limit).map((e) => structuredClone(e)),
      hasMore: matching.length > page.limit,
    };
  }

  async listPublic(filter: ListEventsFilter): Promise<{ items: Event[]; hasMore: boolean }> {
    const after = filter.after;
    const matching = [...this.events.values()]
      .filter((e) => e.status === 'published' && e.visibility === 'public')
      .filter((e) => !filter.category || e.category === filter.category)
      .filter((e) => !filter.organizerId || e.organizerId === filter.organizerId)
      .filter((e) => !filter.hasSeats || e.hasSeats)
      .filter((e) => !filter.q || searchTokensOf(e.title, e.tags).includes(filter.q))
      .filter((e) => !filter.from || Date.parse(e.startsAt) >= Date.parse(filter.from))
      .filter((e) => !filter.to || Date.parse(e.startsAt) <= Date.parse(filter.to))
      .sort(byPosition)
      .filter((e) => !after || byPosition(e, after) > 0);
    return {
      items: matching.slice(0, filter.limit).map((e) => structuredClone(e)),
      hasMore: matching.length > filter.limit,
    };
  }
}

/** startsAt, then id (as Firestore orders document ids: by code unit). */
function byPosition(a: { startsAt: string; id: string }, b: { startsAt: string; id: string }): number {
  return Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
