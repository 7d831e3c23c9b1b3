import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPublishedV1, Topics, UserDeletedV1, UserRegisteredV1 } from '@convene/contracts';
import { PubSubContext } from '@convene/pubsub';
import { NotificationsService } from './notifications.service';

/** Pub/Sub entry points. The message is already validated against its contract class. */
@Controller()
export class NotificationsMessagesController {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern<string>(Topics.eventPublished)
  async onEventPublished(@Payload() message: EventPublishedV1, @Ctx() context: PubSubContext): Promise<void> {
    await this.notifications.onEventPublished(message, context.getEnvelope());
  }

  @EventPattern<string>(Topics.userRegistered)
  async onUserRegistered(@Payload() message: UserRegisteredV1, @Ctx() context: PubSubContext): Promise<void> {
    await this.notifications.onUserRegistered(message, context.getEnvelope());
  }

  @EventPattern<string>(Topics.userDeleted)
  async onUserDeleted(@Payload() message: UserDeletedV1): Promise<void> {
    await this.notifications.onUserDeleted(message);
  }
}
