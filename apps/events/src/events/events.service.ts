import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { DomainError } from '@convene/common';
import { EventPublishedV1 } from '@convene/contracts';
import { Clock } from '../clock';
import type { Event, NewEvent } from './event';
import { assertValidNewEvent } from './event-rules';
import { EventsRepository } from './events.repository';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly clock: Clock,
  ) {}

  /** Creates a draft: visible to nobody else and closed for registration until published. */
  async create(input: NewEvent): Promise<Event> {
    const now = this.clock.now();
    assertValidNewEvent(input, now);
    const event: Event = {
      ...input,
      startsAt: new Date(input.startsAt).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      id: randomUUID(),
      status: 'draft',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.events.create(event);
    return event;
  }

  async get(id: string): Promise<Event> {
    const event = await this.events.findById(id);
    if (!event) throw eventNotFound(id);
    return event;
  }

  /** Publishes a draft and announces it with `event.published`, in one transaction. */
  async publish(id: string): Promise<Event> {
    const published = await this.events.update(id, (current) => {
      if (current.status !== 'draft') {
        throw new DomainError('EVENT_NOT_DRAFT', `event ${id} is ${current.status}; only a draft can be published`, {
          status: current.status,
        });
      }
      const now = this.clock.now();
      if (Date.parse(current.startsAt) <= now.getTime()) {
        throw new DomainError('UNPROCESSABLE', `event ${id} has already started; it can no longer be published`);
      }
      const event: Event = {
        ...current,
        status: 'published',
        publishedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      return { event, messages: [eventPublishedMessage(event)] };
    });
    if (!published) throw eventNotFound(id);
    return published;
  }
}

function eventNotFound(id: string): DomainError {
  return new DomainError('EVENT_NOT_FOUND', `event ${id} does not exist`);
}

function eventPublishedMessage(event: Event): EventPublishedV1 {
  return plainToInstance(EventPublishedV1, {
    id: event.id,
    title: event.title,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    capacity: event.capacity,
    visibility: event.visibility,
    venue: event.venue && { name: event.venue.name, address: event.venue.address },
    onlineUrl: event.onlineUrl,
    publishedAt: event.publishedAt,
  });
}
