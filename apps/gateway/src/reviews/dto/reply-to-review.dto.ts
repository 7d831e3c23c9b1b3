import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { MAX_REVIEW_REPLY_LENGTH } from '@convene/contracts';

/** Body of PUT /v1/reviews/{id}/reply. */
export class ReplyToReviewDto {
  @ApiProperty({
    example: 'Thank you for coming! We will open the doors earlier next time.',
    minLength: 1,
    maxLength: MAX_REVIEW_REPLY_LENGTH,
    description: 'Leading and trailing spaces are removed; a blank reply is refused.',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, MAX_REVIEW_REPLY_LENGTH)
  text!: string;
}
