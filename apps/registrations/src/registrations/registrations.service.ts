import { randomInt } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Clock, DomainError, invalidField, type Identity } from '@convene/common';
import type { AvailabilityMessage } from '@convene/contracts';
import { AccountDirectory } from '../accounts/account-directory';
import { EventDirectory, managesEvent, type EventInfo } from '../events/event-info';
import { chooseShard, confirmedOf, freeOf, type Shard } from '../inventory/inventory-plan';
import { EventLanes } from './event-lanes';
import type { Registration } from './registration';
import { toRegistrationMessage } from './registration-message';
import { decodeRegistrationCursor, encodeRegistrationCursor } from './registration-cursor';
import { RegistrationsMetrics } from './registrations.metrics';
import {
  registrationNotFound,
  RegistrationsStore,
  type InventorySeed,
  type ResizeResult,
  type SeatOutcome,
  type SeatRequest,
} from './registrations.store';

/** A registration as its owner (or the organizer) sees it: with the place in line while waiting. */
export interface RegistrationView extends Registration {
  waitlistPosition?: number;
}

/** Largest batch committed in one transaction (config REGISTRATION_BATCH_MAX). */
export abstract class RegistrationSettings {
  abstract readonly maxBatch: number;
}

interface PendingSeat {
  request: SeatRequest;
  waitlistEnabled: boolean;
  seed: InventorySeed;
}

type LaneOutcome = Exclude<SeatOutcome, { kind: 'waitlisted' }> | Waitlisted | { kind: 'full' };
type Waitlisted = { kind: 'waitlisted'; registration: RegistrationView };

/** How long "all shards are full" is believed without looking again (ms). */
const KNOWN_FULL_MS = 1000;
/** How long this process's picture of an event's shards guides the choice of shard (ms). */
const VIEW_MS = 2000;

export const MY_REGISTRATIONS_LIMITS = { default: 20, max: 100 } as const;

/**
 * Registering, cancelling and resizing, with capacity that is never exceeded:
 * - a seat is taken from an inventory shard in the same transaction that creates the registration;
 * - the work on one event runs one piece at a time in this process (EventLanes), and registrations
 *   that queue up meanwhile are committed together, so a crowd costs few transactions;
 * - each process prefers its own shard, so several replicas sell one event without contending;
 * - once every shard is known to be full, "full" is answered without a transaction.
 */
