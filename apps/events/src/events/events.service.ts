import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import {
  Clock,
  DomainError,
  hasRole,
  invalidField,
  ReadThroughCache,
  requireUuid,
  type Identity,
} from '@convene/common';
import {
  EVENT_LIMITS,
  EventCancelledV1,
  EventCapacityChangedV1,
  EventPublishedV1,
  EventUpdatedV1,
  type ListEventsRequest,
} from '@convene/contracts';
import { RatingProjectionRepository } from '../ratings/rating-projection.repository';
import { noRatings, toRatingSummary } from '../ratings/rating-summary';
import { SeatAuthority, type CapacityResize } from '../seats/seat-authority';
import { SeatProjectionRepository } from '../seats/seat-projection.repository';
import type { Event, EventView, NewEvent } from './event';
import { assertValidNewEvent } from './event-rules';
import { decodeCursor, encodeCursor } from './event-cursor';
import { EventsRepository } from './events.repository';
import { normalizeSearchTerm } from './list-events.query';

/** The fields an update may change. */
export type EventPatch = Partial<NewEvent>;
type FieldsPatch = Omit<EventPatch, 'capacity'>;

/** Most check-in staff one event may have. */
export const STAFF_MAX = 50;

/** A listing request as a visitor sends it (formats validated by the gateway; rules applied here). */
export type ListEventsInput = ListEventsRequest;

export interface EventsPage {
  items: EventView[];
  nextCursor?: string;
}

export const LIST_LIMITS = { default: 20, max: 100 } as const;

/** How long public reads may be served from memory (ms; 0 disables). Provided by the module from config. */
export abstract class EventsReadCacheSettings {
  abstract readonly ttlMs: number;
}

