import { type PipeTransform } from '@nestjs/common';
import { invalidField } from '@convene/common';
import { CommentField, RatingField } from './review-fields';

/** Body of PATCH /v1/reviews/{id}: absent fields stay as they are; at least one must be given. */
export class UpdateReviewDto {
  @RatingField({ required: false })
  rating?: number;

  @CommentField()
  comment?: string;
}

/**
 * Runs after the global validation pipe: a PATCH that changes nothing is a client mistake (400), not
 * a write that bumps `updatedAt`. class-validator has no rule over the object as a whole.
 */
export const SomeReviewChange: PipeTransform<UpdateReviewDto, UpdateReviewDto> = {
  transform(body) {
    if (body.rating === undefined && body.comment === undefined) {
      throw invalidField('body', 'body must give rating, comment or both');
    }
    return body;
  },
};
