import type { Identity } from '@convene/common';

/** What registrations needs to know of an event; the events service owns it. */
export interface EventInfo {
  id: string;
  organizerId: string;
  staffIds: string[];
  status: 'draft' | 'published' | 'cancelled';
  title: string;
  startsAt: string;
  endsAt: string;
  waitlistEnabled: boolean;
  capacity: number;
  capacityVersion: number;
}

/**
 * Asks the events service about an event. `viewer` is forwarded so a draft is visible to its
 * organizer only (everyone else gets EVENT_NOT_FOUND, as from events itself).
 */
export abstract class EventDirectory {
  /** May answer from a short cache (registering: status and times change rarely); without staff. */
  abstract get(eventId: string, viewer: Identity | undefined): Promise<EventInfo>;
  /** Always asks (authorization decisions: organizer, staff). */
  abstract getFresh(eventId: string, viewer: Identity | undefined): Promise<EventInfo>;
}

/** The organizer (or an admin) manages the event; staff only check people in. */
export function managesEvent(event: EventInfo, identity: Identity): boolean {
  return event.organizerId === identity.userId || identity.roles.includes('admin');
}

export function checksInAtEvent(event: EventInfo, identity: Identity): boolean {
  return managesEvent(event, identity) || event.staffIds.includes(identity.userId);
}
