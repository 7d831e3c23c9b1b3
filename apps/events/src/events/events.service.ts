import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { Clock, DomainError, hasRole, type Identity } from '@convene/common';
import { EventCancelledV1, EventPublishedV1, EventUpdatedV1, type ListEventsRequest } from '@convene/contracts';
import type { Event, NewEvent } from './event';

/** The fields an update may change (capacity changes come with registrations). */
export type EventPatch = Partial<Omit<NewEvent, 'capacity'>>;
import { assertValidNewEvent } from './event-rules';
import { decodeCursor, encodeCursor } from './event-cursor';
import { EventsRepository } from './events.repository';
import { TtlCache } from './ttl-cache';
import { normalizeSearchTerm } from './list-events.query';

/** A listing request as a visitor sends it (formats validated by the gateway; rules applied here). */
export type ListEventsInput = ListEventsRequest;

export interface EventsPage {
  items: Event[];
  nextCursor?: string;
}

export const LIST_LIMITS = { default: 20, max: 100 } as const;

/** How long public reads may be served from memory (ms; 0 disables). Provided by the module from config. */
export abstract class EventsReadCacheSettings {
  abstract readonly ttlMs: number;
}

@Injectable()
export class EventsService {
  /**
   * The public read path is hot (first listing pages, popular events) and tolerates seconds of
   * staleness; drafts are never cached. Changes made here clear the caches at once; another replica's
   * change shows within the TTL.
   */
  private readonly publicEvents: TtlCache<Event>;
  private readonly pages: TtlCache<EventsPage>;

  constructor(
    private readonly events: EventsRepository,
    private readonly clock: Clock,
    cacheSettings: EventsReadCacheSettings,
  ) {
    const now = () => this.clock.now().getTime();
    this.publicEvents = new TtlCache(cacheSettings.ttlMs, 5_000, now);
    this.pages = new TtlCache(cacheSettings.ttlMs, 1_000, now);
  }

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
    const cached = this.publicEvents.get(id);
    if (cached) return cached;
    const event = await this.events.findById(id);
    if (event && event.status !== 'draft') this.publicEvents.set(id, event);
    if (!event || (event.status === 'draft' && !(viewer && canManage(event, viewer)))) throw eventNotFound(id);
    return event;
  }

  /**
   * Published public events, by start time then id. A cursor continues exactly after the last event
   * of the previous page, so walking the pages yields each event once, even among equal start times.
   */
  async list(input: ListEventsInput): Promise<EventsPage> {
    const limit = pageLimit(input.limit);
    if (input.from && input.to && Date.parse(input.to) < Date.parse(input.from))
      throw invalid('to', 'to must not be before from');
    const search = normalizeSearchTerm(input.q);
    if (input.q !== undefined && !search.term) throw invalid('q', 'q must contain a letter or digit');
    if (search.words > 1) throw invalid('q', 'q is one word (titles and tags are matched word by word)');
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    const filter = {
      q: search.term,
      category: input.category,
      organizerId: input.organizerId,
      from: input.from && new Date(input.from).toISOString(),
      to: input.to && new Date(input.to).toISOString(),
      limit,
      after,
    };
    const key = JSON.stringify(filter);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const result = toPage(await this.events.listPublic(filter));
    this.pages.set(key, result);
    return result;
  }

  /** The actor's own events in every state (never cached: an organizer expects to see their edits). */
  async listOwn(actor: Identity, input: { limit: number; cursor?: string }): Promise<EventsPage> {
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    return toPage(await this.events.listByOrganizer(actor.userId, { limit: pageLimit(input.limit), after }));
  }

  /**
   * Changes the given fields of a draft or upcoming event. Giving a venue replaces an online URL and
   * vice versa. The merged event must satisfy every creation rule (a future start only when the start
   * moves). A published event announces what changed with `event.updated`.
   */
  async update(id: string, actor: Identity, patch: EventPatch): Promise<Event> {
    const updated = await this.events.update(id, (current) => {
      assertCanManage(current, actor);
      if (current.status === 'cancelled') {
        throw new DomainError('EVENT_ALREADY_CANCELLED', `event ${id} was cancelled; it can no longer change`);
      }
      const now = this.clock.now();
      if (Date.parse(current.endsAt) <= now.getTime()) {
        throw new DomainError('UNPROCESSABLE', `event ${id} has ended; it can no longer change`);
      }
      const merged: Event = {
        ...current,
        ...patch,
        ...(patch.venue ? { onlineUrl: undefined } : {}),
        ...(patch.onlineUrl ? { venue: undefined } : {}),
      };
      if (patch.startsAt) merged.startsAt = new Date(patch.startsAt).toISOString();
      if (patch.endsAt) merged.endsAt = new Date(patch.endsAt).toISOString();
      assertValidNewEvent(merged, now, { futureStart: merged.startsAt !== current.startsAt });
      const changes = changedFields(current, merged);
      if (changes.length === 0) return { event: current, messages: [] };
      const event = { ...merged, updatedAt: now.toISOString() };
      return { event, messages: event.status === 'published' ? [eventUpdatedMessage(event, changes)] : [] };
    });
    if (!updated) throw eventNotFound(id);
    this.forget(id);
    return updated;
  }

  /**
   * Cancels an event for good and, if it was published, announces it with `event.cancelled` (every
   * registration ends; attendees are told). A draft is just withdrawn.
   */
  async cancel(id: string, actor: Identity, reason: string): Promise<Event> {
    const cancelled = await this.events.update(id, (current) => {
      assertCanManage(current, actor);
      if (current.status === 'cancelled') {
        throw new DomainError('EVENT_ALREADY_CANCELLED', `event ${id} was cancelled at ${current.cancelledAt}`, {
          cancelledAt: current.cancelledAt,
        });
      }
      const now = this.clock.now();
      if (Date.parse(current.endsAt) <= now.getTime()) {
        throw new DomainError('UNPROCESSABLE', `event ${id} has already ended; it can no longer be cancelled`);
      }
      const event: Event = {
        ...current,
        status: 'cancelled',
        cancelledAt: now.toISOString(),
        cancellationReason: reason,
        updatedAt: now.toISOString(),
      };
      return { event, messages: current.status === 'published' ? [eventCancelledMessage(event)] : [] };
    });
    if (!cancelled) throw eventNotFound(id);
    this.forget(id);
    return cancelled;
  }

  private forget(id: string): void {
    this.publicEvents.delete(id);
    this.pages.clear();
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
    this.forget(id);
    return published;
  }
}

