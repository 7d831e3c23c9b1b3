import type { Event } from './event';
import type { EventPosition, ListEventsFilter } from './list-events.query';

/** What a change to an event commits: the new state and the domain messages announcing it. */
export interface EventChange {
  event: Event;
  /** Instances of @convene/contracts message classes; written to the outbox in the same transaction. */
  messages: object[];
}

/** Storage of events. No business rules: the service decides, the repository commits atomically. */
export abstract class EventsRepository {
  abstract create(event: Event): Promise<void>;
  abstract findById(id: string): Promise<Event | undefined>;
  /**
   * Reads the event, lets `change` decide (it may throw a DomainError, then nothing is written) and
   * commits the new state together with its messages. Resolves to undefined if the event does not exist.
   */
  abstract update(id: string, change: (current: Event) => EventChange): Promise<Event | undefined>;
  /**
   * Sets `hasSeats` if the event is published and its capacity is still `basis.capacity` (the value
   * the flag was computed with); otherwise leaves the event as it is.
   */
  abstract setHasSeats(id: string, hasSeats: boolean, basis: { capacity: number }): Promise<void>;
  /**
   * Published public events matching the filter, ordered by startsAt then id, starting after
   * `filter.after`; at most `filter.limit`, and whether more follow.
   */
  abstract listPublic(filter: ListEventsFilter): Promise<{ items: Event[]; hasMore: boolean }>;
  /** Every event of one organizer, whatever its state, in the same order and paging as listPublic. */
  abstract listByOrganizer(
    organizerId: string,
    page: { limit: number; after?: EventPosition },
  ): Promise<{ items: Event[]; hasMore: boolean }>;
}
