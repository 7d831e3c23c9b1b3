/** One review as reviews last announced it, with the review's own revision. */
export interface ReviewRating {
  eventId: string;
  reviewId: string;
  /** 1..5 stars. */
  rating: number;
  /** Visible and not deleted: belongs in the event's summary. */
  counted: boolean;
  version: number;
}

/** What the projection stores per event: the sums it can keep up to date by deltas. */
export interface RatingTotals {
  count: number;
  sum: number;
  /** Reviews of 1, 2, 3, 4 and 5 stars. */
  histogram: [number, number, number, number, number];
}

/** An event's rating as readers get it. */
export interface RatingSummary {
  count: number;
  /** Absent while `count` is 0; rounded to 2 decimals. */
  average?: number;
  /** Reviews of 1, 2, 3, 4 and 5 stars. */
  histogram: number[];
}

export function noRatings(): RatingTotals {
  return { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] };
}

/** What moving one review from `held` (undefined: never seen) to `next` changes in its event's totals. */
export function ratingDelta(held: Pick<ReviewRating, 'rating' | 'counted'> | undefined, next: ReviewRating) {
  const delta = noRatings();
  if (held?.counted) {
    delta.count -= 1;
    delta.sum -= held.rating;
    delta.histogram[held.rating - 1] -= 1;
  }
  if (next.counted) {
    delta.count += 1;
    delta.sum += next.rating;
    delta.histogram[next.rating - 1] += 1;
  }
  return delta;
}

export function isNoChange(delta: RatingTotals): boolean {
  return delta.count === 0 && delta.sum === 0 && delta.histogram.every((n) => n === 0);
}

export function addRatings(totals: RatingTotals, delta: RatingTotals): RatingTotals {
  return {
    count: totals.count + delta.count,
    sum: totals.sum + delta.sum,
    histogram: totals.histogram.map((n, i) => n + delta.histogram[i]) as RatingTotals['histogram'],
  };
}

export function toRatingSummary(totals: RatingTotals): RatingSummary {
  return {
    count: totals.count,
    // From the integer sum, so the rounding is exact (no 4.125 stored as 4.12499…).
    ...(totals.count > 0 ? { average: Math.round((totals.sum * 100) / totals.count) / 100 } : {}),
    histogram: [...totals.histogram],
  };
}
