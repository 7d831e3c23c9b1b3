import {
  FieldPath,
  FieldValue,
  Firestore,
  type DocumentData,
  type Query,
  type Transaction,
} from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { DomainError, GrpcStatus, hasGrpcCode } from '@convene/common';
import type { ReviewSort } from '@convene/contracts';
import { fromTimestamp, retryOnContention, toTimestamp } from '@convene/firestore';
import { Outbox } from '@convene/pubsub';
import type { ReviewPosition } from './review-cursor';
import { ANONYMOUS_AUTHOR, REVIEW_COLLECTIONS, reviewKey, type Review } from './review';

/**
 * The listing's Firestore queries: an event's visible reviews in descending order. Declared here so
 * reviews.indexes.spec.ts can check firestore.indexes.json covers each.
 */
export const REVIEW_LIST_QUERIES: Record<ReviewSort, { equality: string[]; orderedBy: string[] }> = {
  newest: { equality: ['eventId', 'status'], orderedBy: ['createdAt'] },
  highest: { equality: ['eventId', 'status'], orderedBy: ['rating', 'createdAt'] },
};

/** A change of a review decided by the service: the new record and the message announcing it, if any. */
export interface ReviewChange {
  review: Review;
  message?: object;
}

@Injectable()
export class ReviewsStore {
  constructor(
    private readonly firestore: Firestore,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Writes a new review, its key and `review.created` in one transaction that reads nothing: two
   * first reviews by one person race on creating the same key, and the loser's commit fails instead of
   * waiting on a lock. The loser answers ALREADY_REVIEWED naming the review that won.
   */
  async create(review: Review, message: object): Promise<Review> {
    const keyRef = this.keys().doc(reviewKey(review.eventId, review.authorId!));
    try {
      await this.firestore.runTransaction(async (tx) => {
        tx.create(keyRef, { reviewId: review.id, eventId: review.eventId, userId: review.authorId });
        tx.create(this.reviews().doc(review.id), toDocument(review));
        this.outbox.enqueue(tx, message);
      });
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
      const existing = await keyRef.get();
      throw new DomainError('ALREADY_REVIEWED', 'you already reviewed this event: edit or delete that review', {
        reviewId: existing.get('reviewId') as string | undefined,
      });
    }
    this.outbox.kick();
    return review;
  }

  async get(id: string): Promise<Review | undefined> {
    const snapshot = await this.reviews().doc(id).get();
    return snapshot.exists ? fromDocument(snapshot.id, snapshot.data()!) : undefined;
  }

  /**
   * Reads the review and applies `decide` to it inside one transaction; writes what it returns (and
   * enqueues its message). `decide` throws to refuse, or returns undefined to change nothing.
   */
  async change(id: string, decide: (review: Review) => ReviewChange | undefined): Promise<Review> {
    const ref = this.reviews().doc(id);
    const result = await retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const review = await this.read(tx, id);
        const change = decide(review);
        if (!change) return { review, changed: false };
        tx.set(ref, toDocument(change.review));
        if (change.message) this.outbox.enqueue(tx, change.message);
        return { review: change.review, changed: true };
      }),
    );
    if (result.changed) this.outbox.kick();
    return result.review;
  }

  /** Like `change`, but deletes the review and its key (so its author may write a new one). */
  async remove(id: string, decide: (review: Review) => object): Promise<Review> {
    const review = await retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const held = await this.read(tx, id);
        const message = decide(held);
        tx.delete(this.reviews().doc(id));
        if (held.authorId) tx.delete(this.keys().doc(reviewKey(held.eventId, held.authorId)));
        this.outbox.enqueue(tx, message);
        return held;
      }),
    );
    this.outbox.kick();
    return review;
  }

  /** One page of the event's visible reviews, in the sort's order, after `after`. */
  async list(eventId: string, sort: ReviewSort, limit: number, after?: ReviewPosition): Promise<Review[]> {
    const shape = REVIEW_LIST_QUERIES[sort];
    const equals: Record<string, string> = { eventId, status: 'visible' };
    let query: Query = this.reviews();
    for (const field of shape.equality) query = query.where(field, '==', equals[field]);
    for (const field of shape.orderedBy) query = query.orderBy(field, 'desc');
    query = query.orderBy(FieldPath.documentId(), 'desc');
    if (after) {
      const createdAt = toTimestamp(after.createdAt);
      query =
        sort === 'highest'
          ? query.startAfter(after.rating, createdAt, after.id)
          : query.startAfter(createdAt, after.id);
    }
    const snapshot = await query.limit(limit).get();
    return snapshot.docs.map((doc) => fromDocument(doc.id, doc.data()));
  }

  /**
   * Erasure: the person's reviews stay (they are part of the events' rating summaries) without their
   * id or name, and their keys go. Safe to run again. Resolves the number of reviews anonymized.
   */
  async anonymizeAuthor(userId: string): Promise<number> {
    let anonymized = 0;
    for (;;) {
      const page = await this.reviews().where('authorId', '==', userId).limit(200).get();
      if (page.empty) break;
      const batch = this.firestore.batch();
      for (const doc of page.docs) {
        batch.update(doc.ref, { authorId: FieldValue.delete(), authorName: ANONYMOUS_AUTHOR });
        batch.delete(this.keys().doc(reviewKey(doc.get('eventId') as string, userId)));
      }
      await batch.commit();
      anonymized += page.size;
    }
    return anonymized;
  }

  private async read(tx: Transaction, id: string): Promise<Review> {
    const snapshot = await tx.get(this.reviews().doc(id));
    if (!snapshot.exists) throw new DomainError('REVIEW_NOT_FOUND', `review ${id} does not exist`);
    return fromDocument(snapshot.id, snapshot.data()!);
  }

  private reviews() {
    return this.firestore.collection(REVIEW_COLLECTIONS.reviews);
  }

  private keys() {
    return this.firestore.collection(REVIEW_COLLECTIONS.reviewKeys);
  }
}

function toDocument(review: Review): DocumentData {
  const { id: _id, createdAt, updatedAt, reply, hiddenAt, ...rest } = review;
  return {
    ...rest,
    createdAt: toTimestamp(createdAt),
    updatedAt: toTimestamp(updatedAt),
    reply: reply
      ? { text: reply.text, createdAt: toTimestamp(reply.createdAt), updatedAt: toTimestamp(reply.updatedAt) }
      : undefined,
    hiddenAt: hiddenAt ? toTimestamp(hiddenAt) : undefined,
  };
}

function fromDocument(id: string, data: DocumentData): Review {
  return {
    id,
    eventId: data.eventId,
    organizerId: data.organizerId,
    authorId: data.authorId,
    authorName: data.authorName,
    rating: data.rating,
    comment: data.comment,
    status: data.status,
    checkedIn: data.checkedIn === true,
    version: data.version,
    createdAt: fromTimestamp(data.createdAt),
    updatedAt: fromTimestamp(data.updatedAt),
    reply: data.reply
      ? {
          text: data.reply.text,
          createdAt: fromTimestamp(data.reply.createdAt),
          updatedAt: fromTimestamp(data.reply.updatedAt),
        }
      : undefined,
    hiddenAt: fromTimestamp(data.hiddenAt),
    hiddenReason: data.hiddenReason,
    hiddenBy: data.hiddenBy,
  };
}
