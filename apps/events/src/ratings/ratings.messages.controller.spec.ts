import { validateSync } from 'class-validator';
import { InMemoryRatingProjectionRepository } from './in-memory-rating-projection.repository';
import { RatingsMessagesController } from './ratings.messages.controller';
import { RatingsProjection } from './ratings-projection.service';
import type { RatingTotals } from './rating-summary';
import {
  contractMessage,
  deliver,
  randomInt,
  reviewHistory,
  seededRandom,
  shuffled,
  type ReviewMessage,
} from './testing/review-history';

const EVENT = '5b0f7d4e-6c1a-4b8e-9f1d-2a3b4c5d6e7f';
const OTHER_EVENT = '7c1e8f5a-7d2b-4c9f-8a2e-3b4c5d6e7f80';

function projection() {
  const ratings = new InMemoryRatingProjectionRepository();
  return { ratings, controller: new RatingsMessagesController(new RatingsProjection(ratings)) };
}

const review = (reviewId: string, version: number, rating: number, counted = true) => ({
  eventId: EVENT,
  reviewId,
  version,
  rating,
  counted,
});

describe('rating-summary projection', () => {
  it('counts created reviews, moves a changed rating, and drops deleted and hidden ones', async () => {
    const { ratings, controller } = projection();
    const messages: ReviewMessage[] = [
      { change: 'created', review: review('a', 1, 5) },
      { change: 'created', review: review('b', 1, 2) },
      { change: 'created', review: review('c', 1, 4) },
      { change: 'created', review: review('d', 1, 1) },
      { change: 'updated', review: review('b', 2, 3) },
      { change: 'deleted', review: review('c', 2, 4, false) },
      { change: 'hidden', review: review('d', 2, 1, false) },
    ];
    for (const message of messages) await deliver(controller, message);
    expect((await ratings.totals([EVENT])).get(EVENT)).toEqual({ count: 2, sum: 8, histogram: [0, 0, 1, 0, 1] });
  });

  it('ignores a message older than the one held, so a late creation does not revive a deleted review', async () => {
    const { ratings } = projection();
    expect(await ratings.apply(review('a', 2, 4, false))).toBe(true); // deleted
    expect(await ratings.apply(review('a', 1, 4))).toBe(false); // its creation, late
    expect(await ratings.apply(review('a', 2, 4, false))).toBe(false); // a redelivery
    expect((await ratings.totals([EVENT])).get(EVENT)).toEqual({ count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] });
  });

  it('keeps events apart and answers zero for an event without reviews', async () => {
    const { ratings } = projection();
    await ratings.apply(review('a', 1, 5));
    const totals = await ratings.totals([EVENT, OTHER_EVENT]);
    expect(totals.get(EVENT)!.count).toBe(1);
    expect(totals.get(OTHER_EVENT)).toEqual({ count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] });
  });

  it('turns every message type into the same full-state record', async () => {
    const { ratings, controller } = projection();
    const apply = jest.spyOn(ratings, 'apply');
    const messages: ReviewMessage[] = [
      { change: 'created', review: review('a', 1, 5) },
      { change: 'updated', review: review('a', 2, 3) },
      { change: 'hidden', review: review('a', 3, 3, false) },
      { change: 'deleted', review: review('a', 4, 3, false) },
    ];
    for (const message of messages) await deliver(controller, message);
    expect(apply.mock.calls.map(([recorded]) => recorded)).toEqual(messages.map((m) => m.review));
  });

  // Property: whatever reviews did, and whatever order and duplicates Pub/Sub delivers it in, the
  // summary ends where the visible reviews say.
  const BASE_SEED = Number(process.env.RATINGS_SEED ?? 20261121);
  it.each(Array.from({ length: 200 }, (_, i) => BASE_SEED + i))(
    'converges on the visible reviews whatever the order and duplicates (seed %i)',
    async (seed) => {
      const random = seededRandom(seed);
      const history = reviewHistory(random, {
        eventIds: [EVENT, OTHER_EVENT],
        reviews: randomInt(random, 1, 8),
        operations: randomInt(random, 1, 40),
      });
      for (const message of history.messages) expect(validateSync(contractMessage(message))).toEqual([]);
      const duplicates = history.messages.filter(() => random() < 0.3);
      const { ratings, controller } = projection();
      for (const message of shuffled([...history.messages, ...duplicates], random)) await deliver(controller, message);
      const totals: Map<string, RatingTotals> = await ratings.totals([EVENT, OTHER_EVENT]);
      expect(totals).toEqual(history.expected);
    },
  );
});
