import type { RatingTotals, ReviewRating } from './rating-summary';

/**
 * The rating-summary projection of reviews' messages: per review its latest known rating and whether
 * it counts (`ratingProjections/{eventId}/reviews/{reviewId}`), and per event the totals over the
 * counted ones (`ratingProjections/{eventId}`), both changed in one transaction. A deleted or hidden
 * review keeps its document (counted false), so an older message about it that arrives late is ignored.
 */
export abstract class RatingProjectionRepository {
  /**
   * Records the review and moves its event's totals by the difference between its old and new
   * contribution, unless the same or a newer version of the review is held: the totals converge
   * whatever the delivery order and however often a message is redelivered. Resolves true when it
   * changed the projection.
   */
  abstract apply(review: ReviewRating): Promise<boolean>;
  /** Each event's totals (zero for an event without counted reviews), by event id. */
  abstract totals(eventIds: readonly string[]): Promise<Map<string, RatingTotals>>;
}
