import type { NotificationCategory } from '@convene/contracts';

/** What notifications knows of a Convene event (its own projection of events' messages). */
export interface EventFacts {
  id: string;
  organizerId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  venue?: { name: string; address: string };
  onlineUrl?: string;
  status: 'published' | 'cancelled';
  /** Last change (ISO); also the calendar invite's SEQUENCE source, so an update supersedes. */
  updatedAt: string;
}

export const NOTICE_KINDS = [
  'welcome',
  'event.published',
  'event.updated',
  'event.cancelled',
  'registration.confirmed',
  'registration.waitlisted',
  'registration.promoted',
  'registration.cancelled',
  'registration.cancelled-by-organizer',
  'reminder.24h',
  'reminder.1h',
  'review.created',
  'requested',
  'webhook.disabled',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Something to tell one or many people, decided from a domain message (or a reminder, or a request).
 * `title` and `body` are the in-app text; the email composer makes its own richer mail from the same
 * notice (and a calendar invite for the kinds that hold a seat or change/cancel one).
 */
export interface Notice {
  /**
   * What caused it, stable across redeliveries and restarts: the message's envelope id, or a job's id
   * (reminders). With the recipient and kind it names the notification and the email, so each is
   * written once however often the cause is processed.
   */
  sourceId: string;
  kind: NoticeKind;
  category: NotificationCategory;
  title: string;
  body: string;
  /** Where the web app shows it, e.g. `/events/{id}`. */
  link?: string;
  event?: EventFacts;
  /** Kind-specific values for templates: `position`, `reason`, `changes`, `rating`, … */
  details?: Record<string, string | number | string[]>;
}

/** Who is told: what notifications keeps of an account (from `user.registered`). */
export interface Recipient {
  userId: string;
  email?: string;
  displayName: string;
}
