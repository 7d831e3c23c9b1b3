import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_STATUSES,
  type WebhookListMessage,
  type WebhookMessage,
} from '@convene/contracts';

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://crm.example.com/hooks/convene' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes!: string[];
  @ApiProperty({ description: 'May be empty.' }) description!: string;
  @ApiProperty({
    enum: WEBHOOK_STATUSES,
    description: 'disabled after repeated failures (the organizer is told); a redelivery enables it again.',
  })
  status!: string;
  @ApiPropertyOptional({ description: 'Why it was disabled.' }) disabledReason?: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed attempts in a row, across deliveries.' })
  consecutiveFailures!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  /** Field by field: the secret only where the caller asks for it (creation). */
  static from(message: WebhookMessage): WebhookResponse {
    return {
      id: message.id,
      url: message.url,
      eventTypes: [...(message.eventTypes ?? [])],
      description: message.description ?? '',
      status: message.status,
      ...(message.disabledReason ? { disabledReason: message.disabledReason } : {}),
      consecutiveFailures: message.consecutiveFailures ?? 0,
      createdAt: message.createdAt,
    };
  }
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_3q2-7wXo8m0bXn3V1hO5kq2rR5l6m1w7sT9yQ0pZfXc',
    description:
      'Signs every delivery (`Convene-Signature`, see docs/webhooks.md). Shown this once: it cannot be read ' +
      'again; keep it like a password.',
  })
  secret!: string;

  static withSecret(message: WebhookMessage): CreatedWebhookResponse {
    if (!message.secret) throw new Error('the notifications service created a webhook without a secret');
    return { ...WebhookResponse.from(message), secret: message.secret };
  }
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];

  static from(message: WebhookListMessage): WebhookListResponse {
    return { items: (message.items ?? []).map((item) => WebhookResponse.from(item)) };
  }
}
