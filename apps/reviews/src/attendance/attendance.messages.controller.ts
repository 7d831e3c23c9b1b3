import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  AttendeeCheckedInV1,
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  Topics,
} from '@convene/contracts';
import { AttendanceStore } from './attendance.store';

/**
 * Pub/Sub entry points of the attendance projection (who may review). The message is already
 * validated against its contract class. `registration.waitlisted` is not consumed: waiting in line
 * never makes anyone eligible, and a later promotion carries a newer version anyway.
 */
@Controller()
export class AttendanceMessagesController {
  constructor(private readonly attendance: AttendanceStore) {}

  @EventPattern<string>(Topics.registrationConfirmed)
  async onConfirmed(@Payload() message: RegistrationConfirmedV1): Promise<void> {
    await this.attendance.apply({ ...this.ids(message), status: 'confirmed' });
  }

  @EventPattern<string>(Topics.registrationPromoted)
  async onPromoted(@Payload() message: RegistrationPromotedV1): Promise<void> {
    await this.attendance.apply({ ...this.ids(message), status: 'confirmed' });
  }

  @EventPattern<string>(Topics.registrationCancelled)
  async onCancelled(@Payload() message: RegistrationCancelledV1): Promise<void> {
    await this.attendance.apply({
      ...this.ids(message),
      status: 'cancelled',
      // A seat held until this moment counts if the event had started by then.
      ...(message.previousStatus === 'confirmed' ? { confirmedUntil: message.cancelledAt } : {}),
    });
  }

  @EventPattern<string>(Topics.attendeeCheckedIn)
  async onCheckedIn(@Payload() message: AttendeeCheckedInV1): Promise<void> {
    await this.attendance.apply({ ...this.ids(message), status: 'confirmed', checkedIn: true });
  }

  private ids(message: Pick<RegistrationConfirmedV1, 'eventId' | 'userId' | 'registrationId' | 'version'>) {
    return {
      eventId: message.eventId,
      userId: message.userId,
      registrationId: message.registrationId,
      version: message.version,
    };
  }
}
