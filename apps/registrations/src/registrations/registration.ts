import type { CancellationReason, RegistrationStatus } from '@convene/contracts';

/**
 * A person's registration for an event, as the registrations service owns it. Instants are ISO 8601
 * strings (UTC) here and Timestamps in Firestore.
 *
 * Storage (all owned by registrations):
 * - `registrations/{id}`: this record. `version` is 1 when created and +1 on every change; messages
 *   carry it so projections elsewhere converge.
 * - `registrationKeys/{eventId}~{userId}`: exists while the person holds an active (confirmed or
 *   waitlisted) registration for the event, naming it. Created in the registering transaction, so a
 *   person never holds two; deleted when it is cancelled.
 * - `inventory/{eventId}` and `inventory/{eventId}/shards/{n}`: capacity and seats taken (see
 *   inventory.ts).
 * - `waitlist/{eventId}/entries/{waitlistKey}`: the line, in key order (first in, first promoted).
 * - `checkins/{registrationId}`: the check-in (created once; see the tickets module).
 */
export interface Registration {
  id: string;
  eventId: string;
  userId: string;
  holderName: string;
  status: RegistrationStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  cancellationReason?: CancellationReason;
  /** While waitlisted: the entry's key in `waitlist/{eventId}/entries`. */
  waitlistKey?: string;
  /** While confirmed: the inventory shard the seat was taken from (given back there on cancel). */
  shard?: number;
  checkedInAt?: string;
  checkedInBy?: string;
  /**
   * The short code door staff may type instead of scanning the ticket (canonical: 8 Crockford base32
   * characters, no dash). Drawn when the registration is created; registrations older than codes get
   * one on their first ticket read (CheckInCodes.ensure), which is not a change others are told of, so
   * it keeps `version`.
   */
  checkInCode?: string;
  /**
   * The key of the request that created it (the gateway's hash of its Idempotency-Key), so that a
   * retry of that request is answered with this registration instead of ALREADY_REGISTERED. Storage
   * only: no API response or message carries it.
   */
  requestKey?: string;
  /** What the attendee sees in their list, copied from the event when registering. */
  eventTitle: string;
  eventStartsAt: string;
  eventEndsAt: string;
}

export const COLLECTIONS = {
  registrations: 'registrations',
  registrationKeys: 'registrationKeys',
  inventory: 'inventory',
  waitlist: 'waitlist',
  checkins: 'checkins',
  ticketKeys: 'ticketKeys',
} as const;

export function registrationKeyId(eventId: string, userId: string): string {
  return `${eventId}~${userId}`;
}
