import type { EventCategory, EventStatus, EventVisibility } from '@convene/contracts';
import type { RatingSummary } from '../ratings/rating-summary';

export interface Venue {
  name: string;
  address: string;
  lat?: number;
  lng?: number;
}

/** An event as the events service owns it. Instants are ISO 8601 strings (UTC). */
export interface Event {
  id: string;
  organizerId: string;
  status: EventStatus;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  venue?: Venue;
  onlineUrl?: string;
  category: EventCategory;
  tags: string[];
  capacity: number;
  /** Orders capacity changes: the version registrations assigned to the capacity recorded here (0 at creation). */
  capacityVersion: number;
  waitlistEnabled: boolean;
  visibility: EventVisibility;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
  /** Check-in staff (user ids), granted by the organizer; shown only to the organizer, admins and the staff. */
  staffIds: string[];
  /**
   * Whether seats were left when last computed from the seats projection (see seats/): query support
   * for the listing's "has seats" filter, refreshed at most about once a second per event.
   */
  hasSeats: boolean;
}

/**
 * An event as a reader gets it: with the seats-taken counts when it is published, and always with the
 * rating summary of its visible reviews (empty for a draft, which nobody can have attended).
 */
export interface EventView extends Event {
  confirmedCount?: number;
  waitlistedCount?: number;
  seatsLeft?: number;
  rating: RatingSummary;
}

export type NewEvent = Omit<
  Event,
  | 'id'
  | 'organizerId'
  | 'status'
  | 'createdAt'
  | 'updatedAt'
  | 'publishedAt'
  | 'cancelledAt'
  | 'cancellationReason'
  | 'capacityVersion'
  | 'staffIds'
  | 'hasSeats'
>;
