import type { EventCategory, EventStatus, EventVisibility } from '@convene/contracts';

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
  waitlistEnabled: boolean;
  visibility: EventVisibility;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
}

export type NewEvent = Omit<
  Event,
  'id' | 'organizerId' | 'status' | 'createdAt' | 'updatedAt' | 'publishedAt' | 'cancelledAt' | 'cancellationReason'
>;