@Injectable()
export class RegistrationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(RegistrationsService.name);
  private readonly lanes: EventLanes<PendingSeat, LaneOutcome>;
  /** This process's home shard: replicas start on different shards. */
  private readonly home = randomInt(0, 1_000_000);
  private readonly views = new Map<string, { shards: Shard[]; readAt: number; fullUntil: number }>();

  constructor(
    private readonly store: RegistrationsStore,
    private readonly events: EventDirectory,
    private readonly accounts: AccountDirectory,
    private readonly clock: Clock,
    private readonly metrics: RegistrationsMetrics,
    settings: RegistrationSettings,
  ) {
    this.lanes = new EventLanes((eventId, pending) => this.processBatch(eventId, pending), settings.maxBatch);
    metrics.observeLaneDepth(() => this.lanes.depth);
  }

  /**
   * After the servers closed (the gRPC server finishes the calls it accepted, whose batches empty the
   * lanes), before the Firestore client goes. Not on module destroy: the servers still accept then, and
   * under steady load the lanes would never be empty, so the process would not stop.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.lanes.idle();
  }

  /**
   * Registers the actor for an event: confirmed while seats are left, else waitlisted (or EVENT_FULL
   * when the event has no waitlist). A person holds at most one active registration per event.
   *
   * `requestKey` identifies the client's request across its retries: a retry of the request that
   * created the person's registration (its answer lost, e.g. to a crash after the commit) gets that
   * registration, as the first attempt would have; any other request of theirs gets ALREADY_REGISTERED.
   */
  async register(eventId: string, actor: Identity, requestKey?: string): Promise<RegistrationView> {
    const [event, holderName] = await Promise.all([this.events.get(eventId, actor), this.accounts.displayName(actor)]);
    this.assertOpen(event);
    if (!event.waitlistEnabled && this.knownFull(eventId)) {
      this.metrics.outcome('full-fast');
      return this.sameRequestOrThrow(eventId, actor.userId, requestKey);
    }
    const outcome = await this.lanes.submit(eventId, {
      request: {
        userId: actor.userId,
        holderName,
        eventTitle: event.title,
        eventStartsAt: event.startsAt,
        eventEndsAt: event.endsAt,
        requestKey: requestKey || undefined,
      },
      waitlistEnabled: event.waitlistEnabled,
      seed: { eventId, capacity: event.capacity, capacityVersion: event.capacityVersion },
    });
    this.metrics.outcome(outcome.kind);
    switch (outcome.kind) {
      case 'confirmed':
        return outcome.registration;
      case 'waitlisted':
        return outcome.registration;
      case 'existing':
        return this.sameRequestOrThrow(eventId, actor.userId, requestKey, outcome.registrationId);
      case 'closed':
        throw new DomainError('REGISTRATION_CLOSED', `event ${eventId} was cancelled`, { reason: 'cancelled' });
      default:
        // Full shards are not tried, so who already holds a seat is not seen there: look, as "full-fast" does.
        return this.sameRequestOrThrow(eventId, actor.userId, requestKey);
    }
  }

  /** The registration's attendee, or the event's organizer (or an admin); anyone else: not found. */
  async get(id: string, actor: Identity): Promise<RegistrationView> {
    const registration = await this.store.findById(id);
    if (!registration || !(await this.mayManage(registration, actor))) throw registrationNotFound(id);
    return this.withPosition(registration);
  }

  async listMine(
    actor: Identity,
    input: { when: string; limit: number; cursor?: string },
  ): Promise<{ items: RegistrationView[]; nextCursor?: string }> {
    if (input.when !== 'upcoming' && input.when !== 'past') {
      throw invalidField('when', 'when must be upcoming or past');
    }
    const limit = input.limit || MY_REGISTRATIONS_LIMITS.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > MY_REGISTRATIONS_LIMITS.max) {
      throw invalidField('limit', `limit must be an integer from 1 to ${MY_REGISTRATIONS_LIMITS.max}`);
    }
    const after = input.cursor ? decodeRegistrationCursor(input.cursor) : undefined;
    const page = await this.store.listByUser(actor.userId, input.when, { limit, after });
    const items = await Promise.all(page.items.map((r) => this.withPosition(r)));
    const last = page.items.at(-1);
    return { items, nextCursor: page.hasMore && last ? encodeRegistrationCursor(last) : undefined };
  }

  /**
   * Cancels a registration (its attendee, or the event's organizer). A held seat goes to the first
   * waitlisted person, in the same transaction. Cancelling a cancelled registration changes nothing.
   */
  async cancel(id: string, actor: Identity): Promise<RegistrationView> {
    const registration = await this.store.findById(id);
    if (!registration || !(await this.mayManage(registration, actor))) throw registrationNotFound(id);
    const reason = registration.userId === actor.userId ? 'attendee' : 'organizer';
    const result = await this.lanes.run(registration.eventId, () => this.store.cancel(id, reason));
    if (result.changed) this.forgetView(registration.eventId);
    return result.registration;
  }

  /**
   * Sets a published event's capacity (asked by events, for the organizer): refused below the
   * confirmed count; a raise promotes the waitlist in order.
   */
  async resize(
    seed: InventorySeed & { organizerId: string },
    capacity: number,
    actor: Identity,
  ): Promise<ResizeResult> {
    if (seed.organizerId !== actor.userId && !actor.roles.includes('admin')) {
      throw new DomainError('FORBIDDEN', 'only the event organizer changes its capacity');
    }
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) {
      throw invalidField('capacity', 'capacity must be an integer from 1 to 1000000');
    }
    const result = await this.lanes.run(seed.eventId, () => this.store.resize(seed, capacity));
    this.forgetView(seed.eventId);
    if (result.promoted > 0) void this.sweep(seed.eventId); // more may fit than one transaction promotes
    return result;
  }

  /** The event was cancelled: every active registration ends (and nobody registers any more). */
  async closeEvent(eventId: string): Promise<number> {
    return this.lanes.run(eventId, async () => {
      let total = 0;
      for (let cancelled = -1; cancelled !== 0; total += cancelled) {
        cancelled = await this.store.closeAndCancelSome(eventId);
      }
      this.forgetView(eventId);
      return total;
    });
  }

  async availability(eventId: string): Promise<AvailabilityMessage> {
    const inventory = await this.store.readInventory(eventId);
    if (!inventory.exists) {
      // Nobody registered yet: the event's own capacity (also 404 for unknown events and drafts).
      const event = await this.events.get(eventId, undefined);
      return { eventId, capacity: event.capacity, confirmed: 0, waitlisted: 0, seatsLeft: event.capacity };
    }
    const confirmed = confirmedOf(inventory.shards);
    return {
      eventId,
      capacity: inventory.capacity,
      confirmed,
      waitlisted: await this.store.waitlistLength(eventId),
      seatsLeft: Math.max(0, inventory.capacity - confirmed),
    };
  }

  /**
   * The availability now, then again after every change of the inventory or the waitlist (Firestore
   * listeners; bursts of changes are coalesced), until the subscriber unsubscribes.
   */
  watchAvailability(eventId: string): Observable<AvailabilityMessage> {
    return new Observable<AvailabilityMessage>((subscriber) => {
      let timer: NodeJS.Timeout | undefined;
      let last = '';
      const emit = () => {
        timer = undefined;
        this.availability(eventId).then(
          (availability) => {
            const serialized = JSON.stringify(availability);
            if (serialized !== last) subscriber.next(availability);
            last = serialized;
          },
          (error: unknown) => subscriber.error(error),
        );
      };
      const schedule = () => {
        timer ??= setTimeout(emit, 100);
      };
      const onError = (error: Error) => subscriber.error(error);
      emit();
      const stops = [
        this.store.inventoryDocument(eventId).onSnapshot(schedule, onError),
        this.store.shardsCollection(eventId).onSnapshot(schedule, onError),
        this.store.waitlistCollection(eventId).onSnapshot(schedule, onError),
      ];
      return () => {
        if (timer) clearTimeout(timer);
        for (const stop of stops) stop();
      };
    });
  }

  // ── the batch ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Seats a batch: transactions on shards with seats left until every request is placed or all shards
   * are (freshly) seen full; the rest go on the waitlist, or get "full".
   */
  private async processBatch(eventId: string, pending: PendingSeat[]): Promise<LaneOutcome[]> {
    this.metrics.batchSize(pending.length);
    const outcomes: LaneOutcome[] = new Array(pending.length);
    let remaining = pending.map((_, i) => i);
    let view = await this.view(eventId, pending[0].seed, false);
    while (remaining.length > 0) {
      const shard = chooseShard(view.shards, this.home);
      if (!shard) {
        if (view.fresh) break;
        view = await this.view(eventId, pending[0].seed, true);
        continue;
      }
      const results = await this.store.confirmBatch(
        eventId,
        shard.index,
        remaining.map((i) => pending[i].request),
      );
      const noSeat: number[] = [];
      results.forEach((outcome, j) => {
        if (outcome.kind === 'no-seat') noSeat.push(remaining[j]);
        else outcomes[remaining[j]] = outcome;
      });
      const confirmed = results.filter((o) => o.kind === 'confirmed').length;
      // Ran out on this shard: what this process knows of the others is stale, look again.
      view =
        noSeat.length > 0
          ? await this.view(eventId, pending[0].seed, true)
          : this.noteTaken(eventId, view, shard.index, confirmed);
      remaining = noSeat;
    }
    if (remaining.length === 0) return outcomes;

    this.markFull(eventId);
    const toWaitlist = remaining.filter((i) => pending[i].waitlistEnabled);
    for (const i of remaining) if (!pending[i].waitlistEnabled) outcomes[i] = { kind: 'full' };
    if (toWaitlist.length > 0) {
      const results = await this.store.waitlistBatch(
        eventId,
        toWaitlist.map((i) => pending[i].request),
      );
      const base = await this.firstPosition(eventId, results);
      let place = 0;
      results.forEach((outcome, j) => {
        // Keys grow within a batch: the batch's people stand in line one after the other.
        outcomes[toWaitlist[j]] =
          outcome.kind === 'waitlisted'
            ? { ...outcome, registration: { ...outcome.registration, waitlistPosition: base + place++ } }
            : outcome;
      });
      // A seat freed elsewhere while this batch decided "full" must not stay free while people wait.
      const after = await this.view(eventId, pending[0].seed, true);
      if (after.shards.some((s) => freeOf(s) > 0)) void this.sweep(eventId);
    }
    return outcomes;
  }

  /** The place in line of the first person this batch waitlisted (one count for the whole batch). */
  private async firstPosition(eventId: string, results: SeatOutcome[]): Promise<number> {
    const first = results.find((o) => o.kind === 'waitlisted');
    return first && first.kind === 'waitlisted'
      ? this.store.waitlistPosition(eventId, first.registration.waitlistKey!)
      : 0;
  }

  /** Promotes waitlisted people while seats are free, in the event's lane (after what is queued). */
  private async sweep(eventId: string): Promise<void> {
    try {
      for (let promoted = -1; promoted !== 0;) {
        promoted = await this.lanes.run(eventId, () => this.store.promoteWaitlist(eventId));
        if (promoted > 0) this.forgetView(eventId);
      }
    } catch (error) {
      this.logger.error({ message: 'waitlist promotion failed; the next change retries it', eventId, error });
    }
  }

  /** This process's picture of an event's shards; read again when stale or asked to. */
  private async view(
    eventId: string,
    seed: InventorySeed,
    fresh: boolean,
  ): Promise<{ shards: Shard[]; fresh: boolean }> {
    const now = this.clock.now().getTime();
    const known = this.views.get(eventId);
    if (known && !fresh && now - known.readAt < VIEW_MS) return { shards: known.shards, fresh: false };
    let inventory = await this.store.readInventory(eventId);
    if (!inventory.exists) {
      await this.store.ensureInventory(seed);
      inventory = await this.store.readInventory(eventId);
    }
    if (this.views.size >= 10_000) this.views.clear();
    this.views.set(eventId, { shards: inventory.shards, readAt: now, fullUntil: known?.fullUntil ?? 0 });
    return { shards: inventory.shards, fresh: true };
  }

  private noteTaken(
    eventId: string,
    view: { shards: Shard[]; fresh: boolean },
    index: number,
    taken: number,
  ): { shards: Shard[]; fresh: boolean } {
    const shards = view.shards.map((s) => (s.index === index ? { ...s, taken: s.taken + taken } : s));
    const known = this.views.get(eventId);
    if (known) known.shards = shards;
    return { shards, fresh: view.fresh };
  }

  private markFull(eventId: string): void {
    const known = this.views.get(eventId);
    if (known) known.fullUntil = this.clock.now().getTime() + KNOWN_FULL_MS;
  }

  private knownFull(eventId: string): boolean {
    return (this.views.get(eventId)?.fullUntil ?? 0) > this.clock.now().getTime();
  }

  private forgetView(eventId: string): void {
    this.views.delete(eventId);
  }

  // ── rules ───────────────────────────────────────────────────────────────────────────────────────

  /** Registration is open from publication until the event ends, unless it was cancelled. */
  private assertOpen(event: EventInfo): void {
    if (event.status === 'cancelled') {
      throw new DomainError('REGISTRATION_CLOSED', `event ${event.id} was cancelled`, { reason: 'cancelled' });
    }
    if (event.status !== 'published') {
      throw new DomainError('REGISTRATION_CLOSED', `event ${event.id} is not published yet`, {
        reason: 'not-published',
      });
    }
    if (Date.parse(event.endsAt) <= this.clock.now().getTime()) {
      throw new DomainError('REGISTRATION_CLOSED', `event ${event.id} has ended`, { reason: 'ended' });
    }
  }

  /**
   * The person already holds an active registration (`knownId`, else looked up): the registration
   * itself when this request created it (a retry with the same key), else ALREADY_REGISTERED carrying
   * it. Holding none: EVENT_FULL (only asked when the event is full or the person holds one).
   */
  private async sameRequestOrThrow(
    eventId: string,
    userId: string,
    requestKey: string | undefined,
    knownId?: string,
  ): Promise<RegistrationView> {
    const id = knownId ?? (await this.store.findActiveId(eventId, userId));
    const existing = id ? await this.store.findById(id) : undefined;
    if (!existing) throw eventFull(eventId);
    const view = await this.withPosition(existing);
    // Only while it is active: a cancelled one was cancelled after that answer; the retry learns so.
    if (requestKey && existing.requestKey === requestKey && existing.status !== 'cancelled') return view;
    throw new DomainError('ALREADY_REGISTERED', `you already hold registration ${existing.id} for this event`, {
      registration: toRegistrationMessage(view),
    });
  }

  private async mayManage(registration: Registration, actor: Identity): Promise<boolean> {
    if (registration.userId === actor.userId) return true;
    try {
      return managesEvent(await this.events.getFresh(registration.eventId, actor), actor);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'EVENT_NOT_FOUND') return false;
      throw error;
    }
  }

  private async withPosition(registration: Registration): Promise<RegistrationView> {
    if (registration.status !== 'waitlisted' || !registration.waitlistKey) return registration;
    return {
      ...registration,
      waitlistPosition: await this.store.waitlistPosition(registration.eventId, registration.waitlistKey),
    };
  }
}

function eventFull(eventId: string): DomainError {
  return new DomainError('EVENT_FULL', `event ${eventId} is full and has no waitlist`);
}
