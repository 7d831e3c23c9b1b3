import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, UserDeletedV1 } from '@convene/contracts';
import { ReviewsService } from './reviews.service';

/** Pub/Sub entry points of the reviews themselves. The message is already validated against its contract class. */
@Controller()
export class ReviewsMessagesController {
  private readonly logger = new Logger(ReviewsMessagesController.name);

  constructor(private readonly reviews: ReviewsService) {}

  /** Safe to redeliver: the second time there is nothing left to anonymize or forget. */
  @EventPattern<string>(Topics.userDeleted)
  async onUserDeleted(@Payload() message: UserDeletedV1): Promise<void> {
    const forgotten = await this.reviews.forgetAuthor(message.userId);
    this.logger.log({ message: 'erased account: reviews anonymized', ...forgotten });
  }
}
