import { IsIn, IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';
import { Topics } from '../topics';

/**
 * Fields every registration message carries. `version` is the registration's own revision (1 when
 * created, +1 on every change): a consumer that keeps a projection applies a message only when its
 * version is newer than what it holds, so it converges whatever the delivery order or duplicates.
 */
abstract class RegistrationMessageV1 {
  @IsUUID() registrationId!: string;
  @IsUUID() eventId!: string;
  @IsString() userId!: string;
  @IsInt() @Min(1) version!: number;
}

/** `registration.confirmed` v1: someone holds a seat (registered while seats were left). */
export class RegistrationConfirmedV1 extends RegistrationMessageV1 {
  static readonly eventType = Topics.registrationConfirmed;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) confirmedAt!: string;
}

/** `registration.waitlisted` v1: the event was full; the person waits in line. */
export class RegistrationWaitlistedV1 extends RegistrationMessageV1 {
  static readonly eventType = Topics.registrationWaitlisted;
  static readonly schemaVersion: number = 1;

  @IsISO8601({ strict: true }) waitlistedAt!: string;
}

/**
 * `registration.waitlisted` v2: v1 plus the person's place in line when they joined it (1 is next), so
 * they can be told. A new version because consumers refuse unknown fields: a v1 consumer still running
 * during a rollout keeps reading v1, and every consumer reads both.
 */
export class RegistrationWaitlistedV2 extends RegistrationWaitlistedV1 {
  static override readonly schemaVersion = 2;

  @IsInt() @Min(1) position!: number;
}

/** `registration.promoted` v1: a seat freed up (or capacity grew) and the first in line got it. */
export class RegistrationPromotedV1 extends RegistrationMessageV1 {
  static readonly eventType = Topics.registrationPromoted;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) promotedAt!: string;
}

export const CANCELLATION_REASONS = ['attendee', 'organizer', 'event-cancelled'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** `registration.cancelled` v1: a registration ended; `previousStatus` says whether it held a seat. */
export class RegistrationCancelledV1 extends RegistrationMessageV1 {
  static readonly eventType = Topics.registrationCancelled;
  static readonly schemaVersion = 1;

  @IsIn(['confirmed', 'waitlisted']) previousStatus!: 'confirmed' | 'waitlisted';
  @IsIn(CANCELLATION_REASONS) reason!: CancellationReason;
  @IsISO8601({ strict: true }) cancelledAt!: string;
}

/** `attendee.checked-in` v1: a ticket was scanned at the door (once per registration). */
export class AttendeeCheckedInV1 extends RegistrationMessageV1 {
  static readonly eventType = Topics.attendeeCheckedIn;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) checkedInAt!: string;
}
