import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { MAX_REVIEW_COMMENT_LENGTH } from '@convene/contracts';

/** The stars a review may give (reviews.proto: 1..5). */
export const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * Absent is allowed, `null` is not: IsOptional would let `"rating": null` through as "no change",
 * which a client sending null most likely did not mean.
 */
export const AbsentOrValid = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** 1 to 5 stars, a JSON integer: `"5"` and `3.5` are refused with one message naming the field. */
export function RatingField(options: { required: boolean }): PropertyDecorator {
  const doc = { type: 'integer', minimum: 1, maximum: 5, example: 5, description: 'Stars, 1 to 5.' } as const;
  return applyDecorators(
    options.required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(options.required ? [] : [AbsentOrValid()]),
    IsIn(RATINGS, { message: 'rating must be an integer from 1 to 5' }),
  );
}

/** What the reviewer wrote; may be empty (a rating alone is a review). */
export function CommentField(options: { default?: string } = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      maxLength: MAX_REVIEW_COMMENT_LENGTH,
      example: 'Great talks, and the venue was easy to reach.',
      ...(options.default !== undefined ? { default: options.default } : {}),
    }),
    AbsentOrValid(),
    IsString(),
    MaxLength(MAX_REVIEW_COMMENT_LENGTH),
  );
}
