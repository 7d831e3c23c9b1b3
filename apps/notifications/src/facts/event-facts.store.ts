import { Firestore, type Transaction } from '@google-cloud/firestore';
import { Inject, Injectable } from '@nestjs/common';
import { callAs, DomainError, ReadThroughCache } from '@convene/common';
import type { EventMessage, EventsServiceClient } from '@convene/contracts';
import type { EventFacts } from '../notices/notice';

export const EVENT_FACTS_COLLECTION = 'eventFacts';
export const EVENTS_SERVICE = Symbol('EventsServiceClient');

export abstract class EventFactsSettings {
  abstract readonly deadlineMs: number;
}

/** Reminder bookkeeping kept with the facts: which reminders went out for which start time. */
export interface ReminderMarks {
  /** The start time the reminders below refer to; a rescheduled event gets new reminders. */
  remindedFor?: string;
  reminded24h?: boolean;
  reminded1h?: boolean;
}

/**
 * `eventFacts/{eventId}`: an event's title, time, place, organizer and status as notifications last
 * heard them (`event.published`, `event.updated`, `event.cancelled`), newest `updatedAt` wins. When a
 * message about an event arrives before its facts (topics are not ordered), the events service is
 * asked once and the answer kept.
 */
@Injectable()
export class EventFactsStore {
  /**
   * A registration rush brings thousands of messages about one event: its facts are read once per
   * 2 s, not once per message. What this process records replaces the entry at once; another
   * replica's change shows within the TTL (a notification's wording, never who is told).
   */
  private readonly cache = new ReadThroughCache<EventFacts>({ ttlMs: 2000, maxEntries: 5000, now: Date.now });

  constructor(
    private readonly firestore: Firestore,
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    private readonly settings: EventFactsSettings,
  ) {}

  /** Records the facts unless newer ones are held. Resolves the facts now held. */
  async record(facts: EventFacts): Promise<EventFacts> {
    const ref = this.collection().doc(facts.id);
    this.cache.delete(facts.id);
    return this.firestore.runTransaction(async (tx) => {
      const held = await tx.get(ref);
      const current = held.exists ? (held.data() as EventFacts & ReminderMarks) : undefined;
      if (current && current.updatedAt > facts.updatedAt) return strip(current);
      // A cancellation is final, whatever update arrives after it.
      const status = current?.status === 'cancelled' ? 'cancelled' : facts.status;
      tx.set(ref, { ...facts, status }, { merge: true });
      return { ...facts, status };
    });
  }

  async get(eventId: string): Promise<EventFacts | undefined> {
    return this.cache.get(eventId, () => this.load(eventId));
  }

  private async load(eventId: string): Promise<EventFacts | undefined> {
    const snapshot = await this.collection().doc(eventId).get();
    if (snapshot.exists) return strip(snapshot.data() as EventFacts);
    let event: EventMessage;
    try {
      event = await callAs(undefined, this.settings.deadlineMs, (metadata, options) =>
        this.events.getEvent({ id: eventId }, metadata, options),
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'EVENT_NOT_FOUND') return undefined;
      throw error;
    }
    if (event.status === 'draft') return undefined;
    return this.record(factsOf(event));
  }

  /**
   * Published events starting in (now, now + horizon] whose reminders for their current start time are
   * not all out (reminder scheduler). Index: (status, startsAt).
   */
  async startingWithin(now: Date, horizonMs: number): Promise<(EventFacts & ReminderMarks)[]> {
    const snapshot = await this.collection()
      .where('status', '==', 'published')
      .where('startsAt', '>', now.toISOString())
      .where('startsAt', '<=', new Date(now.getTime() + horizonMs).toISOString())
      .orderBy('startsAt')
      .limit(500)
      .get();
    return snapshot.docs
      .map((doc) => doc.data() as EventFacts & ReminderMarks)
      .filter((e) => e.remindedFor !== e.startsAt || !e.reminded1h);
  }

  /**
   * Marks a reminder as going out for the event's start time, once, and calls `onClaim` in the same
   * transaction (to create its job): resolves false when it already was (another scheduler replica, or
   * a second pass), or the event changed time or was cancelled.
   */
  async claimReminder(
    eventId: string,
    startsAt: string,
    which: '24h' | '1h',
    onClaim: (tx: Transaction) => unknown,
  ): Promise<boolean> {
    const ref = this.collection().doc(eventId);
    return this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return false;
      const facts = snapshot.data() as EventFacts & ReminderMarks;
      if (facts.status !== 'published' || facts.startsAt !== startsAt) return false;
      const marks: ReminderMarks = facts.remindedFor === startsAt ? facts : { remindedFor: startsAt };
      if (which === '24h' ? marks.reminded24h : marks.reminded1h) return false;
      // The hour-before reminder supersedes a day-before one that never went out.
      tx.set(
        ref,
        { remindedFor: startsAt, reminded24h: true, reminded1h: which === '1h' || marks.reminded1h === true },
        { merge: true },
      );
      onClaim(tx);
      return true;
    });
  }

  private collection() {
    return this.firestore.collection(EVENT_FACTS_COLLECTION);
  }
}

export function factsOf(event: EventMessage): EventFacts {
  return {
    id: event.id,
    organizerId: event.organizerId,
    title: event.title,
    startsAt: new Date(event.startsAt).toISOString(),
    endsAt: new Date(event.endsAt).toISOString(),
    timezone: event.timezone,
    ...(event.venue?.name ? { venue: { name: event.venue.name, address: event.venue.address } } : {}),
    ...(event.onlineUrl ? { onlineUrl: event.onlineUrl } : {}),
    status: event.status === 'cancelled' ? 'cancelled' : 'published',
    updatedAt: new Date(event.updatedAt).toISOString(),
  };
}

function strip(stored: EventFacts & ReminderMarks): EventFacts {
  const { remindedFor: _r, reminded24h: _a, reminded1h: _b, ...facts } = stored;
  return facts;
}
