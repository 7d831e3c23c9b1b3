import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EventPageMessage } from '@convene/contracts';
import { EventResponse } from './event.response';

export class EventPageResponse {
  @ApiProperty({ type: [EventResponse] }) items!: EventResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: EventPageMessage): EventPageResponse {
    return {
      items: (message.items ?? []).map((item) => EventResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
