import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import {
  GrpcCorrelationInterceptor,
  GrpcErrorFilter,
  GrpcMetricsInterceptor,
  type Identity,
  readIdentity,
  requireIdentity,
} from '@convene/common';
import type {
  CreateReviewRequest,
  DeletedReviewMessage,
  DeleteReviewRequest,
  GetReviewRequest,
  HideReviewRequest,
  ListEventReviewsRequest,
  ReplyToReviewRequest,
  ReviewMessage,
  ReviewPageMessage,
  UpdateReviewRequest,
} from '@convene/contracts';
import { moderates } from '../events/event-lookup';
import { toReviewMessage, type Review } from './review';
import { ReviewsService } from './reviews.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class ReviewsGrpcController {
  constructor(private readonly reviews: ReviewsService) {}

  @GrpcMethod('ReviewsService', 'CreateReview')
  async createReview(request: CreateReviewRequest, metadata: Metadata): Promise<ReviewMessage> {
    const author = requireIdentity(metadata);
    const review = await this.reviews.create(
      request.eventId,
      { rating: request.rating, comment: request.comment ?? '' },
      author,
    );
    return present(review, author);
  }

  @GrpcMethod('ReviewsService', 'GetReview')
  async getReview(request: GetReviewRequest, metadata: Metadata): Promise<ReviewMessage> {
    const viewer = readIdentity(metadata);
    return present(await this.reviews.get(request.id, viewer), viewer);
  }

  @GrpcMethod('ReviewsService', 'UpdateReview')
  async updateReview(request: UpdateReviewRequest, metadata: Metadata): Promise<ReviewMessage> {
    const author = requireIdentity(metadata);
    // proto3 optional fields arrive absent when unset; an empty comment clears it.
    const patch = { rating: request.rating ?? undefined, comment: request.comment ?? undefined };
    return present(await this.reviews.update(request.id, patch, author), author);
  }

  @GrpcMethod('ReviewsService', 'DeleteReview')
  async deleteReview(request: DeleteReviewRequest, metadata: Metadata): Promise<DeletedReviewMessage> {
    const review = await this.reviews.remove(request.id, requireIdentity(metadata));
    return { id: review.id, eventId: review.eventId };
  }

  @GrpcMethod('ReviewsService', 'ListEventReviews')
  async listEventReviews(request: ListEventReviewsRequest, metadata: Metadata): Promise<ReviewPageMessage> {
    const viewer = readIdentity(metadata);
    const page = await this.reviews.list(request.eventId, request, viewer);
    return { items: page.items.map((review) => present(review, viewer)), nextCursor: page.nextCursor };
  }

  @GrpcMethod('ReviewsService', 'ReplyToReview')
  async replyToReview(request: ReplyToReviewRequest, metadata: Metadata): Promise<ReviewMessage> {
    const organizer = requireIdentity(metadata);
    return present(await this.reviews.reply(request.id, request.text, organizer), organizer);
  }

  @GrpcMethod('ReviewsService', 'HideReview')
  async hideReview(request: HideReviewRequest, metadata: Metadata): Promise<ReviewMessage> {
    const moderator = requireIdentity(metadata);
    return present(await this.reviews.hide(request.id, request.reason, moderator), moderator);
  }
}

function present(review: Review, viewer: Identity | undefined): ReviewMessage {
  const showModeration = viewer !== undefined && (review.authorId === viewer.userId || moderates(review, viewer));
  return toReviewMessage(review, showModeration);
}
