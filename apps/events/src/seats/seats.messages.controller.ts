import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV1,
  Topics,
  type RegistrationStatus,
} from '@convene/contracts';
import { SeatsProjection } from './seats-projection.service';

type RegistrationMessage = Pick<RegistrationConfirmedV1, 'registrationId' | 'eventId' | 'version'>;

/** Pub/Sub entry points of the seats projection. The message is already validated against its contract class. */
@Controller()
export class SeatsMessagesController {
  constructor(private readonly projection: SeatsProjection) {}

  @EventPattern<string>(Topics.registrationConfirmed)
  async onConfirmed(@Payload() message: RegistrationConfirmedV1): Promise<void> {
    await this.record(message, 'confirmed');
  }

  @EventPattern<string>(Topics.registrationWaitlisted)
  async onWaitlisted(@Payload() message: RegistrationWaitlistedV1): Promise<void> {
    await this.record(message, 'waitlisted');
  }

  @EventPattern<string>(Topics.registrationPromoted)
  async onPromoted(@Payload() message: RegistrationPromotedV1): Promise<void> {
    await this.record(message, 'confirmed');
  }

  @EventPattern<string>(Topics.registrationCancelled)
  async onCancelled(@Payload() message: RegistrationCancelledV1): Promise<void> {
    await this.record(message, 'cancelled');
  }

  private record(message: RegistrationMessage, status: RegistrationStatus): Promise<void> {
    return this.projection.record({
      eventId: message.eventId,
      registrationId: message.registrationId,
      status,
      version: message.version,
    });
  }
}
