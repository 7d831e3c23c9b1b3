import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { EVENT_CATEGORIES, type EventCategory } from '@convene/contracts';
import { PageQuery } from './page.query';

const WITH_OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

/** Query string of GET /v1/events. Formats only; the events service applies the rules. */
export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'One word, matched against title words and tags (accents and case ignored).',
    maxLength: 50,
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;

  @ApiPropertyOptional({ enum: EVENT_CATEGORIES })
  @IsOptional()
  @IsIn(EVENT_CATEGORIES)
  category?: EventCategory;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this organizer's events." })
  @IsOptional()
  @IsUUID()
  organizer?: string;

  @ApiPropertyOptional({ example: '2027-03-01T00:00:00Z', description: 'Events starting at or after this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_OFFSET, { message: 'from must include a UTC offset (Z or ±hh:mm)' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-03-31T23:59:59Z', description: 'Events starting at or before this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_OFFSET, { message: 'to must include a UTC offset (Z or ±hh:mm)' })
  to?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'true: only events with seats left (as of a flag refreshed about every second); false: no filter.',
  })
  @IsOptional()
  // Only the words: `Boolean('false')` would be true.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'hasSeats must be true or false' })
  hasSeats?: boolean;
}
