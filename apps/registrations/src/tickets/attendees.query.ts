import { invalidField, requireUuid } from '@convene/common';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '@convene/contracts';
import { decodeAttendeeCursor } from './attendee-cursor';

export const ATTENDEE_LIMITS = { default: 100, max: 1000 } as const;

/** Registrations are listed by registration time, then id: a total order, so pages never skip or repeat. */
export interface AttendeePosition {
  createdAt: string;
  id: string;
}

/** The attendee list's request once validated. */
export interface AttendeesFilter {
  eventId: string;
  status?: RegistrationStatus;
  checkedIn?: boolean;
  limit: number;
  after?: AttendeePosition;
}

/** A listing request as the transport hands it over (absent means "no filter"; limit 0 the default). */
export interface AttendeesRequest {
  eventId: string;
  status?: string;
  checkedIn?: boolean;
  limit?: number;
  cursor?: string;
}

/** Validates a listing request, or VALIDATION_FAILED naming the field. */
export function attendeesFilterOf(request: AttendeesRequest): AttendeesFilter {
  requireUuid('eventId', request.eventId);
  const limit = request.limit || ATTENDEE_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > ATTENDEE_LIMITS.max) {
    throw invalidField('limit', `limit must be an integer from 1 to ${ATTENDEE_LIMITS.max}`);
  }
  if (request.status !== undefined && !(REGISTRATION_STATUSES as readonly string[]).includes(request.status)) {
    throw invalidField('status', `status must be one of ${REGISTRATION_STATUSES.join(', ')}`);
  }
  return {
    eventId: request.eventId,
    status: request.status as RegistrationStatus | undefined,
    checkedIn: request.checkedIn,
    limit,
    after: request.cursor === undefined ? undefined : decodeAttendeeCursor(request.cursor),
  };
}

/**
 * The Firestore query's shape for a filter: equality fields, then the ordering (createdAt, then the
 * document id). The service builds its query from this shape and attendees.indexes.spec.ts checks
 * every shape against firestore.indexes.json, so a new filter cannot ship without its index.
 */
export interface AttendeesQueryShape {
  equalities: Array<'eventId' | 'status' | 'checkedIn'>;
  orderedBy: 'createdAt';
}

export function attendeesQueryShape(filter: Pick<AttendeesFilter, 'status' | 'checkedIn'>): AttendeesQueryShape {
  return {
    equalities: [
      'eventId',
      ...(filter.status !== undefined ? (['status'] as const) : []),
      ...(filter.checkedIn !== undefined ? (['checkedIn'] as const) : []),
    ],
    orderedBy: 'createdAt',
  };
}