/** A page size from 1 to LIST_LIMITS.max; absent (0 over gRPC) means the default. */
function pageLimit(requested: number): number {
  const limit = requested || LIST_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMITS.max) {
    throw invalid('limit', `limit must be an integer from 1 to ${LIST_LIMITS.max}`);
  }
  return limit;
}

/** A repository page with the cursor that continues right after its last event. */
function toPage(page: { items: Event[]; hasMore: boolean }): EventsPage {
  const last = page.items.at(-1);
  return { items: page.items, nextCursor: page.hasMore && last ? encodeCursor(last) : undefined };
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });
}

const UPDATABLE_FIELDS = [
  'title',
  'description',
  'startsAt',
  'endsAt',
  'timezone',
  'venue',
  'onlineUrl',
  'category',
  'tags',
  'waitlistEnabled',
  'visibility',
] as const;

function changedFields(before: Event, after: Event): string[] {
  return UPDATABLE_FIELDS.filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  );
}

function eventUpdatedMessage(event: Event, changes: string[]): EventUpdatedV1 {
  return plainToInstance(EventUpdatedV1, {
    id: event.id,
    organizerId: event.organizerId,
    changes,
    title: event.title,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    venue: event.venue && { name: event.venue.name, address: event.venue.address },
    onlineUrl: event.onlineUrl,
    updatedAt: event.updatedAt,
  });
}

function eventCancelledMessage(event: Event): EventCancelledV1 {
  return plainToInstance(EventCancelledV1, {
    id: event.id,
    organizerId: event.organizerId,
    title: event.title,
    startsAt: event.startsAt,
    reason: event.cancellationReason,
    cancelledAt: event.cancelledAt,
  });
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
