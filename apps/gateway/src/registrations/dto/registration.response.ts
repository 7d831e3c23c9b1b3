import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CANCELLATION_REASONS, REGISTRATION_STATUSES, type RegistrationMessage } from '@convene/contracts';

export class RegistrationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'The attendee.' }) userId!: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: string;
  @ApiPropertyOptional({ minimum: 1, description: 'Place in line (1 is next), while waitlisted.' })
  waitlistPosition?: number;
  @ApiProperty({ description: 'The name printed on the ticket.' }) holderName!: string;
  @ApiProperty({ description: 'The event’s title when the registration was made.' }) eventTitle!: string;
  @ApiProperty({ format: 'date-time' }) eventStartsAt!: string;
  @ApiProperty({ format: 'date-time' }) eventEndsAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When a seat was taken (on registering or promotion).' })
  confirmedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) cancelledAt?: string;
  @ApiPropertyOptional({ enum: CANCELLATION_REASONS }) cancellationReason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) checkedInAt?: string;

  /** Field by field: proto3 optional fields arrive absent (or empty) when unset; nothing else leaks. */
  static from(message: RegistrationMessage): RegistrationResponse {
    return {
      id: message.id,
      eventId: message.eventId,
      userId: message.userId,
      status: message.status,
      ...(message.status === 'waitlisted' && message.waitlistPosition
        ? { waitlistPosition: message.waitlistPosition }
        : {}),
      holderName: message.holderName,
      eventTitle: message.eventTitle,
      eventStartsAt: message.eventStartsAt,
      eventEndsAt: message.eventEndsAt,
      createdAt: message.createdAt,
      updatedAt: message.updatedAt,
      ...(message.confirmedAt ? { confirmedAt: message.confirmedAt } : {}),
      ...(message.cancelledAt
        ? { cancelledAt: message.cancelledAt, cancellationReason: message.cancellationReason }
        : {}),
      ...(message.checkedInAt ? { checkedInAt: message.checkedInAt } : {}),
    };
  }
}
