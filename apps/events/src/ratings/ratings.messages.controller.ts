import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ReviewCreatedV1, ReviewDeletedV1, ReviewHiddenV1, ReviewUpdatedV1, Topics } from '@convene/contracts';
import { RatingsProjection } from './ratings-projection.service';

type ReviewMessage = Pick<ReviewCreatedV1, 'reviewId' | 'eventId' | 'version' | 'rating' | 'counted'>;

/**
 * Pub/Sub entry points of the rating-summary projection. Every review message carries the review's
 * whole state as of its version, so all four are applied alike. The message is already validated
 * against its contract class.
 */
@Controller()
export class RatingsMessagesController {
  constructor(private readonly projection: RatingsProjection) {}

  @EventPattern<string>(Topics.reviewCreated)
  async onCreated(@Payload() message: ReviewCreatedV1): Promise<void> {
    await this.record(message);
  }

  @EventPattern<string>(Topics.reviewUpdated)
  async onUpdated(@Payload() message: ReviewUpdatedV1): Promise<void> {
    await this.record(message);
  }

  @EventPattern<string>(Topics.reviewDeleted)
  async onDeleted(@Payload() message: ReviewDeletedV1): Promise<void> {
    await this.record(message);
  }

  @EventPattern<string>(Topics.reviewHidden)
  async onHidden(@Payload() message: ReviewHiddenV1): Promise<void> {
    await this.record(message);
  }

  private record(message: ReviewMessage): Promise<void> {
    return this.projection.record({
      eventId: message.eventId,
      reviewId: message.reviewId,
      rating: message.rating,
      counted: message.counted,
      version: message.version,
    });
  }
}
