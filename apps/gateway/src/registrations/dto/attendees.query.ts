import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '@convene/contracts';

/** Query string of GET /v1/events/{id}/attendees. */
export class AttendeesQuery {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  status?: RegistrationStatus;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only those checked in; false: only those not yet.' })
  @IsOptional()
  // Only the words: `Boolean('false')` would be true.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'checkedIn must be true or false' })
  checkedIn?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'Ignored by the CSV export.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page. Ignored by the CSV export.',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  cursor?: string;
}
