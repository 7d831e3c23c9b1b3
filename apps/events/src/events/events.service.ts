import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { DomainError, hasRole, type Identity } from '@convene/common';
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

  /** Creates a draft owned by `organizer`: visible to nobody else and closed until published. */
  async create(input: NewEvent, organizer: Identity): Promise<Event> {
    if (!hasRole(organizer, 'organizer', 'admin')) {
      throw new DomainError('FORBIDDEN', 'only organizers create events; become one with POST /v1/me/organizer');
    }
    const now = this.clock.now();
    assertValidNewEvent(input, now);
    const event: Event = {
      ...input,
      startsAt: new Date(input.startsAt).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      id: randomUUID(),
      organizerId: organizer.userId,
      status: 'draft',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.events.create(event);
    return event;
  }

  /** A published event is visible to anyone; a draft only to its organizer (and admins). */
  async get(id: string, viewer: Identity | undefined): Promise<Event> {
    const event = await this.events.findById(id);
    if (!event || (event.status === 'draft' && !(viewer && canManage(event, viewer)))) throw eventNotFound(id);
    return event;
  }

  /** Publishes a draft and announces it with `event.published`, in one transaction. */
  async publish(id: string, actor: Identity): Promise<Event> {
    const published = await this.events.update(id, (current) => {
      assertCanManage(current, actor);
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

function canManage(event: Event, actor: Identity): boolean {
  return event.organizerId === actor.userId || hasRole(actor, 'admin');
}

/** Someone else's draft does not exist for them (404); someone else's public event is 403. */
function assertCanManage(event: Event, actor: Identity): void {
  if (canManage(event, actor)) return;
  if (event.status === 'draft') throw eventNotFound(event.id);
  throw new DomainError('FORBIDDEN', `only the organizer of event ${event.id} can change it`);
}

function eventNotFound(id: string): DomainError {
  return new DomainError('EVENT_NOT_FOUND', `event ${id} does not exist`);
}

function eventPublishedMessage(event: Event): EventPublishedV1 {
  return plainToInstance(EventPublishedV1, {
    id: event.id,
    organizerId: event.organizerId,
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
