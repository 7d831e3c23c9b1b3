import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_CATEGORIES, type NotificationMessage } from '@convene/contracts';

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    example: 'registration.confirmed',
    description:
      'What happened: welcome, registration.confirmed, registration.waitlisted, registration.promoted, ' +
      'registration.cancelled, event.updated, event.cancelled, reminder.24h, reminder.1h, review.created, …',
  })
  kind!: string;
  @ApiProperty({ enum: NOTIFICATION_CATEGORIES, description: 'What preferences switch it on or off.' })
  category!: string;
  @ApiProperty({ example: 'You’re in: NestJS Paris meetup' }) title!: string;
  @ApiProperty() body!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The Convene event it is about, if any.' }) eventId?: string;
  @ApiPropertyOptional({
    example: '/events/0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11',
    description: 'Where the web app shows it.',
  })
  link?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while unread.' })
  readAt!: string | null;
  @ApiProperty({
    description:
      'Its place in the caller’s timeline (opaque): the live stream’s event id, so a stream opened with ' +
      '`Last-Event-ID` set to it sends what came after.',
  })
  position!: string;

  /** Field by field: proto3 optional fields arrive absent (or empty) when unset; nothing else leaks. */
  static from(message: NotificationMessage): NotificationResponse {
    return {
      id: message.id,
      kind: message.kind,
      category: message.category,
      title: message.title,
      body: message.body,
      ...(message.eventId ? { eventId: message.eventId } : {}),
      ...(message.link ? { link: message.link } : {}),
      createdAt: message.createdAt,
      readAt: message.readAt || null,
      position: message.position,
    };
  }
}
