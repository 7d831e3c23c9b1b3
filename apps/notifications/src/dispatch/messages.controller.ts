import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  AttendeeCheckedInV1,
  EventCancelledV1,
  EventPublishedV1,
  EventUpdatedV1,
  NotificationRequestedV1,
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV2,
  ReviewCreatedV1,
  Topics,
  UserDeletedV1,
  UserRegisteredV1,
} from '@convene/contracts';
import { PubSubContext } from '@convene/pubsub';
import { NotificationTriggers, type Delivery } from '../dispatch/triggers';

export abstract class DeliverySettings {
  abstract readonly maxDeliveryAttempts: number;
}

/** Pub/Sub entry points. The message is already validated against its contract class. */
@Controller()
export class NotificationsMessagesController {
  constructor(
    private readonly triggers: NotificationTriggers,
    private readonly settings: DeliverySettings,
  ) {}

  @EventPattern<string>(Topics.userRegistered)
  onUserRegistered(@Payload() message: UserRegisteredV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.userRegistered(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.userDeleted)
  onUserDeleted(@Payload() message: UserDeletedV1): Promise<void> {
    return this.triggers.userDeleted(message);
  }

  @EventPattern<string>(Topics.eventPublished)
  onEventPublished(@Payload() message: EventPublishedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.eventPublished(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.eventUpdated)
  onEventUpdated(@Payload() message: EventUpdatedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.eventUpdated(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.eventCancelled)
  onEventCancelled(@Payload() message: EventCancelledV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.eventCancelled(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.registrationConfirmed)
  onConfirmed(@Payload() message: RegistrationConfirmedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.registrationConfirmed(message, this.delivery(context));
  }

  /** v1 (no position) or v2 (with it): both are read. */
  @EventPattern<string>(Topics.registrationWaitlisted)
  onWaitlisted(@Payload() message: RegistrationWaitlistedV2, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.registrationWaitlisted(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.registrationPromoted)
  onPromoted(@Payload() message: RegistrationPromotedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.registrationPromoted(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.registrationCancelled)
  onCancelled(@Payload() message: RegistrationCancelledV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.registrationCancelled(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.attendeeCheckedIn)
  onCheckedIn(@Payload() message: AttendeeCheckedInV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.attendeeCheckedIn(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.reviewCreated)
  onReviewCreated(@Payload() message: ReviewCreatedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.reviewCreated(message, this.delivery(context));
  }

  @EventPattern<string>(Topics.notificationRequested)
  onRequested(@Payload() message: NotificationRequestedV1, @Ctx() context: PubSubContext): Promise<void> {
    return this.triggers.notificationRequested(message, this.delivery(context));
  }

  private delivery(context: PubSubContext): Delivery {
    return {
      envelope: context.getEnvelope(),
      // The last delivery before the dead-letter topic goes on without what is still missing.
      mayRetry: context.getDeliveryAttempt() < this.settings.maxDeliveryAttempts - 1,
    };
  }
}
