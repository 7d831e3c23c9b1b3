import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { PROTO_DIR, type GrpcServiceDefinition } from './grpc-services';

export const ReviewsGrpc: GrpcServiceDefinition = {
  package: 'convene.reviews.v1',
  service: 'ReviewsService',
  protoPath: join(PROTO_DIR, 'reviews.proto'),
};

export const REVIEW_SORTS = ['newest', 'highest'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export const REVIEW_STATUSES = ['visible', 'hidden'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const MAX_REVIEW_COMMENT_LENGTH = 2000;
export const MAX_REVIEW_REPLY_LENGTH = 2000;
export const MAX_HIDE_REASON_LENGTH = 500;

export interface CreateReviewRequest {
  eventId: string;
  rating: number;
  comment: string;
}

export interface GetReviewRequest {
  id: string;
}

export interface UpdateReviewRequest {
  id: string;
  rating?: number;
  comment?: string;
}

export interface DeleteReviewRequest {
  id: string;
}

export interface DeletedReviewMessage {
  id: string;
  eventId: string;
}

export interface ListEventReviewsRequest {
  eventId: string;
  sort: ReviewSort;
  limit: number;
  cursor?: string;
}

export interface ReplyToReviewRequest {
  id: string;
  text: string;
}

export interface HideReviewRequest {
  id: string;
  reason: string;
}

export interface ReviewReplyMessage {
  text: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewMessage {
  id: string;
  eventId: string;
  authorId?: string;
  authorName: string;
  rating: number;
  comment: string;
  status: ReviewStatus;
  createdAt: string;
  updatedAt: string;
  reply?: ReviewReplyMessage;
  hiddenAt?: string;
  hiddenReason?: string;
  checkedIn: boolean;
}

export interface ReviewPageMessage {
  items: ReviewMessage[];
  nextCursor?: string;
}

/** The client side of ReviewsService as @nestjs/microservices' ClientGrpc exposes it. */
export interface ReviewsServiceClient {
  createReview(request: CreateReviewRequest, metadata?: unknown, options?: unknown): Observable<ReviewMessage>;
  getReview(request: GetReviewRequest, metadata?: unknown, options?: unknown): Observable<ReviewMessage>;
  updateReview(request: UpdateReviewRequest, metadata?: unknown, options?: unknown): Observable<ReviewMessage>;
  deleteReview(request: DeleteReviewRequest, metadata?: unknown, options?: unknown): Observable<DeletedReviewMessage>;
  listEventReviews(
    request: ListEventReviewsRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<ReviewPageMessage>;
  replyToReview(request: ReplyToReviewRequest, metadata?: unknown, options?: unknown): Observable<ReviewMessage>;
  hideReview(request: HideReviewRequest, metadata?: unknown, options?: unknown): Observable<ReviewMessage>;
}