@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  /**
   * The public read path is hot (first listing pages, popular events) and tolerates seconds of
   * staleness; drafts are never cached. Popular entries are refreshed in the background before they
   * expire, so readers do not wait for Firestore. Changes made here clear the caches at once; another
   * replica's change, a new registration or review shows within the TTL.
   */
  private readonly publicEvents: ReadThroughCache<EventView>;
  private readonly pages: ReadThroughCache<EventsPage>;

  constructor(
    private readonly events: EventsRepository,
    private readonly seats: SeatProjectionRepository,
    private readonly ratings: RatingProjectionRepository,
    private readonly seatAuthority: SeatAuthority,
    private readonly clock: Clock,
    cacheSettings: EventsReadCacheSettings,
  ) {
    const now = () => this.clock.now().getTime();
    const onRefreshError = (key: string, error: unknown) =>
      this.logger.warn({ message: 'refreshing a cached read failed', key, error: String(error) });
    this.publicEvents = new ReadThroughCache({ ttlMs: cacheSettings.ttlMs, maxEntries: 5_000, now, onRefreshError });
    this.pages = new ReadThroughCache({ ttlMs: cacheSettings.ttlMs, maxEntries: 1_000, now, onRefreshError });
  }

  /** Creates a draft owned by `organizer`: visible to nobody else and closed until published. */
  async create(input: NewEvent, organizer: Identity): Promise<EventView> {
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
      capacityVersion: 0,
      staffIds: [],
      hasSeats: true,
    };
    await this.events.create(event);
    return { ...event, rating: toRatingSummary(noRatings()) };
  }

  /**
   * A published event is visible to anyone, with its seats-taken counts and rating summary; a draft
   * only to its organizer (and admins). The staff list only to those `canSeeStaff` allows.
   */
  async get(id: string, viewer: Identity | undefined): Promise<EventView> {
    const event = await this.publicEvents.get(
      id,
      async () => {
        const stored = await this.events.findById(id);
        return stored && this.view(stored);
      },
      (loaded) => loaded.status !== 'draft',
    );
    if (!event || (event.status === 'draft' && !(viewer && canManage(event, viewer)))) throw eventNotFound(id);
    return forViewer(event, viewer);
  }

  /**
   * Published public events, by start time then id, with their rating summaries (one batched read per
   * page) and seat counts (one projection read per event), cached with the page. A cursor continues
   * exactly after the last event of the previous page, so walking the pages yields each event once,
   * even among equal start times.
   */
  async list(input: ListEventsInput, viewer?: Identity): Promise<EventsPage> {
    const limit = pageLimit(input.limit);
    if (input.from && input.to && Date.parse(input.to) < Date.parse(input.from))
      throw invalidField('to', 'to must not be before from');
    const search = normalizeSearchTerm(input.q);
    if (input.q !== undefined && !search.term) throw invalidField('q', 'q must contain a letter or digit');
    if (search.words > 1) throw invalidField('q', 'q is one word (titles and tags are matched word by word)');
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    const filter = {
      q: search.term,
      category: input.category,
      organizerId: input.organizerId,
      hasSeats: input.hasSeats || undefined,
      from: input.from && new Date(input.from).toISOString(),
      to: input.to && new Date(input.to).toISOString(),
      limit,
      after,
    };
    const page = (await this.pages.get(JSON.stringify(filter), async () =>
      this.viewed(toPage(await this.events.listPublic(filter))),
    ))!;
    return { ...page, items: page.items.map((event) => forViewer(event, viewer)) };
  }

  /**
   * The actor's own events in every state, published ones with their seats-taken counts, all with their
   * rating summaries (never cached: an organizer expects to see their edits).
   */
  async listOwn(actor: Identity, input: { limit: number; cursor?: string }): Promise<EventsPage> {
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    return this.viewed(
      toPage(await this.events.listByOrganizer(actor.userId, { limit: pageLimit(input.limit), after })),
    );
  }

  /**
   * Changes the given fields of a draft or upcoming event. Giving a venue replaces an online URL and
   * vice versa. The merged event must satisfy every creation rule (a future start only when the start
   * moves). A published event announces what changed with `event.updated`.
   *
   * A draft's capacity is just stored. A published event's capacity changes in registrations first
   * (which refuses one below the confirmed count); it is then recorded here only if registrations'
   * capacityVersion is newer than the recorded one, so concurrent changes converge on the last one
   * registrations applied, and announced with `event.capacity-changed`.
   */
  async update(id: string, actor: Identity, patch: EventPatch): Promise<EventView> {
    const { capacity, ...fields } = patch;
    if (capacity !== undefined && !isCapacity(capacity)) {
      throw invalidField(
        'capacity',
        `capacity must be an integer from ${EVENT_LIMITS.capacityMin} to ${EVENT_LIMITS.capacityMax}`,
      );
    }
    const resize = capacity === undefined ? undefined : await this.resizePublished(id, actor, fields, capacity);
    const updated = await this.events.update(id, (current) => {
      const now = this.clock.now();
      assertChangeable(current, actor, now);
      const merged = mergeFields(current, fields, now);
      const messages: object[] = [];
      if (capacity !== undefined && current.status === 'draft') {
        merged.capacity = capacity;
      } else if (resize) {
        if (resize.capacityVersion > current.capacityVersion) {
          merged.capacity = resize.capacity;
          merged.capacityVersion = resize.capacityVersion;
          merged.hasSeats = resize.confirmed < resize.capacity;
          if (resize.capacity !== current.capacity) {
            messages.push(capacityChangedMessage(current, resize, now));
          }
        }
      } else if (capacity !== undefined) {
        // Read as a draft, published since: registrations was not asked, so nothing may be recorded.
        throw new DomainError('CONFLICT', `event ${id} was published meanwhile; send the capacity again`);
      }
      const changes = changedFields(current, merged);
      const capacityRecorded =
        merged.capacity !== current.capacity || merged.capacityVersion !== current.capacityVersion;
      if (changes.length === 0 && !capacityRecorded) return { event: current, messages: [] };
      const event = { ...merged, updatedAt: now.toISOString() };
      if (event.status === 'published' && changes.length > 0) messages.push(eventUpdatedMessage(event, changes));
      return { event, messages };
    });
    if (!updated) throw eventNotFound(id);
    this.forget(id);
    return this.withRating(updated);
  }

  /**
   * Asks registrations to resize a published event's inventory, after checking everything else of the
   * update would be accepted (once registrations resized, a refusal here would leave the two apart).
   * Undefined for a draft: nobody holds a seat yet.
   */
  private async resizePublished(
    id: string,
    actor: Identity,
    fields: FieldsPatch,
    capacity: number,
  ): Promise<CapacityResize | undefined> {
    const current = await this.events.findById(id);
    if (!current) throw eventNotFound(id);
    const now = this.clock.now();
    assertChangeable(current, actor, now);
    mergeFields(current, fields, now);
    if (current.status !== 'published') return undefined;
    const { organizerId, capacityVersion } = current;
    return this.seatAuthority.resize({ id, organizerId, capacity: current.capacity, capacityVersion }, capacity, actor);
  }

  /** Grants check-in staff to `userId` (idempotent), up to STAFF_MAX per event. */
  async addStaff(id: string, actor: Identity, userId: string): Promise<EventView> {
    return this.changeStaff(id, actor, userId, (staffIds) => {
      if (staffIds.includes(userId)) return staffIds;
      if (staffIds.length >= STAFF_MAX) {
        throw new DomainError('UNPROCESSABLE', `event ${id} already has ${STAFF_MAX} staff, the most it may have`, {
          max: STAFF_MAX,
        });
      }
      return [...staffIds, userId];
    });
  }

  /**
   * The event's check-in staff (user ids, in the order granted), for those `canSeeStaff` allows.
   * Anyone else: FORBIDDEN, or EVENT_NOT_FOUND for a draft they may not see. Read fresh, not cached:
   * who may see the list changes with it.
   */
  async listStaff(id: string, viewer: Identity): Promise<string[]> {
    requireUuid('eventId', id);
    const event = await this.events.findById(id);
    if (!event || (event.status === 'draft' && !canManage(event, viewer))) throw eventNotFound(id);
    if (!canSeeStaff(event, viewer)) {
      throw new DomainError('FORBIDDEN', `only the organizer and staff of event ${id} see its staff`);
    }
    return [...event.staffIds];
  }

  /** Removes `userId` from the check-in staff (idempotent). */
  async removeStaff(id: string, actor: Identity, userId: string): Promise<EventView> {
    return this.changeStaff(id, actor, userId, (staffIds) => staffIds.filter((staffId) => staffId !== userId));
  }

  private async changeStaff(
    id: string,
    actor: Identity,
    userId: string,
    next: (staffIds: string[]) => string[],
  ): Promise<EventView> {
    if (!userId) throw invalidField('userId', 'userId is required');
    const updated = await this.events.update(id, (current) => {
      const now = this.clock.now();
      assertChangeable(current, actor, now);
      const staffIds = next(current.staffIds);
      if (staffIds.length === current.staffIds.length) return { event: current, messages: [] };
      return { event: { ...current, staffIds, updatedAt: now.toISOString() }, messages: [] };
    });
    if (!updated) throw eventNotFound(id);
    this.forget(id);
    return this.withRating(updated);
  }

  /**
   * Cancels an event for good and, if it was published, announces it with `event.cancelled` (every
   * registration ends; attendees are told). A draft is just withdrawn.
   */
  async cancel(id: string, actor: Identity, reason: string): Promise<EventView> {
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
    return this.withRating(cancelled);
  }

  /** Publishes a draft and announces it with `event.published`, in one transaction. */
  async publish(id: string, actor: Identity): Promise<EventView> {
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
        // Nobody can register for a draft, so every seat is free.
        hasSeats: true,
      };
      return { event, messages: [eventPublishedMessage(event)] };
    });
    if (!published) throw eventNotFound(id);
    this.forget(id);
    // It was a draft a moment ago: nobody can have reviewed it.
    return { ...published, rating: toRatingSummary(noRatings()) };
  }

  private forget(id: string): void {
    this.publicEvents.delete(id);
    this.pages.clear();
  }

  /** The event as readers see it: its rating summary and, once published, its seat counts. */
  private async view(event: Event): Promise<EventView> {
    const [rated, counts] = await Promise.all([this.withRating(event), this.seatCounts(event)]);
    return { ...rated, ...counts };
  }

  /** A published event's counts from the seats projection (none for drafts and cancelled ones). */
  private async seatCounts(event: Event): Promise<Pick<EventView, 'confirmedCount' | 'waitlistedCount' | 'seatsLeft'>> {
    if (event.status !== 'published') return {};
    const { confirmed, waitlisted } = await this.seats.counts(event.id);
    return {
      confirmedCount: confirmed,
      waitlistedCount: waitlisted,
      seatsLeft: Math.max(0, event.capacity - confirmed),
    };
  }

  private async withRating(event: Event): Promise<EventView> {
    return (await this.withRatings([event]))[0];
  }

  /**
   * The events with their rating summaries, read in one batch. A draft has no reviews (nobody can have
   * attended it), so only the others are read.
   */
  private async withRatings(events: Event[]): Promise<EventView[]> {
    const reviewable = events.filter((event) => event.status !== 'draft').map((event) => event.id);
    const totals = await this.ratings.totals(reviewable);
    return events.map((event) => ({ ...event, rating: toRatingSummary(totals.get(event.id) ?? noRatings()) }));
  }

  /** A page as readers see it: rating summaries and, for published events, seat counts. */
  private async viewed(page: StoredPage): Promise<EventsPage> {
    const [rated, counts] = await Promise.all([
      this.withRatings(page.items),
      Promise.all(page.items.map((event) => this.seatCounts(event))),
    ]);
    return { ...page, items: rated.map((event, i) => ({ ...event, ...counts[i] })) };
  }
}

