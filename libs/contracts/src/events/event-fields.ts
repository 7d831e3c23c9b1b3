/** Value sets of an event's fields, shared by the gateway's DTOs, the events service and messages. */
export const EVENT_CATEGORIES = [
  'conference',
  'meetup',
  'workshop',
  'concert',
  'festival',
  'sports',
  'networking',
  'webinar',
  'exhibition',
  'other',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_VISIBILITIES = ['public', 'unlisted'] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_LIMITS = {
  titleMax: 200,
  descriptionMax: 10_000,
  tagsMax: 10,
  tagMax: 40,
  capacityMin: 1,
  capacityMax: 1_000_000,
  venueNameMax: 200,
  venueAddressMax: 500,
  urlMax: 2048,
} as const;
