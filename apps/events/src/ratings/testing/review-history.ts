import { plainToInstance } from 'class-transformer';
import { ReviewCreatedV1, ReviewDeletedV1, ReviewHiddenV1, ReviewUpdatedV1 } from '@convene/contracts';
import type { RatingsMessagesController } from '../ratings.messages.controller';
import type { RatingTotals, ReviewRating } from '../rating-summary';

/**
 * A small model of the reviews service, for property tests of the rating-summary projection: random
 * operations on a few reviews, each producing the message reviews would publish (the review's whole
 * state, its version one higher), and the summary its visible reviews should end in.
 */

export type ReviewChange = 'created' | 'updated' | 'deleted' | 'hidden';

export interface ReviewMessage {
  change: ReviewChange;
  review: ReviewRating;
}

export interface ReviewHistory {
  messages: ReviewMessage[];
  /** Per event: the totals over the reviews still visible at the end, computed from the model's state. */
  expected: Map<string, RatingTotals>;
}

/** A seeded PRNG (mulberry32) in [0, 1), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A version-4-shaped UUID drawn from `random` (the contract validates ids as UUIDs). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => randomInt(random, 0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((randomInt(random, 0, 3) | 8) >>> 0).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

interface ModelReview {
  eventId: string;
  reviewId: string;
  rating: number;
  version: number;
  hidden: boolean;
  deleted: boolean;
}

/**
 * `operations` random operations over `reviews` reviews spread across `eventIds`: the first operation
 * on a review creates it; later ones change its rating, hide it or delete it (nothing happens to a
 * deleted review any more, and a hidden one stays hidden but may still be edited by its author).
 */
export function reviewHistory(
  random: () => number,
  options: { eventIds: readonly string[]; reviews: number; operations: number },
): ReviewHistory {
  const model: Array<ModelReview | undefined> = Array.from({ length: options.reviews }, () => undefined);
  const ids = model.map(() => ({
    eventId: options.eventIds[randomInt(random, 0, options.eventIds.length - 1)],
    reviewId: seededUuid(random),
  }));
  const messages: ReviewMessage[] = [];
  const emit = (change: ReviewChange, review: ModelReview) =>
    messages.push({
      change,
      review: {
        eventId: review.eventId,
        reviewId: review.reviewId,
        rating: review.rating,
        counted: !review.hidden && !review.deleted,
        version: review.version,
      },
    });

  for (let done = 0; done < options.operations;) {
    const i = randomInt(random, 0, options.reviews - 1);
    const current = model[i];
    if (!current) {
      model[i] = { ...ids[i], rating: randomInt(random, 1, 5), version: 1, hidden: false, deleted: false };
      emit('created', model[i]);
      done++;
      continue;
    }
    if (current.deleted) {
      if (model.every((r) => r?.deleted)) break; // nothing left to change
      continue;
    }
    const roll = random();
    const next = { ...current, version: current.version + 1 };
    if (roll < 0.55) {
      next.rating = randomInt(random, 1, 5);
      model[i] = next;
      emit('updated', next);
    } else if (roll < 0.8 && !current.hidden) {
      next.hidden = true;
      model[i] = next;
      emit('hidden', next);
    } else {
      next.deleted = true;
      model[i] = next;
      emit('deleted', next);
    }
    done++;
  }

  const expected = new Map<string, RatingTotals>(
    options.eventIds.map((id) => [id, { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] }]),
  );
  for (const review of model) {
    if (!review || review.hidden || review.deleted) continue;
    const totals = expected.get(review.eventId)!;
    totals.count += 1;
    totals.sum += review.rating;
    totals.histogram[review.rating - 1] += 1;
  }
  return { messages, expected };
}

const AT = '2031-01-01T12:00:00.000Z';

/** The contract message reviews would publish for the change. */
export function contractMessage({
  change,
  review,
}: ReviewMessage): ReviewCreatedV1 | ReviewUpdatedV1 | ReviewDeletedV1 | ReviewHiddenV1 {
  const base = {
    reviewId: review.reviewId,
    eventId: review.eventId,
    organizerId: 'organizer-1',
    version: review.version,
    rating: review.rating,
    counted: review.counted,
  };
  switch (change) {
    case 'created':
      return plainToInstance(ReviewCreatedV1, {
        ...base,
        authorId: 'author-1',
        authorName: 'Ada',
        comment: 'Great evening',
        createdAt: AT,
      });
    case 'updated':
      return plainToInstance(ReviewUpdatedV1, { ...base, updatedAt: AT });
    case 'deleted':
      return plainToInstance(ReviewDeletedV1, { ...base, deletedAt: AT });
    case 'hidden':
      return plainToInstance(ReviewHiddenV1, { ...base, hiddenAt: AT });
  }
}

/** Hands the message to the controller's handler for its topic, as the Pub/Sub server does. */
export function deliver(controller: RatingsMessagesController, message: ReviewMessage): Promise<void> {
  const payload = contractMessage(message);
  switch (message.change) {
    case 'created':
      return controller.onCreated(payload as ReviewCreatedV1);
    case 'updated':
      return controller.onUpdated(payload as ReviewUpdatedV1);
    case 'deleted':
      return controller.onDeleted(payload as ReviewDeletedV1);
    case 'hidden':
      return controller.onHidden(payload as ReviewHiddenV1);
  }
}
