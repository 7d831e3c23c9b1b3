import { ApiProperty } from '@nestjs/swagger';
import type { CheckInMessage } from '@convene/contracts';

export class CheckInResponse {
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'Show it to the person at the door.' }) holderName!: string;
  @ApiProperty({ format: 'date-time' }) checkedInAt!: string;
  @ApiProperty({ description: 'The organizer or staff member who scanned the ticket.' }) checkedInBy!: string;

  static from(message: CheckInMessage): CheckInResponse {
    return {
      registrationId: message.registrationId,
      eventId: message.eventId,
      holderName: message.holderName,
      checkedInAt: message.checkedInAt,
      checkedInBy: message.checkedInBy,
    };
  }
}
