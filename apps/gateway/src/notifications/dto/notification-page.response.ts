import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { NotificationPageMessage } from '@convene/contracts';
import { NotificationResponse } from './notification.response';

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse], description: 'Newest first.' }) items!: NotificationResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: NotificationPageMessage): NotificationPageResponse {
    return {
      items: (message.items ?? []).map((item) => NotificationResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
