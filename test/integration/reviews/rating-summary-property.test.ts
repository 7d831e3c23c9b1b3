import { randomUUID } from 'node:crypto';
import type { Identity } from '@convene/common';
import { FirestoreRatingProjectionRepository } from '../../../apps/events/src/ratings/firestore-rating-projection.repository';
import type { RatingTotals } from '../../../apps/events/src/ratings/rating-summary';
import type { Review } from '../../../apps/reviews/src/reviews/review';
import { attendee, organizerOf, outboxMessages, reviewsOnEmulator, type ReviewsKit } from './reviews-kit';

jest.setTimeout(180_000);

/** Deterministic pseudo-random numbers (mulberry32): a failing seed replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Invariant 6's second half, across the two services: whatever reviews people write, edit, delete
 * and moderators hide, and however Pub/Sub duplicates and reorders the messages, the events service's
 * rating summary equals the one computed from the reviews service's stored visible reviews.
 */
describe('the rating summary matches the stored visible reviews', () => {
  let kit: ReviewsKit;
  let projection: FirestoreRatingProjectionRepository;

  beforeAll(() => {
    kit = reviewsOnEmulator();
    projection = new FirestoreRatingProjectionRepository(kit.db);
  });

  afterAll(async () => {
    await kit.db.terminate();
  });

  it.each([1, 2, 3, 4, 5])('seed %i', async (seed) => {
    const random = prng(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const event = kit.events.add();
    const people: Identity[] = [];
    for (let i = 0; i < 8; i++) people.push(await attendee(kit, event));
    const live = new Map<string, { review: Review; author: Identity }>();

    for (let step = 0; step < 40; step++) {
      const roll = random();
      const writers = people.filter((p) => ![...live.values()].some((r) => r.author.userId === p.userId));
      if (roll < 0.4 && writers.length > 0) {
        const author = pick(writers);
        const review = await kit.service.create(
          event.id,
          { rating: 1 + Math.floor(random() * 5), comment: '' },
          author,
        );
        live.set(review.id, { review, author });
      } else if (live.size > 0) {
        const { review, author } = pick([...live.values()]);
        if (roll < 0.7) {
          const updated = await kit.service.update(review.id, { rating: 1 + Math.floor(random() * 5) }, author);
          live.set(review.id, { review: updated, author });
        } else if (roll < 0.85) {
          await kit.service.remove(review.id, author);
          live.delete(review.id);
        } else {
          const hidden = await kit.service.hide(review.id, 'moderated', organizerOf(event));
          live.set(review.id, { review: hidden, author });
        }
      }
    }

    // Every message reviews published about the event, each delivered one to three times, shuffled,
    // applied concurrently.
    const messages = (await outboxMessages(kit.db)).filter((m) => m.eventId === event.id);
    const deliveries = messages.flatMap((m) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => m));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    await Promise.all(
      deliveries.map((m) =>
        projection.apply({
          eventId: m.eventId as string,
          reviewId: m.reviewId as string,
          rating: m.rating as number,
          counted: m.counted as boolean,
          version: m.version as number,
        }),
      ),
    );

    const stored = await kit.db
      .collection('reviews')
      .where('eventId', '==', event.id)
      .where('status', '==', 'visible')
      .get();
    const expected: RatingTotals = { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] };
    for (const doc of stored.docs) {
      const rating = doc.get('rating') as number;
      expected.count += 1;
      expected.sum += rating;
      expected.histogram[rating - 1] += 1;
    }
    const summary = (await projection.totals([event.id])).get(event.id);
    expect({ seed, ...summary }).toEqual({ seed, ...expected });
    expect(stored.size).toBe([...live.values()].filter((r) => r.review.status === 'visible').length);
  });

  it('holds for an event nobody reviewed', async () => {
    const summary = (await projection.totals([randomUUID()])).values().next().value;
    expect(summary).toEqual({ count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] });
  });
});
