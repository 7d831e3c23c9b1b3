import { CommentField, RatingField } from './review-fields';

/** Body of POST /v1/events/{id}/reviews. Whether the caller may review is the reviews service's rule. */
export class CreateReviewDto {
  @RatingField({ required: true })
  rating!: number;

  @CommentField({ default: '' })
  comment?: string;
}
