import type { WebhookEventType } from '@convene/contracts';
import type { Notice, Recipient } from './notice';

/** An email made from a notice: subject, text and HTML bodies, and a calendar invite when it has one. */
export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
  /** An iCalendar attachment (RFC 5545): REQUEST adds or updates the event, CANCEL removes it. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

/** Turns a notice into the email its recipient gets (templates). Pure. */
export abstract class EmailComposer {
  abstract compose(notice: Notice, recipient: Recipient): ComposedEmail;
}

/**
 * Durable email delivery: `enqueue` records the email under `id` unless a record with that id exists
 * (so a redelivered cause never queues it twice); a sender sends queued emails over SMTP, retrying
 * with backoff, and records a permanent failure instead of looping. Resolves true when newly queued.
 */
export abstract class EmailQueue {
  abstract enqueue(id: string, recipient: Recipient, email: ComposedEmail, notice: Notice): Promise<boolean>;
  /** Erasure: drops the person's emails not sent yet. */
  abstract forgetRecipient(userId: string): Promise<void>;
}

/** A domain event as an organizer's webhook endpoints receive it. */
export interface WebhookEvent {
  /** The organizer whose endpoints subscribed to `eventType` receive it. */
  ownerId: string;
  eventType: WebhookEventType;
  /** The domain message's envelope id: the receiver's dedupe key, and ours (one delivery per endpoint). */
  eventId: string;
  occurredAt: string;
  data: object;
}

/** Creates one delivery per matching active endpoint (once per endpoint and eventId) and sends them. */
export abstract class WebhookFanout {
  abstract publish(event: WebhookEvent): Promise<void>;
}
