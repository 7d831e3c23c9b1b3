import { addRatings, noRatings, ratingDelta, toRatingSummary, type RatingTotals } from './rating-summary';

const review = (rating: number, counted: boolean) => ({ eventId: 'e', reviewId: 'r', rating, counted, version: 1 });

describe('rating summary', () => {
  it.each<[string, { rating: number; counted: boolean } | undefined, ReturnType<typeof review>, RatingTotals]>([
    ['a new counted review adds itself', undefined, review(4, true), { count: 1, sum: 4, histogram: [0, 0, 0, 1, 0] }],
    ['a new hidden review adds nothing', undefined, review(4, false), noRatings()],
    [
      'a changed rating moves one star to another',
      { rating: 2, counted: true },
      review(5, true),
      { count: 0, sum: 3, histogram: [0, -1, 0, 0, 1] },
    ],
    [
      'a deletion takes the old rating out',
      { rating: 2, counted: true },
      review(2, false),
      { count: -1, sum: -2, histogram: [0, -1, 0, 0, 0] },
    ],
    ['a comment-only change moves nothing', { rating: 3, counted: true }, review(3, true), noRatings()],
    ['a change to a hidden review moves nothing', { rating: 3, counted: false }, review(1, false), noRatings()],
  ])('%s', (_case, held, next, delta) => {
    expect(ratingDelta(held, next)).toEqual(delta);
  });

  it('adds deltas field by field', () => {
    const totals = addRatings(
      { count: 2, sum: 9, histogram: [0, 0, 0, 1, 1] },
      { count: 0, sum: -3, histogram: [0, 1, 0, 0, -1] },
    );
    expect(totals).toEqual({ count: 2, sum: 6, histogram: [0, 1, 0, 1, 0] });
  });

  it('has no average while nothing is counted', () => {
    expect(toRatingSummary(noRatings())).toEqual({ count: 0, histogram: [0, 0, 0, 0, 0] });
  });

  it.each([
    [{ count: 3, sum: 13 }, 4.33],
    [{ count: 3, sum: 14 }, 4.67],
    [{ count: 8, sum: 33 }, 4.13], // 4.125: half-way rounds up, computed exactly from integers
    [{ count: 200, sum: 201 }, 1.01], // 1.005
    [{ count: 1, sum: 5 }, 5],
  ])('rounds the average of %o to %d', (totals, average) => {
    expect(toRatingSummary({ ...totals, histogram: [0, 0, 0, 0, 0] }).average).toBe(average);
  });
});
