import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import type { Registration } from './registration';

/** The Firestore document of a registration (instants as Timestamps; absent fields as null). */
export function toRegistrationDocument(registration: Registration): DocumentData {
  const { id: _id, ...rest } = registration;
  return {
    ...rest,
    createdAt: toTimestamp(rest.createdAt),
    updatedAt: toTimestamp(rest.updatedAt),
    confirmedAt: rest.confirmedAt ? toTimestamp(rest.confirmedAt) : null,
    cancelledAt: rest.cancelledAt ? toTimestamp(rest.cancelledAt) : null,
    cancellationReason: rest.cancellationReason ?? null,
    waitlistKey: rest.waitlistKey ?? null,
    shard: rest.shard ?? null,
    checkedInAt: rest.checkedInAt ? toTimestamp(rest.checkedInAt) : null,
    // Query support only (attendee list filter): Firestore cannot filter "is not null" and order by another field cheaply.
    checkedIn: rest.checkedInAt !== undefined,
    checkedInBy: rest.checkedInBy ?? null,
    checkInCode: rest.checkInCode ?? null,
    requestKey: rest.requestKey ?? null,
    eventStartsAt: toTimestamp(rest.eventStartsAt),
    eventEndsAt: toTimestamp(rest.eventEndsAt),
  };
}

export function fromRegistrationDocument(id: string, data: DocumentData): Registration {
  return {
    id,
    eventId: data.eventId,
    userId: data.userId,
    holderName: data.holderName,
    status: data.status,
    version: data.version,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
    updatedAt: fromTimestamp(data.updatedAt as Timestamp),
    confirmedAt: fromTimestamp(data.confirmedAt as Timestamp | null),
    cancelledAt: fromTimestamp(data.cancelledAt as Timestamp | null),
    cancellationReason: data.cancellationReason ?? undefined,
    waitlistKey: data.waitlistKey ?? undefined,
    shard: data.shard ?? undefined,
    checkedInAt: fromTimestamp(data.checkedInAt as Timestamp | null),
    checkedInBy: data.checkedInBy ?? undefined,
    checkInCode: data.checkInCode ?? undefined,
    requestKey: data.requestKey ?? undefined,
    eventTitle: data.eventTitle,
    eventStartsAt: fromTimestamp(data.eventStartsAt as Timestamp),
    eventEndsAt: fromTimestamp(data.eventEndsAt as Timestamp),
  };
}
