import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { Topics } from '../topics';
import { EventPublishedVenueV1 } from './event-published.v1';

/**
 * `event.updated` v1: a published event changed. `changes` names the fields that did (e.g. startsAt,
 * venue) so consumers decide whom to tell; the new time and place are included.
 */
export class EventUpdatedV1 {
  static readonly eventType = Topics.eventUpdated;
  static readonly schemaVersion = 1;

  @IsUUID() id!: string;
  @IsString() organizerId!: string;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) changes!: string[];
  @IsString() @Length(1, 200) title!: string;
  @IsISO8601({ strict: true }) startsAt!: string;
  @IsISO8601({ strict: true }) endsAt!: string;
  @IsString() timezone!: string;
  @IsOptional() @ValidateNested() @Type(() => EventPublishedVenueV1) venue?: EventPublishedVenueV1;
  @IsOptional() @IsString() onlineUrl?: string;
  @IsISO8601({ strict: true }) updatedAt!: string;
}
