import { randomBytes, randomUUID } from 'node:crypto';
import {
  FieldPath,
  Firestore,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Transaction,
} from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { Clock, DomainError, GrpcStatus, hasGrpcCode } from '@convene/common';
import {
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV2,
  type CancellationReason,
} from '@convene/contracts';
import { retryOnContention, toTimestamp } from '@convene/firestore';
import { Outbox } from '@convene/pubsub';
import { confirmedOf, freeOf, initialShards, resizeShards, type Shard } from '../inventory/inventory-plan';
import { newCheckInCode } from './check-in-code';
import { COLLECTIONS, registrationKeyId, type Registration } from './registration';
import { fromRegistrationDocument, toRegistrationDocument } from './registration-document';
import { waitlistPositions } from './waitlist-positions';

/** Who asks for a seat, with what the registration copies from the event and the account. */
export interface SeatRequest {
  userId: string;
  holderName: string;
  eventTitle: string;
  eventStartsAt: string;
  eventEndsAt: string;
  /** The request's key across its retries (see Registration.requestKey); empty or absent: none. */
  requestKey?: string;
}

export type SeatOutcome =
  | { kind: 'confirmed' | 'waitlisted'; registration: Registration }
  /** The person already holds an active registration for the event (possibly from this very batch). */
  | { kind: 'existing'; registrationId: string }
  /** The shard tried had no seat left for this request; try another shard or the waitlist. */
  | { kind: 'no-seat' }
  /** Registrations for the event were closed (it was cancelled). */
  | { kind: 'closed' };

export interface InventoryView {
  /** Absent until someone registered or the capacity was set through registrations. */
  exists: boolean;
  closed: boolean;
  capacity: number;
  capacityVersion: number;
  shards: Shard[];
}

export interface ResizeResult {
  capacity: number;
  capacityVersion: number;
  confirmed: number;
  promoted: number;
}

/** The inventory an event starts with, from what events says of it. */
export interface InventorySeed {
  eventId: string;
  capacity: number;
  capacityVersion: number;
}

/**
 * "My registrations": one person's, by their event's end (ascending upcoming, descending past). Needs
 * a composite index in each direction (firestore.indexes.json; checked by my-registrations.indexes.spec.ts).
 */
export const MY_REGISTRATIONS_QUERY = {
  collection: COLLECTIONS.registrations,
  equality: 'userId',
  orderedBy: 'eventEndsAt',
} as const;

/** Most waitlisted people promoted in one transaction (each promotion writes three documents). */
const PROMOTIONS_PER_TRANSACTION = 100;

/**
 * The registrations service's Firestore transactions. Each method is one unit of work that commits
 * its state change together with the outbox messages describing it. Callers serialize work per event
 * inside the process (EventLanes); these transactions stay correct without that (Firestore retries a
 * transaction whose reads changed), the lanes only keep them from contending.
 */
@Injectable()
export class RegistrationsStore {
  /** Makes this process's waitlist keys unique among processes that share a millisecond. */
  private readonly instance = randomBytes(3).toString('hex');
  private sequence = 0;

