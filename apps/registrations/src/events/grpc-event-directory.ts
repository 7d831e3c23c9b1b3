import { Inject, Injectable } from '@nestjs/common';
import { callAs, Clock, type Identity } from '@convene/common';
import type { EventMessage, EventsServiceClient } from '@convene/contracts';
import { EventDirectory, type EventInfo } from './event-info';

export const EVENTS_SERVICE = Symbol('EventsServiceClient');

/** How long a published event's info is reused, and the deadline of calls to events (ms). */
export abstract class EventDirectorySettings {
  abstract readonly cacheMs: number;
  abstract readonly deadlineMs: number;
}

/**
 * EventDirectory over the events service's gRPC API. Published events are cached briefly: during an
 * on-sale rush every registration needs the event's status and times, which change rarely; a change
 * (cancelled, rescheduled) shows here within `cacheMs`, and a cancellation also closes the inventory
 * through `event.cancelled`.
 */
@Injectable()
export class GrpcEventDirectory extends EventDirectory {
  private readonly cache = new Map<string, { info: EventInfo; expiresAt: number }>();
  private readonly asking = new Map<string, Promise<EventInfo>>();

  constructor(
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    private readonly settings: EventDirectorySettings,
    private readonly clock: Clock,
  ) {
    super();
  }

  async get(eventId: string, viewer: Identity | undefined): Promise<EventInfo> {
    const cached = this.cache.get(eventId);
    if (cached && cached.expiresAt > this.clock.now().getTime()) return cached.info;
    // In a rush, hundreds of requests find the entry expired at once: one of them asks, the others
    // wait for its answer. Only a published event is shared (a draft is answered per viewer).
    const asking = this.asking.get(eventId);
    if (asking) {
      const shared = await asking.catch(() => undefined);
      if (shared?.status === 'published') return shared;
    }
    const fetching = this.getFresh(eventId, viewer).then((info) => ({ ...info, staffIds: [] }));
    this.asking.set(eventId, fetching);
    try {
      const info = await fetching;
      if (info.status === 'published' && this.settings.cacheMs > 0) {
        if (this.cache.size >= 10_000) this.cache.clear();
        this.cache.set(eventId, { info, expiresAt: this.clock.now().getTime() + this.settings.cacheMs });
      }
      return info;
    } finally {
      if (this.asking.get(eventId) === fetching) this.asking.delete(eventId);
    }
  }

  async getFresh(eventId: string, viewer: Identity | undefined): Promise<EventInfo> {
    const event = await callAs(viewer, this.settings.deadlineMs, (metadata, options) =>
      this.events.getEvent({ id: eventId }, metadata, options),
    );
    return toEventInfo(event);
  }
}

function toEventInfo(event: EventMessage): EventInfo {
  return {
    id: event.id,
    organizerId: event.organizerId,
    staffIds: event.staffIds ?? [],
    status: event.status,
    title: event.title,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    waitlistEnabled: event.waitlistEnabled,
    capacity: event.capacity,
    capacityVersion: event.capacityVersion ?? 0,
  };
}
