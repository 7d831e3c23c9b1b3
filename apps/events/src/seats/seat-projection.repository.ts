import type { RegistrationStatus } from '@convene/contracts';

/** One registration as registrations last announced it, with the registration's own revision. */
export interface RegistrationSeat {
  eventId: string;
  registrationId: string;
  status: RegistrationStatus;
  version: number;
}

export interface SeatCounts {
  confirmed: number;
  waitlisted: number;
}

/**
 * The seats-taken projection: per registration, its latest known status
 * (`seatProjections/{eventId}/registrations/{registrationId}`). One document per registration, never a
 * counter per event: a flash sale sends thousands of messages for one event, and a Firestore document
 * takes about one write a second. Counts are aggregated when read.
 */
export abstract class SeatProjectionRepository {
  /**
   * Records the seat unless the same or a newer version of the registration is held, so the
   * projection converges whatever the delivery order and however often a message is redelivered.
   * Resolves true when it changed the projection.
   */
  abstract apply(seat: RegistrationSeat): Promise<boolean>;
  abstract counts(eventId: string): Promise<SeatCounts>;
}
