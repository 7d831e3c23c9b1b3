import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Envelope, EventPublishedV1, UserDeletedV1, UserRegisteredV1 } from '@convene/contracts';
import type { Notification } from './notification';
import { NotificationsRepository } from './notifications.repository';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(private readonly notifications: NotificationsRepository) {}

  /** An event went live: record its announcement, once per message. */
  async onEventPublished(message: EventPublishedV1, envelope: Envelope): Promise<void> {
    const where = message.venue ? `at ${message.venue.name}` : 'online';
    const notification: Notification = {
      id: randomUUID(),
      kind: envelope.eventType,
      recipientId: message.organizerId ?? null,
      title: `"${message.title}" is open for registration`,
      body: `Starts ${message.startsAt} (${message.timezone}), ${where}. ${message.capacity} seats.`,
      eventId: message.id,
      sourceEventId: envelope.eventId,
      correlationId: envelope.correlationId,
      createdAt: new Date().toISOString(),
      readAt: null,
    };
    const recorded = await this.notifications.recordOnce(notification);
    this.logger.log({
      message: recorded ? 'recorded event.published notification' : 'duplicate event.published ignored',
      eventId: message.id,
      sourceEventId: envelope.eventId,
    });
  }

  /** Someone joined: welcome them (once per message; never after their account was erased). */
  async onUserRegistered(message: UserRegisteredV1, envelope: Envelope): Promise<void> {
    const recorded = await this.notifications.recordOnce({
      id: randomUUID(),
      kind: envelope.eventType,
      recipientId: message.userId,
      title: `Welcome to Convene, ${message.displayName}`,
      body: 'Find an event you like and register: you will get your ticket right here.',
      sourceEventId: envelope.eventId,
      correlationId: envelope.correlationId,
      createdAt: new Date().toISOString(),
      readAt: null,
    });
    this.logger.log({
      message: recorded ? 'recorded welcome notification' : 'welcome not recorded (duplicate or erased user)',
    });
  }

  /** An account was erased: so is everything we told its owner. */
  async onUserDeleted(message: UserDeletedV1): Promise<void> {
    const erased = await this.notifications.eraseRecipient(message.userId);
    this.logger.log({ message: 'erased a deleted user’s notifications', erased });
  }
}
