import { IsBoolean, IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Topics } from '../topics';

/**
 * Fields every review message carries: the review's state as of `version` (1 when written, +1 on
 * every change). A consumer keeping a projection (the events service's rating summary) applies a
 * message only when its version is newer than what it holds, so it converges whatever the delivery
 * order or duplicates. `counted` says whether the review belongs in the rating summary at that version
 * (visible and not deleted).
 */
abstract class ReviewMessageV1 {
  @IsUUID() reviewId!: string;
  @IsUUID() eventId!: string;
  /** The event's organizer (who is told about a new review). */
  @IsString() organizerId!: string;
  @IsInt() @Min(1) version!: number;
  @IsInt() @Min(1) @Max(5) rating!: number;
  @IsBoolean() counted!: boolean;
}

/** `review.created` v1: an attendee reviewed an event. */
export class ReviewCreatedV1 extends ReviewMessageV1 {
  static readonly eventType = Topics.reviewCreated;
  static readonly schemaVersion = 1;

  @IsString() authorId!: string;
  @IsString() @MaxLength(200) authorName!: string;
  @IsString() @MaxLength(2000) comment!: string;
  @IsISO8601({ strict: true }) createdAt!: string;
}

/** `review.updated` v1: the author changed the rating or the comment. */
export class ReviewUpdatedV1 extends ReviewMessageV1 {
  static readonly eventType = Topics.reviewUpdated;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) updatedAt!: string;
}

/** `review.deleted` v1: the author removed the review (`counted` is false). */
export class ReviewDeletedV1 extends ReviewMessageV1 {
  static readonly eventType = Topics.reviewDeleted;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) deletedAt!: string;
}

/** `review.hidden` v1: the organizer or an admin took the review out of view (`counted` is false). */
export class ReviewHiddenV1 extends ReviewMessageV1 {
  static readonly eventType = Topics.reviewHidden;
  static readonly schemaVersion = 1;

  @IsISO8601({ strict: true }) hiddenAt!: string;
}
