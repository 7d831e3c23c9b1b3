import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REGISTRATION_STATUSES, type AttendeeMessage, type AttendeePageMessage } from '@convene/contracts';

export class AttendeeResponse {
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) checkedInAt?: string;
  @ApiPropertyOptional({ minimum: 1, description: 'Place in line, while waitlisted.' }) waitlistPosition?: number;

  static from(message: AttendeeMessage): AttendeeResponse {
    return {
      registrationId: message.registrationId,
      userId: message.userId,
      holderName: message.holderName,
      status: message.status,
      registeredAt: message.registeredAt,
      ...(message.checkedInAt ? { checkedInAt: message.checkedInAt } : {}),
      ...(message.status === 'waitlisted' && message.waitlistPosition
        ? { waitlistPosition: message.waitlistPosition }
        : {}),
    };
  }
}

export class AttendeePageResponse {
  @ApiProperty({ type: [AttendeeResponse] }) items!: AttendeeResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: AttendeePageMessage): AttendeePageResponse {
    return {
      items: (message.items ?? []).map((item) => AttendeeResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
