import { IsISO8601, IsString, IsUUID, Length } from 'class-validator';
import { Topics } from '../topics';

/** `event.cancelled` v1: an organizer (or admin) cancelled an event; every registration ends. */
export class EventCancelledV1 {
  static readonly eventType = Topics.eventCancelled;
  static readonly schemaVersion = 1;

  @IsUUID() id!: string;
  @IsString() organizerId!: string;
  @IsString() @Length(1, 200) title!: string;
  @IsISO8601({ strict: true }) startsAt!: string;
  @IsString() @Length(1, 500) reason!: string;
  @IsISO8601({ strict: true }) cancelledAt!: string;
}
