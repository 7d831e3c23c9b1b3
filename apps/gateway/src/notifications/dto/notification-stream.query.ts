import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** Longest event id a client may send back; positions the service issues are far shorter. */
export const MAX_EVENT_ID_LENGTH = 512;

/** Query string of GET /v1/me/notifications/stream. */
export class NotificationStreamQuery {
  @ApiPropertyOptional({
    maxLength: MAX_EVENT_ID_LENGTH,
    description:
      'For EventSource polyfills that cannot send headers: the same as the `Last-Event-ID` header, which ' +
      'wins when both are sent.',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_EVENT_ID_LENGTH)
  lastEventId?: string;
}
