import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { maxLength } from 'class-validator';
import { Clock, DomainError, type Identity, invalidField, requireUuid } from '@convene/common';
import {
  MAX_HIDE_REASON_LENGTH,
  MAX_REVIEW_COMMENT_LENGTH,
  MAX_REVIEW_REPLY_LENGTH,
  REVIEW_SORTS,
  ReviewCreatedV1,
  ReviewDeletedV1,
  ReviewHiddenV1,
  ReviewUpdatedV1,
  type ReviewSort,
} from '@convene/contracts';
import { eligibility } from '../attendance/attendance';
import { AttendanceStore } from '../attendance/attendance.store';
import { EventLookup, moderates, type EventFacts } from '../events/event-lookup';
import { decodeReviewCursor, encodeReviewCursor } from './review-cursor';
import { type Review } from './review';
import { ReviewsStore } from './reviews.store';

export interface NewReview {
  rating: number;
  comment: string;
}

export interface ReviewPatch {
  rating?: number;
  comment?: string;
}

export interface ReviewPage {
  items: Review[];
  nextCursor?: string;
}

/** The name shown when the access token carried none (it normally does). */
const UNNAMED_AUTHOR = 'Convene member';

/**
 * The reviews rules. Who may do what is decided here, from the verified identity only:
 * - write: someone who attended (attendance.ts), once per event, never the event's own organizer;
 * - edit, delete: the author;
 * - reply: the event's organizer; hide: the organizer or an admin.
 * A hidden review does not exist for anyone else (404), like an unknown one.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly reviews: ReviewsStore,
    private readonly attendance: AttendanceStore,
    private readonly events: EventLookup,
    private readonly clock: Clock,
  ) {}

  async create(eventId: string, input: NewReview, author: Identity): Promise<Review> {
    requireUuid('eventId', eventId);
    requireRating(input.rating);
    requireText('comment', input.comment, 0, MAX_REVIEW_COMMENT_LENGTH);
    const [event, attendance] = await Promise.all([
      this.events.get(eventId, author),
      this.attendance.get(eventId, author.userId),
    ]);
    if (event.organizerId === author.userId) {
      throw new DomainError('FORBIDDEN', 'organizers cannot review their own event');
    }
    const now = this.clock.now();
    const decision = eligibility(attendance, event.startsAt, now);
    if (!decision.eligible) {
      throw decision.reason === 'not-started'
        ? new DomainError('EVENT_NOT_STARTED', `reviews open when the event starts (${event.startsAt})`, {
            startsAt: event.startsAt,
          })
        : new DomainError('NOT_AN_ATTENDEE', 'only people who attended the event may review it');
    }
    const at = now.toISOString();
    const review: Review = {
      id: randomUUID(),
      eventId,
      organizerId: event.organizerId,
      authorId: author.userId,
      authorName: author.displayName ?? UNNAMED_AUTHOR,
      rating: input.rating,
      comment: input.comment,
      status: 'visible',
      checkedIn: decision.checkedIn,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const message = Object.assign(new ReviewCreatedV1(), {
      ...announced(review),
      authorId: author.userId,
      authorName: review.authorName,
      comment: review.comment,
      createdAt: at,
    });
    return this.reviews.create(review, message);
  }

  /** A visible review for anyone; a hidden one for its author and moderators only. */
  async get(id: string, viewer: Identity | undefined): Promise<Review> {
    requireUuid('id', id);
    const review = await this.reviews.get(id);
    if (!review || !canSee(review, viewer)) throw notFound(id);
    return review;
  }

  async update(id: string, patch: ReviewPatch, author: Identity): Promise<Review> {
    requireUuid('id', id);
    if (patch.rating === undefined && patch.comment === undefined) {
      throw invalidField('rating', 'give a new rating or comment');
    }
    if (patch.rating !== undefined) requireRating(patch.rating);
    if (patch.comment !== undefined) requireText('comment', patch.comment, 0, MAX_REVIEW_COMMENT_LENGTH);
    return this.reviews.change(id, (review) => {
      requireAuthor(review, author);
      const rating = patch.rating ?? review.rating;
      const comment = patch.comment ?? review.comment;
      if (rating === review.rating && comment === review.comment) return undefined;
      const at = this.clock.now().toISOString();
      const next: Review = { ...review, rating, comment, version: review.version + 1, updatedAt: at };
      return { review: next, message: Object.assign(new ReviewUpdatedV1(), { ...announced(next), updatedAt: at }) };
    });
  }

  async remove(id: string, author: Identity): Promise<Review> {
    requireUuid('id', id);
    return this.reviews.remove(id, (review) => {
      requireAuthor(review, author);
      const gone: Review = { ...review, version: review.version + 1 };
      return Object.assign(new ReviewDeletedV1(), {
        ...announced(gone),
        counted: false,
        deletedAt: this.clock.now().toISOString(),
      });
    });
  }

  /** The organizer's one reply: set, or replaced (keeping when it was first written). */
  async reply(id: string, text: string, organizer: Identity): Promise<Review> {
    requireUuid('id', id);
    requireText('text', text, 1, MAX_REVIEW_REPLY_LENGTH);
    return this.reviews.change(id, (review) => {
      if (!canSee(review, organizer)) throw notFound(id);
      if (review.organizerId !== organizer.userId) {
        throw new DomainError('FORBIDDEN', 'only the event’s organizer replies to its reviews');
      }
      if (review.reply?.text === text) return undefined;
      const at = this.clock.now().toISOString();
      const reply = { text, createdAt: review.reply?.createdAt ?? at, updatedAt: at };
      // Not announced: a reply changes nothing any other service keeps.
      return { review: { ...review, reply } };
    });
  }

  /** Takes the review out of the listing and the rating summary. Hiding a hidden review changes nothing. */
  async hide(id: string, reason: string, moderator: Identity): Promise<Review> {
    requireUuid('id', id);
    requireText('reason', reason, 1, MAX_HIDE_REASON_LENGTH);
    return this.reviews.change(id, (review) => {
      if (!canSee(review, moderator)) throw notFound(id);
      if (!moderates(review, moderator)) {
        throw new DomainError('FORBIDDEN', 'only the event’s organizer or an admin hides reviews');
      }
      if (review.status === 'hidden') return undefined;
      const at = this.clock.now().toISOString();
      const next: Review = {
        ...review,
        status: 'hidden',
        hiddenAt: at,
        hiddenReason: reason,
        hiddenBy: moderator.userId,
        version: review.version + 1,
        updatedAt: at,
      };
      return { review: next, message: Object.assign(new ReviewHiddenV1(), { ...announced(next), hiddenAt: at }) };
    });
  }

  /** The event's visible reviews. The event must exist for the viewer (a draft only for its organizer). */
  async list(
    eventId: string,
    request: { sort: string; limit: number; cursor?: string },
    viewer: Identity | undefined,
  ): Promise<ReviewPage> {
    requireUuid('eventId', eventId);
    const sort = (request.sort || 'newest') as ReviewSort;
    if (!REVIEW_SORTS.includes(sort)) throw invalidField('sort', `sort must be one of ${REVIEW_SORTS.join(', ')}`);
    const limit = request.limit || 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw invalidField('limit', 'limit must be an integer from 1 to 100');
    }
    const after = request.cursor ? decodeReviewCursor(sort, request.cursor) : undefined;
    const event: EventFacts = await this.events.get(eventId, viewer);
    // One more than asked tells whether another page follows.
    const found = await this.reviews.list(event.id, sort, limit + 1, after);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: found.length > limit && last ? encodeReviewCursor(sort, last) : undefined,
    };
  }

  /** Erasure of an account: its reviews stay in the summaries, anonymous; its attendance goes. */
  async forgetAuthor(userId: string): Promise<{ anonymized: number; attendance: number }> {
    const [anonymized, attendance] = await Promise.all([
      this.reviews.anonymizeAuthor(userId),
      this.attendance.forget(userId),
    ]);
    return { anonymized, attendance };
  }
}

