import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventCancelledV1, Topics } from '@convene/contracts';
import { RegistrationsService } from './registrations.service';

/** Pub/Sub entry points. The message is already validated against its contract class. */
@Controller()
export class RegistrationsMessagesController {
  private readonly logger = new Logger(RegistrationsMessagesController.name);

  constructor(private readonly registrations: RegistrationsService) {}

  /**
   * Ends every registration of a cancelled event. Safe to redeliver: it cancels what is still active,
   * and the second time nothing is.
   */
  @EventPattern<string>(Topics.eventCancelled)
  async onEventCancelled(@Payload() message: EventCancelledV1): Promise<void> {
    const cancelled = await this.registrations.closeEvent(message.id);
    this.logger.log({ message: 'event cancelled: registrations ended', eventId: message.id, cancelled });
  }
}
