import type { RegistrationMessage } from '@convene/contracts';
import type { Registration } from './registration';

/** A registration as the API shows it (without storage details such as its shard or waitlist key). */
export function toRegistrationMessage(registration: Registration & { waitlistPosition?: number }): RegistrationMessage {
  return {
    id: registration.id,
    eventId: registration.eventId,
    userId: registration.userId,
    status: registration.status,
    waitlistPosition: registration.waitlistPosition,
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
    confirmedAt: registration.confirmedAt,
    cancelledAt: registration.cancelledAt,
    cancellationReason: registration.cancellationReason,
    checkedInAt: registration.checkedInAt,
    eventTitle: registration.eventTitle,
    eventStartsAt: registration.eventStartsAt,
    eventEndsAt: registration.eventEndsAt,
    holderName: registration.holderName,
  };
}
