import { FieldPath, Firestore, type Query } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import type { Identity } from '@convene/common';
import type { AttendeeMessage, AttendeePageMessage } from '@convene/contracts';
import { toTimestamp } from '@convene/firestore';
import { EventDirectory } from '../events/event-info';
import { COLLECTIONS } from '../registrations/registration';
import { fromRegistrationDocument } from '../registrations/registration-document';
import { waitlistPositions } from '../registrations/waitlist-positions';
import { encodeAttendeeCursor } from './attendee-cursor';
import { attendeesFilterOf, attendeesQueryShape, type AttendeesFilter, type AttendeesRequest } from './attendees.query';
import { requireDoorAccess } from './door-access';

@Injectable()
export class AttendeesService {
  constructor(
    private readonly firestore: Firestore,
    private readonly directory: EventDirectory,
  ) {}

  /**
   * The event's registrations for its organizer, an admin or its staff, by registration time then id,
   * optionally only one status and/or only those (not) checked in. A cursor continues exactly after the
   * last attendee of the previous page.
   */
  async list(request: AttendeesRequest, actor: Identity): Promise<AttendeePageMessage> {
    const filter = attendeesFilterOf(request);
    await requireDoorAccess(this.directory, filter.eventId, actor);
    const snapshot = await buildAttendeesQuery(this.firestore.collection(COLLECTIONS.registrations), filter).get();
    const registrations = snapshot.docs
      .slice(0, filter.limit)
      .map((doc) => fromRegistrationDocument(doc.id, doc.data()));
    const positions = await waitlistPositions(
      this.firestore,
      filter.eventId,
      registrations.flatMap((r) => (r.status === 'waitlisted' && r.waitlistKey ? [r.waitlistKey] : [])),
    );
    const items: AttendeeMessage[] = registrations.map((registration) => {
      const position = registration.waitlistKey ? positions.get(registration.waitlistKey) : undefined;
      return {
        registrationId: registration.id,
        userId: registration.userId,
        holderName: registration.holderName,
        status: registration.status,
        registeredAt: registration.createdAt,
        checkedInAt: registration.checkedInAt,
        ...(position === undefined ? {} : { waitlistPosition: position }),
      };
    });
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        snapshot.size > filter.limit && last
          ? encodeAttendeeCursor({ createdAt: last.registeredAt, id: last.registrationId })
          : undefined,
    };
  }
}

/** Builds the listing query from its shape, so the query and the index test cannot disagree. */
export function buildAttendeesQuery(registrations: Query, filter: AttendeesFilter): Query {
  const shape = attendeesQueryShape(filter);
  let query = registrations;
  for (const field of shape.equalities) query = query.where(field, '==', filter[field]);
  query = query.orderBy(shape.orderedBy).orderBy(FieldPath.documentId());
  if (filter.after) query = query.startAfter(toTimestamp(filter.after.createdAt), filter.after.id);
  return query.limit(filter.limit + 1);
}
