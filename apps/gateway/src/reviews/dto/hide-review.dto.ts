import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { MAX_HIDE_REASON_LENGTH } from '@convene/contracts';

/** Body of POST /v1/reviews/{id}/hide. */
export class HideReviewDto {
  @ApiProperty({
    example: 'Insults another attendee.',
    minLength: 1,
    maxLength: MAX_HIDE_REASON_LENGTH,
    description: 'Shown to the author. Leading and trailing spaces are removed; a blank reason is refused.',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, MAX_HIDE_REASON_LENGTH)
  reason!: string;
}
