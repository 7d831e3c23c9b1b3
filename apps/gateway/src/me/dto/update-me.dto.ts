import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { DISPLAY_NAME_LIMITS } from '@convene/contracts';
import { AbsentOrValid } from '../../http/absent-or-valid';

/** The fields a user may change about themselves; anything else (roles, id, email) is a 400. */
export class UpdateMeDto {
  @ApiPropertyOptional({
    example: 'Ada L.',
    description: 'Leading and trailing spaces are removed.',
    minLength: DISPLAY_NAME_LIMITS.min,
    maxLength: DISPLAY_NAME_LIMITS.max,
  })
  @AbsentOrValid()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(DISPLAY_NAME_LIMITS.min, DISPLAY_NAME_LIMITS.max)
  displayName?: string;
}