  constructor(
    private readonly firestore: Firestore,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async readInventory(eventId: string): Promise<InventoryView> {
    const [inventory, shards] = await Promise.all([
      this.inventoryRef(eventId).get(),
      this.inventoryRef(eventId).collection('shards').get(),
    ]);
    return inventoryView(inventory, shards.docs);
  }

  /** Creates the event's inventory if it has none yet (concurrent creators: one wins, all see it). */
  async ensureInventory(seed: InventorySeed): Promise<void> {
    const batch = this.firestore.batch();
    batch.create(this.inventoryRef(seed.eventId), {
      capacity: seed.capacity,
      capacityVersion: seed.capacityVersion,
      closed: false,
      updatedAt: Timestamp.fromDate(this.clock.now()),
    });
    for (const shard of initialShards(seed.capacity)) {
      batch.create(this.shardRef(seed.eventId, shard.index), { capacity: shard.capacity, taken: shard.taken });
    }
    try {
      await batch.commit();
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    }
  }

  /**
   * One transaction for a batch of registrations: each person without an active registration takes a
   * seat from `shardIndex` while it has one. Requests left over get `no-seat`.
   */
  async confirmBatch(eventId: string, shardIndex: number, requests: SeatRequest[]): Promise<SeatOutcome[]> {
    return this.commit(async (tx) => {
      const [inventory, shardSnapshot, keys] = await Promise.all([
        tx.get(this.inventoryRef(eventId)),
        tx.get(this.shardRef(eventId, shardIndex)),
        this.readKeys(tx, eventId, requests),
      ]);
      if (inventory.get('closed') === true) return { result: requests.map(closed), messages: 0 };
      const shard = { capacity: shardSnapshot.get('capacity') as number, taken: shardSnapshot.get('taken') as number };
      const now = this.clock.now().toISOString();
      const outcomes = this.decide(eventId, requests, keys, (request) => {
        if (shard.taken >= shard.capacity) return undefined;
        shard.taken += 1;
        return this.newRegistration(eventId, request, now, {
          status: 'confirmed',
          confirmedAt: now,
          shard: shardIndex,
        });
      });
      const created = outcomes.filter(isCreated);
      if (created.length > 0) tx.update(this.shardRef(eventId, shardIndex), { taken: shard.taken });
      for (const { registration } of created) {
        this.writeNew(tx, registration);
        this.enqueue(tx, RegistrationConfirmedV1, { ...messageBase(registration), confirmedAt: now });
      }
      return { result: outcomes, messages: created.length };
    });
  }

  /** One transaction putting a batch of people on the event's waitlist (it was found full). */
  async waitlistBatch(eventId: string, requests: SeatRequest[]): Promise<SeatOutcome[]> {
    return this.commit(async (tx) => {
      // The line's length tells each newcomer their place (new keys sort after the waiting ones).
      const [inventory, keys, waiting] = await Promise.all([
        tx.get(this.inventoryRef(eventId)),
        this.readKeys(tx, eventId, requests),
        tx.get(this.waitlistCollection(eventId).count()),
      ]);
      if (inventory.get('closed') === true) return { result: requests.map(closed), messages: 0 };
      const now = this.clock.now().toISOString();
      const outcomes = this.decide(eventId, requests, keys, (request) =>
        this.newRegistration(eventId, request, now, { status: 'waitlisted', waitlistKey: this.nextWaitlistKey() }),
      );
      const created = outcomes.filter(isCreated);
      let position = waiting.data().count;
      for (const { registration } of created) {
        this.writeNew(tx, registration);
        tx.create(this.waitlistRef(eventId, registration.waitlistKey!), {
          registrationId: registration.id,
          userId: registration.userId,
        });
        position += 1;
        this.enqueue(tx, RegistrationWaitlistedV2, { ...messageBase(registration), waitlistedAt: now, position });
      }
      return { result: outcomes, messages: created.length };
    });
  }

  /**
   * Cancels a registration. A confirmed one gives its seat to the first waitlisted person in the same
   * transaction (or back to its shard when nobody waits), so the seat moves exactly once.
   */
  async cancel(registrationId: string, reason: CancellationReason): Promise<CancelResult> {
    return this.commit<CancelResult>(async (tx) => {
      const snapshot = await tx.get(this.registrationRef(registrationId));
      if (!snapshot.exists) throw registrationNotFound(registrationId);
      const current = fromRegistrationDocument(snapshot.id, snapshot.data()!);
      // Already cancelled: cancelling again is a no-op that answers the same.
      if (current.status === 'cancelled') return { result: { registration: current, changed: false }, messages: 0 };
      const { eventId } = current;
      let promoted: Registration | undefined;
      let shard: { ref: DocumentReference; taken: number } | undefined;
      let head: WaitingPerson | undefined;
      if (current.status === 'confirmed') {
        const shardRef = this.shardRef(eventId, current.shard!);
        const [shardSnapshot, waiting] = await Promise.all([tx.get(shardRef), this.readWaitlistHead(tx, eventId, 1)]);
        shard = { ref: shardRef, taken: shardSnapshot.get('taken') as number };
        head = waiting[0];
      }
      const now = this.clock.now().toISOString();
      const cancelled: Registration = {
        ...current,
        status: 'cancelled',
        cancelledAt: now,
        cancellationReason: reason,
        updatedAt: now,
        version: current.version + 1,
        shard: undefined,
        waitlistKey: undefined,
      };
      tx.set(this.registrationRef(registrationId), toRegistrationDocument(cancelled));
      tx.delete(this.keyRef(eventId, current.userId));
      if (current.status === 'waitlisted') tx.delete(this.waitlistRef(eventId, current.waitlistKey!));
      this.enqueue(tx, RegistrationCancelledV1, {
        ...messageBase(cancelled),
        previousStatus: current.status,
        reason,
        cancelledAt: now,
      });
      if (shard && head) {
        promoted = this.promote(tx, eventId, head, current.shard!, now);
      } else if (shard) {
        tx.update(shard.ref, { taken: shard.taken - 1 });
      }
      return { result: { registration: cancelled, promoted, changed: true }, messages: promoted ? 2 : 1 };
    });
  }

  /**
   * Sets the event's capacity: refused below the confirmed count; a raise lets waitlisted people in,
   * first in first. The capacity version is assigned here (events keeps the highest it was told).
   */
  async resize(seed: InventorySeed, capacity: number): Promise<ResizeResult> {
    await this.ensureInventory(seed);
    const { eventId } = seed;
    return this.commit(async (tx) => {
      const [inventory, shardDocs] = await Promise.all([
        tx.get(this.inventoryRef(eventId)),
        tx.get(this.inventoryRef(eventId).collection('shards')),
      ]);
      const view = inventoryView(inventory, shardDocs.docs);
      const shards = resizeShards(view.shards, capacity);
      const free = capacity - confirmedOf(shards);
      const waiting =
        free > 0 ? await this.readWaitlistHead(tx, eventId, Math.min(free, PROMOTIONS_PER_TRANSACTION)) : [];
      const now = this.clock.now().toISOString();
      const seated = this.seatWaiting(tx, eventId, shards, waiting, now);
      for (const shard of seated.shards) {
        tx.set(this.shardRef(eventId, shard.index), { capacity: shard.capacity, taken: shard.taken });
      }
      const capacityVersion = view.capacityVersion + 1;
      tx.update(this.inventoryRef(eventId), {
        capacity,
        capacityVersion,
        updatedAt: Timestamp.fromDate(this.clock.now()),
      });
      return {
        result: { capacity, capacityVersion, confirmed: confirmedOf(seated.shards), promoted: seated.promoted },
        messages: seated.promoted,
      };
    });
  }

  /**
   * Gives free seats to waitlisted people, first in first (up to a transaction's worth). Run after
   * waitlisting, because a seat freed by another process while this one decided "full" would otherwise
   * stay free while people wait. Returns how many were promoted.
   */
  async promoteWaitlist(eventId: string): Promise<number> {
    return this.commit(async (tx) => {
      const shardDocs = await tx.get(this.inventoryRef(eventId).collection('shards'));
      const shards = shardDocs.docs.map(shardOf);
      const free = shards.reduce((sum, s) => sum + Math.max(0, freeOf(s)), 0);
      if (free === 0) return { result: 0, messages: 0 };
      const waiting = await this.readWaitlistHead(tx, eventId, Math.min(free, PROMOTIONS_PER_TRANSACTION));
      const now = this.clock.now().toISOString();
      const seated = this.seatWaiting(tx, eventId, shards, waiting, now);
      for (const shard of seated.shards) {
        const before = shards.find((s) => s.index === shard.index)!;
        if (before.taken !== shard.taken) tx.update(this.shardRef(eventId, shard.index), { taken: shard.taken });
      }
      return { result: seated.promoted, messages: seated.promoted };
    });
  }

  /**
   * The event was cancelled: closes its inventory and cancels up to `limit` of its active
   * registrations. Returns how many it cancelled; call again until 0.
   */
  async closeAndCancelSome(eventId: string, limit = PROMOTIONS_PER_TRANSACTION): Promise<number> {
    return this.commit(async (tx) => {
      const [active, shardDocs] = await Promise.all([
        tx.get(
          this.firestore
            .collection(COLLECTIONS.registrations)
            .where('eventId', '==', eventId)
            .where('status', 'in', ['confirmed', 'waitlisted'])
            .limit(limit),
        ),
        tx.get(this.inventoryRef(eventId).collection('shards')),
      ]);
      const taken = new Map(shardDocs.docs.map((doc) => [Number(doc.id), doc.get('taken') as number]));
      const now = this.clock.now().toISOString();
      tx.set(
        this.inventoryRef(eventId),
        { closed: true, updatedAt: Timestamp.fromDate(this.clock.now()) },
        { merge: true },
      );
      for (const doc of active.docs) {
        const current = fromRegistrationDocument(doc.id, doc.data());
        const cancelled: Registration = {
          ...current,
          status: 'cancelled',
          cancelledAt: now,
          cancellationReason: 'event-cancelled',
          updatedAt: now,
          version: current.version + 1,
          shard: undefined,
          waitlistKey: undefined,
        };
        if (current.shard !== undefined) taken.set(current.shard, (taken.get(current.shard) ?? 1) - 1);
        tx.set(doc.ref, toRegistrationDocument(cancelled));
        tx.delete(this.keyRef(eventId, current.userId));
        if (current.waitlistKey) tx.delete(this.waitlistRef(eventId, current.waitlistKey));
        this.enqueue(tx, RegistrationCancelledV1, {
          ...messageBase(cancelled),
          previousStatus: current.status as 'confirmed' | 'waitlisted',
          reason: 'event-cancelled',
          cancelledAt: now,
        });
      }
      for (const [index, seats] of taken) tx.update(this.shardRef(eventId, index), { taken: seats });
      return { result: active.size, messages: active.size };
    });
  }

  async findById(id: string): Promise<Registration | undefined> {
    const snapshot = await this.registrationRef(id).get();
    return snapshot.exists ? fromRegistrationDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  async findMany(ids: string[]): Promise<Map<string, Registration>> {
    if (ids.length === 0) return new Map();
    const snapshots = await this.firestore.getAll(...ids.map((id) => this.registrationRef(id)));
    return new Map(
      snapshots.filter((s) => s.exists).map((s) => [s.id, fromRegistrationDocument(s.id, s.data()!)] as const),
    );
  }

  /** The active registration a person holds for an event, if any (outside a transaction). */
  async findActiveId(eventId: string, userId: string): Promise<string | undefined> {
    const key = await this.keyRef(eventId, userId).get();
    return key.exists ? (key.get('registrationId') as string) : undefined;
  }

  /** 1-based place in line of a waitlisted registration: how many wait before it, plus one. */
  async waitlistPosition(eventId: string, waitlistKey: string): Promise<number> {
    return (await waitlistPositions(this.firestore, eventId, [waitlistKey])).get(waitlistKey)!;
  }

  async waitlistLength(eventId: string): Promise<number> {
    const count = await this.firestore
      .collection(COLLECTIONS.waitlist)
      .doc(eventId)
      .collection('entries')
      .count()
      .get();
    return count.data().count;
  }

  /**
   * A person's registrations whose event has not ended (soonest end first), or has (latest first),
   * continuing after `after` (the last item of the previous page).
   */
  async listByUser(
    userId: string,
    when: 'upcoming' | 'past',
    page: { limit: number; after?: { eventEndsAt: string; id: string } },
  ): Promise<{ items: Registration[]; hasMore: boolean }> {
    const now = Timestamp.fromDate(this.clock.now());
    const direction = when === 'upcoming' ? 'asc' : 'desc';
    const shape = MY_REGISTRATIONS_QUERY;
    let query = this.firestore
      .collection(shape.collection)
      .where(shape.equality, '==', userId)
      .where(shape.orderedBy, when === 'upcoming' ? '>=' : '<', now)
      .orderBy(shape.orderedBy, direction)
      .orderBy(FieldPath.documentId(), direction);
    if (page.after) query = query.startAfter(toTimestamp(page.after.eventEndsAt), page.after.id);
    const snapshot = await query.limit(page.limit + 1).get();
    const items = snapshot.docs.slice(0, page.limit).map((doc) => fromRegistrationDocument(doc.id, doc.data()));
    return { items, hasMore: snapshot.size > page.limit };
  }

  /** The inventory's shards, for watching (availability stream). */
  shardsCollection(eventId: string) {
    return this.inventoryRef(eventId).collection('shards');
  }

  waitlistCollection(eventId: string) {
    return this.firestore.collection(COLLECTIONS.waitlist).doc(eventId).collection('entries');
  }

  inventoryDocument(eventId: string) {
    return this.inventoryRef(eventId);
  }

  // ── inside transactions ───────────────────────────────────────────────────────────────────────

  /**
   * Runs a transaction whose body returns its result and how many outbox messages it enqueued (again
   * after contention), and wakes the outbox relay after a commit that enqueued any.
   */
  private async commit<T>(body: (tx: Transaction) => Promise<{ result: T; messages: number }>): Promise<T> {
    // Also past the SDK's own retries: e.g. locks left by a process killed mid-transaction expire.
    const { result, messages } = await retryOnContention(() => this.firestore.runTransaction(body));
    if (messages > 0) this.outbox.kick();
    return result;
  }

  private readKeys(tx: Transaction, eventId: string, requests: SeatRequest[]): Promise<DocumentSnapshot[]> {
    const refs = requests.map((r) => this.keyRef(eventId, r.userId));
    return refs.length ? tx.getAll(...refs) : Promise.resolve([]);
  }

  /**
   * Per request, in order: the registration it already holds (also one created earlier in this
   * batch), or what `seat` makes of it (undefined: no seat here).
   */
  private decide(
    eventId: string,
    requests: SeatRequest[],
    keys: DocumentSnapshot[],
    seat: (request: SeatRequest) => Registration | undefined,
  ): SeatOutcome[] {
    const inBatch = new Map<string, string>();
    return requests.map((request, i) => {
      const existing = keys[i].exists ? (keys[i].get('registrationId') as string) : inBatch.get(request.userId);
      if (existing) return { kind: 'existing', registrationId: existing };
      const registration = seat(request);
      if (!registration) return { kind: 'no-seat' };
      inBatch.set(request.userId, registration.id);
      return { kind: registration.status as 'confirmed' | 'waitlisted', registration };
    });
  }

  private newRegistration(
    eventId: string,
    request: SeatRequest,
    now: string,
    state: Pick<Registration, 'status'> & Partial<Registration>,
  ): Registration {
    return {
      id: randomUUID(),
      eventId,
      userId: request.userId,
      holderName: request.holderName,
      eventTitle: request.eventTitle,
      eventStartsAt: request.eventStartsAt,
      eventEndsAt: request.eventEndsAt,
      // Drawn here, not checked against the event's other codes: no read on the hot path (see CheckInCodes).
      checkInCode: newCheckInCode(),
      // Written with the registration, never read on this path: only a retry that finds it looks.
      requestKey: request.requestKey || undefined,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...state,
    };
  }

  private writeNew(tx: Transaction, registration: Registration): void {
    tx.create(this.registrationRef(registration.id), toRegistrationDocument(registration));
    tx.create(this.keyRef(registration.eventId, registration.userId), {
      registrationId: registration.id,
      eventId: registration.eventId,
      userId: registration.userId,
    });
  }

  /** The first `limit` people in line, with their registrations (reads only). */
  private async readWaitlistHead(tx: Transaction, eventId: string, limit: number): Promise<WaitingPerson[]> {
    const entries = await tx.get(
      this.firestore
        .collection(COLLECTIONS.waitlist)
        .doc(eventId)
        .collection('entries')
        .orderBy(FieldPath.documentId())
        .limit(limit),
    );
    if (entries.empty) return [];
    const registrations = await tx.getAll(
      ...entries.docs.map((entry) => this.registrationRef(entry.get('registrationId') as string)),
    );
    return entries.docs.map((entry, i) => ({
      key: entry.id,
      registration: fromRegistrationDocument(registrations[i].id, registrations[i].data()!),
    }));
  }

  /** Seats the waiting people, in order, in shards with free seats (writes only; returns the new shards). */
  private seatWaiting(
    tx: Transaction,
    eventId: string,
    shards: Shard[],
    waiting: WaitingPerson[],
    now: string,
  ): { shards: Shard[]; promoted: number } {
    const next = shards.map((s) => ({ ...s }));
    let promoted = 0;
    for (const person of waiting) {
      const shard = next.find((s) => freeOf(s) > 0);
      if (!shard) break;
      shard.taken += 1;
      this.promote(tx, eventId, person, shard.index, now);
      promoted += 1;
    }
    return { shards: next, promoted };
  }

  /** Moves a waiting person onto a seat of `shard` (the caller accounts for the seat). */
  private promote(tx: Transaction, eventId: string, person: WaitingPerson, shard: number, now: string): Registration {
    const promoted: Registration = {
      ...person.registration,
      status: 'confirmed',
      confirmedAt: now,
      updatedAt: now,
      version: person.registration.version + 1,
      shard,
      waitlistKey: undefined,
    };
    tx.set(this.registrationRef(promoted.id), toRegistrationDocument(promoted));
    tx.delete(this.waitlistRef(eventId, person.key));
    this.enqueue(tx, RegistrationPromotedV1, { ...messageBase(promoted), promotedAt: now });
    return promoted;
  }

  private enqueue<T extends object>(tx: Transaction, cls: new () => T, payload: Record<string, unknown>): void {
    this.outbox.enqueue(tx, plainToInstance(cls, payload));
  }

  /** Sortable, unique: milliseconds, then this process's sequence, then the process. */
  private nextWaitlistKey(): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return `${String(this.clock.now().getTime()).padStart(15, '0')}-${String(this.sequence).padStart(6, '0')}-${this.instance}`;
  }

  private inventoryRef(eventId: string) {
    return this.firestore.collection(COLLECTIONS.inventory).doc(eventId);
  }

  private shardRef(eventId: string, index: number) {
    return this.inventoryRef(eventId).collection('shards').doc(String(index));
  }

  private registrationRef(id: string) {
    return this.firestore.collection(COLLECTIONS.registrations).doc(id);
  }

  private keyRef(eventId: string, userId: string) {
    return this.firestore.collection(COLLECTIONS.registrationKeys).doc(registrationKeyId(eventId, userId));
  }

  private waitlistRef(eventId: string, key: string) {
    return this.firestore.collection(COLLECTIONS.waitlist).doc(eventId).collection('entries').doc(key);
  }
}

export interface CancelResult {
  registration: Registration;
  /** The first waitlisted person, who got the freed seat. */
  promoted?: Registration;
  /** false: it was already cancelled, and nothing changed. */
  changed: boolean;
}

function closed(): SeatOutcome {
  return { kind: 'closed' };
}

interface WaitingPerson {
  key: string;
  registration: Registration;
}

function isCreated(outcome: SeatOutcome): outcome is { kind: 'confirmed' | 'waitlisted'; registration: Registration } {
  return outcome.kind === 'confirmed' || outcome.kind === 'waitlisted';
}

function messageBase(registration: Registration) {
  return {
    registrationId: registration.id,
    eventId: registration.eventId,
    userId: registration.userId,
    version: registration.version,
  };
}

function shardOf(doc: DocumentSnapshot): Shard {
  return { index: Number(doc.id), capacity: doc.get('capacity') as number, taken: doc.get('taken') as number };
}

function inventoryView(inventory: DocumentSnapshot, shardDocs: DocumentSnapshot[]): InventoryView {
  const shards = shardDocs.map(shardOf).sort((a, b) => a.index - b.index);
  return {
    exists: inventory.exists,
    closed: inventory.get('closed') === true,
    capacity: (inventory.get('capacity') as number | undefined) ?? 0,
    capacityVersion: (inventory.get('capacityVersion') as number | undefined) ?? 0,
    shards,
  };
}

export function registrationNotFound(id: string): DomainError {
  return new DomainError('REGISTRATION_NOT_FOUND', `registration ${id} does not exist`);
}
