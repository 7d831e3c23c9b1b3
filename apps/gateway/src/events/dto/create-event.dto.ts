import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  EVENT_CATEGORIES,
  EVENT_LIMITS,
  EVENT_VISIBILITIES,
  type EventCategory,
  type EventVisibility,
} from '@convene/contracts';
import { AbsentOrValid } from '../../http/absent-or-valid';
import { VenueDto } from './venue.dto';

/** An ISO 8601 date-time that says its offset, so "19:00" is never ambiguous. */
const WITH_OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Field formats only. Rules that relate fields (endsAt after startsAt, venue xor onlineUrl, a real
 * IANA zone, a future start) are the events service's, so every caller gets the same answer.
 */
export class CreateEventDto {
  @ApiProperty({ example: 'NestJS Paris meetup', minLength: 1, maxLength: EVENT_LIMITS.titleMax })
  @IsString()
  @Length(1, EVENT_LIMITS.titleMax)
  title!: string;

  @ApiPropertyOptional({ description: 'Plain text or Markdown.', maxLength: EVENT_LIMITS.descriptionMax, default: '' })
  @AbsentOrValid()
  @IsString()
  @MaxLength(EVENT_LIMITS.descriptionMax)
  description?: string;

  @ApiProperty({ example: '2027-03-14T19:00:00+01:00', description: 'ISO 8601 with offset; in the future.' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_OFFSET, { message: 'startsAt must include a UTC offset (Z or ±hh:mm)' })
  startsAt!: string;

  @ApiProperty({ example: '2027-03-14T22:00:00+01:00', description: 'ISO 8601 with offset; after startsAt.' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_OFFSET, { message: 'endsAt must include a UTC offset (Z or ±hh:mm)' })
  endsAt!: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone the event is held in.' })
  @IsString()
  @Length(1, 64)
  timezone!: string;

  @ApiPropertyOptional({ type: VenueDto, description: 'Give either venue or onlineUrl.' })
  @AbsentOrValid()
  @ValidateNested()
  @Type(() => VenueDto)
  venue?: VenueDto;

  @ApiPropertyOptional({ example: 'https://meet.example.com/nest-paris', maxLength: EVENT_LIMITS.urlMax })
  @AbsentOrValid()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: true })
  @MaxLength(EVENT_LIMITS.urlMax)
  onlineUrl?: string;

  @ApiProperty({ enum: EVENT_CATEGORIES, example: 'meetup' })
  @IsIn(EVENT_CATEGORIES)
  category!: EventCategory;

  @ApiPropertyOptional({ type: [String], maxItems: EVENT_LIMITS.tagsMax, example: ['nestjs', 'typescript'] })
  @AbsentOrValid()
  @IsArray()
  @ArrayMaxSize(EVENT_LIMITS.tagsMax)
  @IsString({ each: true })
  @Length(1, EVENT_LIMITS.tagMax, { each: true })
  tags?: string[];

  @ApiProperty({ minimum: EVENT_LIMITS.capacityMin, maximum: EVENT_LIMITS.capacityMax, example: 120 })
  @IsInt()
  @Min(EVENT_LIMITS.capacityMin)
  @Max(EVENT_LIMITS.capacityMax)
  capacity!: number;

  @ApiPropertyOptional({ default: true })
  @AbsentOrValid()
  @IsBoolean()
  waitlistEnabled?: boolean;

  @ApiPropertyOptional({ enum: EVENT_VISIBILITIES, default: 'public' })
  @AbsentOrValid()
  @IsIn(EVENT_VISIBILITIES)
  visibility?: EventVisibility;
}
