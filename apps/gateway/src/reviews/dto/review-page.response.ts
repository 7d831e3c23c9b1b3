import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ReviewPageMessage } from '@convene/contracts';
import { ReviewResponse } from './review.response';

export class ReviewPageResponse {
  @ApiProperty({ type: [ReviewResponse] }) items!: ReviewResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: ReviewPageMessage): ReviewPageResponse {
    return {
      items: (message.items ?? []).map((item) => ReviewResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
