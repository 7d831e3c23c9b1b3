import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Envelope, EventPublishedV1 } from '@convene/contracts';
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
}
