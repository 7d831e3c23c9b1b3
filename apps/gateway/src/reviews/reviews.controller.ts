import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type ReviewsServiceClient } from '@convene/contracts';
import { Public } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REVIEWS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { EventId, ReviewId } from '../http/uuid-path-param';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateReviewDto } from './dto/create-review.dto';
import { HideReviewDto } from './dto/hide-review.dto';
import { ListReviewsQuery } from './dto/list-reviews.query';
import { ReplyToReviewDto } from './dto/reply-to-review.dto';
import { ReviewPageResponse } from './dto/review-page.response';
import { ReviewResponse } from './dto/review.response';
import { SomeReviewChange, UpdateReviewDto } from './dto/update-review.dto';

/**
 * Reviews of events. Who may write, change, answer or hide a review is the reviews service's rule,
 * decided from the verified identity the gateway forwards; the gateway checks formats only.
 */
@ApiTags('reviews')
@Controller('v1')
export class ReviewsController {
  constructor(
    @Inject(REVIEWS_SERVICE) private readonly reviews: ReviewsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post('events/:id/reviews')
  @Idempotent()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Review an event the signed-in user attended',
    description:
      'Open to whoever was checked in, or held a confirmed seat once the event started. 403 NOT_AN_ATTENDEE ' +
      'for anyone else (never registered, only waitlisted, cancelled before the start); 422 EVENT_NOT_STARTED ' +
      'for a confirmed attendee before the event starts (unless checked in); 409 ALREADY_REVIEWED, with the ' +
      '`reviewId` of the existing review, for a second one; 404 for an unknown event or a draft. Eligibility ' +
      'follows registrations and check-ins within seconds.',
    operationId: 'createReview',
  })
  @ApiCreatedResponse({ type: ReviewResponse, description: 'The review; `Location` points at it.' })
  @ApiProblemResponses(400, 401, 403, 404, 409, 413, 415, 422)
  async create(
    @Param('id', EventId) eventId: string,
    @Body() body: CreateReviewDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReviewResponse> {
    const review = await this.grpc.call(caller, (metadata, options) =>
      this.reviews.createReview({ eventId, rating: body.rating, comment: body.comment ?? '' }, metadata, options),
    );
    void reply.header('location', `/v1/reviews/${review.id}`);
    return ReviewResponse.from(review);
  }

  @Get('events/:id/reviews')
  @Public()
  @ApiOperation({
    summary: 'An event’s reviews',
    description:
      'Public. Visible reviews only. Walk the pages with `cursor` (keep the same `sort`): each review appears ' +
      'exactly once.',
    operationId: 'listEventReviews',
  })
  @ApiOkResponse({ type: ReviewPageResponse })
  @ApiProblemResponses(400, 404)
  async list(
    @Param('id', EventId) eventId: string,
    @Query() query: ListReviewsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<ReviewPageResponse> {
    return ReviewPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.reviews.listEventReviews(
          { eventId, sort: query.sort ?? 'newest', limit: query.limit ?? 20, cursor: query.cursor },
          metadata,
          options,
        ),
      ),
    );
  }

  @Get('reviews/:id')
  // A visible review is public; a hidden one only for its author, the organizer and admins.
  @Public({ optionalIdentity: true })
  @ApiOperation({
    summary: 'Get a review',
    description:
      'Public while visible. A hidden review (with `hiddenAt` and `hiddenReason`) is shown only to its ' +
      'author, the event’s organizer and admins, who send their access token; anyone else gets 404.',
    operationId: 'getReview',
    // Anonymous or bearer: the token is optional here.
    security: [{}, { bearer: [] }],
  })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiProblemResponses(400, 401, 404)
  async get(@Param('id', ReviewId) id: string, @CurrentCaller() caller: Caller): Promise<ReviewResponse> {
    return ReviewResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.reviews.getReview({ id }, metadata, options)),
    );
  }

  @Patch('reviews/:id')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change a review (its author)',
    description: 'Absent fields stay as they are; give `rating`, `comment` or both. Anyone else gets 403.',
    operationId: 'updateReview',
  })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiProblemResponses(400, 401, 403, 404, 413, 415)
  async update(
    @Param('id', ReviewId) id: string,
    @Body(SomeReviewChange) body: UpdateReviewDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.reviews.updateReview({ id, rating: body.rating, comment: body.comment }, metadata, options),
      ),
    );
  }

  @Delete('reviews/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Delete a review (its author)',
    description: 'The author may then review the event again. Anyone else gets 403.',
    operationId: 'deleteReview',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 401, 403, 404)
  async delete(@Param('id', ReviewId) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.grpc.call(caller, (metadata, options) => this.reviews.deleteReview({ id }, metadata, options));
  }

  @Put('reviews/:id/reply')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Answer a review (the event’s organizer)',
    description: 'A review has one reply: this sets it, or replaces it. Anyone else gets 403.',
    operationId: 'replyToReview',
  })
  @ApiOkResponse({ type: ReviewResponse, description: 'The review with its `reply`.' })
  @ApiProblemResponses(400, 401, 403, 404, 413, 415)
  async reply(
    @Param('id', ReviewId) id: string,
    @Body() body: ReplyToReviewDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.reviews.replyToReview({ id, text: body.text }, metadata, options),
      ),
    );
  }

  @Post('reviews/:id/hide')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Hide a review (the event’s organizer or an admin)',
    description:
      'Takes it out of the listing and the event’s rating; its author still sees it, with the reason. ' +
      'Hiding a hidden review changes nothing. Anyone else gets 403.',
    operationId: 'hideReview',
  })
  @ApiOkResponse({ type: ReviewResponse, description: 'The review, `hidden`.' })
  @ApiProblemResponses(400, 401, 403, 404, 413, 415)
  async hide(
    @Param('id', ReviewId) id: string,
    @Body() body: HideReviewDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ReviewResponse> {
    return ReviewResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.reviews.hideReview({ id, reason: body.reason }, metadata, options),
      ),
    );
  }
}
