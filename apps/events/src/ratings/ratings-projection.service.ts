import { Injectable } from '@nestjs/common';
import { RatingProjectionRepository } from './rating-projection.repository';
import type { ReviewRating } from './rating-summary';
import { ReviewLanes } from './review-lanes';

/** Applies reviews' messages to the rating-summary projection (what events shows of its reviews). */
@Injectable()
export class RatingsProjection {
  private readonly lanes = new ReviewLanes();

  constructor(private readonly ratings: RatingProjectionRepository) {}

  /** Records the review's rating and visibility, only if newer than what is held. */
  async record(review: ReviewRating): Promise<void> {
    await this.lanes.run(`${review.eventId}/${review.reviewId}`, () => this.ratings.apply(review));
  }
}
