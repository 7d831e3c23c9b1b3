import { Inject, Injectable } from '@nestjs/common';
import { callAs, hasRole, type Identity } from '@convene/common';
import type { EventsServiceClient } from '@convene/contracts';

export const EVENTS_SERVICE = Symbol('EventsServiceClient');

/** What reviews needs to know of an event; the events service owns it. */
export interface EventFacts {
  id: string;
  organizerId: string;
  status: 'draft' | 'published' | 'cancelled';
  startsAt: string;
}

/**
 * Asks the events service about an event, as `viewer` (a draft exists only for its organizer:
 * everyone else gets EVENT_NOT_FOUND, as from events itself).
 */
export abstract class EventLookup {
  abstract get(eventId: string, viewer: Identity | undefined): Promise<EventFacts>;
}

export abstract class EventLookupSettings {
  abstract readonly deadlineMs: number;
}

/**
 * EventLookup over the events service's gRPC API, uncached: reviews are written at human pace, and a
 * rescheduled start or a new organizer decision must count at once.
 */
@Injectable()
export class GrpcEventLookup extends EventLookup {
  constructor(
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    private readonly settings: EventLookupSettings,
  ) {
    super();
  }

  async get(eventId: string, viewer: Identity | undefined): Promise<EventFacts> {
    const event = await callAs(viewer, this.settings.deadlineMs, (metadata, options) =>
      this.events.getEvent({ id: eventId }, metadata, options),
    );
    return { id: event.id, organizerId: event.organizerId, status: event.status, startsAt: event.startsAt };
  }
}

/** The organizer moderates the reviews of their event; admins moderate every event's. */
export function moderates(event: Pick<EventFacts, 'organizerId'>, identity: Identity): boolean {
  return event.organizerId === identity.userId || hasRole(identity, 'admin');
}
