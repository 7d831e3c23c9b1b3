import { FieldValue, Firestore, type DocumentData } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { retryOnContention } from '@convene/firestore';
import { RatingProjectionRepository } from './rating-projection.repository';
import { isNoChange, noRatings, ratingDelta, type RatingTotals, type ReviewRating } from './rating-summary';

const COLLECTION = 'ratingProjections';
const STARS = ['1', '2', '3', '4', '5'] as const;

@Injectable()
export class FirestoreRatingProjectionRepository extends RatingProjectionRepository {
  constructor(private readonly firestore: Firestore) {
    super();
  }

  /**
   * One small transaction per message: it reads only the review's own document (the version guard,
   * no processed-message marker needed) and moves the event's totals with increments, which commute,
   * so messages about different reviews of one event never read-lock the same document. The event
   * document still takes every counted change: fine at the rate people write reviews, not at a flash
   * sale's (which is why seats keep no per-event counter).
   */
  async apply(review: ReviewRating): Promise<boolean> {
    const event = this.firestore.collection(COLLECTION).doc(review.eventId);
    const ref = event.collection('reviews').doc(review.reviewId);
    // Concurrent deliveries of one review lock the same document; the loser runs again and finds it done.
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const held = await tx.get(ref);
        if (held.exists && (held.get('version') as number) >= review.version) return false;
        const delta = ratingDelta(
          held.exists ? (held.data() as Pick<ReviewRating, 'rating' | 'counted'>) : undefined,
          review,
        );
        tx.set(ref, { rating: review.rating, counted: review.counted, version: review.version });
        if (!isNoChange(delta)) tx.set(event, incrementsOf(delta), { merge: true });
        return true;
      }),
    );
  }

  async totals(eventIds: readonly string[]): Promise<Map<string, RatingTotals>> {
    const result = new Map(eventIds.map((id) => [id, noRatings()]));
    if (eventIds.length === 0) return result;
    const refs = [...new Set(eventIds)].map((id) => this.firestore.collection(COLLECTION).doc(id));
    for (const snapshot of await this.firestore.getAll(...refs)) {
      if (snapshot.exists) result.set(snapshot.id, fromDocument(snapshot.data()!));
    }
    return result;
  }
}

/** The histogram is a map by star so each count can be incremented on its own. */
function incrementsOf(delta: RatingTotals): DocumentData {
  const histogram: DocumentData = {};
  delta.histogram.forEach((n, i) => {
    if (n !== 0) histogram[STARS[i]] = FieldValue.increment(n);
  });
  return { count: FieldValue.increment(delta.count), sum: FieldValue.increment(delta.sum), histogram };
}

function fromDocument(data: DocumentData): RatingTotals {
  return {
    count: (data.count as number | undefined) ?? 0,
    sum: (data.sum as number | undefined) ?? 0,
    histogram: STARS.map((star) => (data.histogram?.[star] as number | undefined) ?? 0) as RatingTotals['histogram'],
  };
}
