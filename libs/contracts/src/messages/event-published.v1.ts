import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Topics } from '../topics';
import { EVENT_VISIBILITIES, type EventVisibility } from '../events/event-fields';

export class EventPublishedVenueV1 {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(1, 500) address!: string;
}

/** `event.published` v1: an organizer published an event; it is now visible and open for registration. */
export class EventPublishedV1 {
  static readonly eventType = Topics.eventPublished;
  static readonly schemaVersion = 1;

  @IsUUID() id!: string;
  @IsOptional() @IsString() organizerId?: string;
  @IsString() @Length(1, 200) title!: string;
  @IsISO8601({ strict: true }) startsAt!: string;
  @IsISO8601({ strict: true }) endsAt!: string;
  @IsString() timezone!: string;
  @IsInt() @Min(1) @Max(1_000_000) capacity!: number;
  @IsIn(EVENT_VISIBILITIES) visibility!: EventVisibility;
  @IsOptional() @ValidateNested() @Type(() => EventPublishedVenueV1) venue?: EventPublishedVenueV1;
  @IsOptional() @IsString() onlineUrl?: string;
  @IsISO8601({ strict: true }) publishedAt!: string;
}
