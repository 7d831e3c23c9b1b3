import { DomainError } from '@convene/common';
import type { Event } from './event';
import { EventsRepository, type EventChange } from './events.repository';

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
}
