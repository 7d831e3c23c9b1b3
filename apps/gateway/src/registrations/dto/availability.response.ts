import { ApiProperty } from '@nestjs/swagger';
import type { AvailabilityMessage } from '@convene/contracts';

export class AvailabilityResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Seats taken.' }) confirmed!: number;
  @ApiProperty({ description: 'People in line for a seat.' }) waitlisted!: number;
  @ApiProperty({ description: 'capacity − confirmed (never below 0).' }) seatsLeft!: number;

  static from(message: AvailabilityMessage): AvailabilityResponse {
    return {
      eventId: message.eventId,
      capacity: message.capacity,
      confirmed: message.confirmed,
      waitlisted: message.waitlisted,
      seatsLeft: message.seatsLeft,
    };
  }
}