/** The fields every review message carries, from the review's state. */
function announced(review: Review) {
  return {
    reviewId: review.id,
    eventId: review.eventId,
    organizerId: review.organizerId,
    version: review.version,
    rating: review.rating,
    counted: review.status === 'visible',
  };
}

export function canSee(review: Review, viewer: Identity | undefined): boolean {
  if (review.status === 'visible') return true;
  return viewer !== undefined && (review.authorId === viewer.userId || moderates(review, viewer));
}

function requireAuthor(review: Review, viewer: Identity): void {
  if (!canSee(review, viewer)) throw notFound(review.id);
  if (review.authorId !== viewer.userId) throw new DomainError('FORBIDDEN', 'only its author changes a review');
}

function notFound(id: string): DomainError {
  return new DomainError('REVIEW_NOT_FOUND', `review ${id} does not exist`);
}

function requireRating(rating: unknown): void {
  if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) {
    throw invalidField('rating', 'rating must be an integer from 1 to 5');
  }
}

/** Lengths count characters as the gateway's validation does (an emoji is one). */
function requireText(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') throw invalidField(field, `${field} must be a string`);
  if (min > 0 && value.trim().length === 0) throw invalidField(field, `${field} must not be empty`);
  if (!maxLength(value, max)) throw invalidField(field, `${field} must be at most ${max} characters`);
}