/** A page size from 1 to LIST_LIMITS.max; absent (0 over gRPC) means the default. */
function pageLimit(requested: number): number {
  const limit = requested || LIST_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMITS.max) {
    throw invalidField('limit', `limit must be an integer from 1 to ${LIST_LIMITS.max}`);
  }
  return limit;
}

function isCapacity(value: number): boolean {
  return Number.isInteger(value) && value >= EVENT_LIMITS.capacityMin && value <= EVENT_LIMITS.capacityMax;
}

interface StoredPage {
  items: Event[];
  nextCursor?: string;
}

/** A repository page with the cursor that continues right after its last event. */
function toPage(page: { items: Event[]; hasMore: boolean }): StoredPage {
  const last = page.items.at(-1);
  return { items: page.items, nextCursor: page.hasMore && last ? encodeCursor(last) : undefined };
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

/**
 * Who sees the staff list: the organizer, admins, and the staff themselves (registrations asks with
 * the scanning user's identity to decide whether they may check people in).
 */
function canSeeStaff(event: Event, viewer: Identity | undefined): boolean {
  return viewer !== undefined && (canManage(event, viewer) || event.staffIds.includes(viewer.userId));
}

function forViewer(event: EventView, viewer: Identity | undefined): EventView {
  return canSeeStaff(event, viewer) ? event : { ...event, staffIds: [] };
}

/** Nothing changes on a cancelled or ended event, and only its organizer (or an admin) changes it. */
function assertChangeable(event: Event, actor: Identity, now: Date): void {
  assertCanManage(event, actor);
  if (event.status === 'cancelled') {
    throw new DomainError('EVENT_ALREADY_CANCELLED', `event ${event.id} was cancelled; it can no longer change`);
  }
  if (Date.parse(event.endsAt) <= now.getTime()) {
    throw new DomainError('UNPROCESSABLE', `event ${event.id} has ended; it can no longer change`);
  }
}

/** The event with the patch's fields applied; throws if the result breaks a creation rule. */
function mergeFields(current: Event, fields: FieldsPatch, now: Date): Event {
  const merged: Event = {
    ...current,
    ...fields,
    ...(fields.venue ? { onlineUrl: undefined } : {}),
    ...(fields.onlineUrl ? { venue: undefined } : {}),
  };
  if (fields.startsAt) merged.startsAt = new Date(fields.startsAt).toISOString();
  if (fields.endsAt) merged.endsAt = new Date(fields.endsAt).toISOString();
  assertValidNewEvent(merged, now, { futureStart: merged.startsAt !== current.startsAt });
  return merged;
}

function capacityChangedMessage(before: Event, resize: CapacityResize, now: Date): EventCapacityChangedV1 {
  return plainToInstance(EventCapacityChangedV1, {
    id: before.id,
    organizerId: before.organizerId,
    capacity: resize.capacity,
    previousCapacity: before.capacity,
    capacityVersion: resize.capacityVersion,
    changedAt: now.toISOString(),
  });
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
