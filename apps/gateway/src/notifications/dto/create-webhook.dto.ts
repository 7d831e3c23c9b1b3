import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@convene/contracts';
import { AbsentOrValid } from '../../http/absent-or-valid';

/** As the notifications service limits them (apps/notifications/src/webhooks). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

/**
 * Body of POST /v1/webhooks. Formats only: whether the URL may be called (https, not a private
 * address) and whether the caller may have endpoints at all is the notifications service's rule.
 */
export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://crm.example.com/hooks/convene',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description: 'Where each event is POSTed: https, a public address, no credentials or fragment.',
  })
  @IsString()
  @Length(1, MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['registration.confirmed', 'registration.cancelled'],
    description: 'At least one; always about events the caller organizes.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `each of eventTypes must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  eventTypes!: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: MAX_WEBHOOK_DESCRIPTION_LENGTH, example: 'Badge printer', default: '' })
  @AbsentOrValid()
  @IsString()
  @MaxLength(MAX_WEBHOOK_DESCRIPTION_LENGTH)
  description?: string;
}
