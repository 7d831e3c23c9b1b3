import type { ReviewMessage, ReviewStatus } from '@convene/contracts';

/**
 * A review of an event, as the reviews service owns it. Instants are ISO 8601 strings (UTC) here and
 * Timestamps in Firestore.
 *
 * Storage (all owned by reviews):
 * - `reviews/{id}`: this record. `version` is 1 when written and +1 on every change that is announced
 *   (`review.updated`, `review.hidden`, `review.deleted`), so the events service's rating summary
 *   converges whatever the delivery order.
 * - `reviewKeys/{eventId}~{userId}`: exists while the person has a review of the event, naming it;
 *   created in the writing transaction (one review per person and event), deleted with the review.
 * - `attendance/{eventId}~{userId}`: who may review (see attendance.ts).
 */
export interface Review {
  id: string;
  eventId: string;
  /** The event's organizer when the review was written (organizers never change): who moderates it. */
  organizerId: string;
  /** Absent once the author's account was erased; the review stays, anonymous. */
  authorId?: string;
  authorName: string;
  rating: number;
  comment: string;
  status: ReviewStatus;
  /** The author was checked in at the door (not only confirmed) when writing it. */
  checkedIn: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  reply?: { text: string; createdAt: string; updatedAt: string };
  hiddenAt?: string;
  hiddenReason?: string;
  hiddenBy?: string;
}

export const REVIEW_COLLECTIONS = {
  reviews: 'reviews',
  reviewKeys: 'reviewKeys',
} as const;

/** What an erased author's reviews show instead of their name. */
export const ANONYMOUS_AUTHOR = 'Former attendee';

export function reviewKey(eventId: string, userId: string): string {
  return `${eventId}~${userId}`;
}

/** Moderation details (when and why it was hidden) are for the author and the moderators only. */
export function toReviewMessage(review: Review, showModeration: boolean): ReviewMessage {
  return {
    id: review.id,
    eventId: review.eventId,
    ...(review.authorId ? { authorId: review.authorId } : {}),
    authorName: review.authorName,
    rating: review.rating,
    comment: review.comment,
    status: review.status,
    checkedIn: review.checkedIn,
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
    ...(review.reply ? { reply: review.reply } : {}),
    ...(showModeration && review.hiddenAt ? { hiddenAt: review.hiddenAt, hiddenReason: review.hiddenReason } : {}),
  };
}
