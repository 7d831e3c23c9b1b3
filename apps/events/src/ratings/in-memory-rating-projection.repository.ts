import { RatingProjectionRepository } from './rating-projection.repository';
import { addRatings, noRatings, ratingDelta, type RatingTotals, type ReviewRating } from './rating-summary';

/** Unit-test fake with the adapter's semantics. */
export class InMemoryRatingProjectionRepository extends RatingProjectionRepository {
  private readonly reviews = new Map<string, ReviewRating>();
  private readonly events = new Map<string, RatingTotals>();

  async apply(review: ReviewRating): Promise<boolean> {
    const key = `${review.eventId}/${review.reviewId}`;
    const held = this.reviews.get(key);
    if (held && held.version >= review.version) return false;
    this.reviews.set(key, { ...review });
    this.events.set(
      review.eventId,
      addRatings(this.events.get(review.eventId) ?? noRatings(), ratingDelta(held, review)),
    );
    return true;
  }

  async totals(eventIds: readonly string[]): Promise<Map<string, RatingTotals>> {
    return new Map(eventIds.map((id) => [id, structuredClone(this.events.get(id) ?? noRatings())]));
  }
}
