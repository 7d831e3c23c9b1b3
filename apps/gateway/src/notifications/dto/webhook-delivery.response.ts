import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookAttemptMessage,
  type WebhookDeliveryMessage,
  type WebhookDeliveryPageMessage,
} from '@convene/contracts';

export class WebhookAttemptResponse {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: 'integer', example: 200, description: 'The receiver’s HTTP status, if it answered.' })
  statusCode?: number;
  @ApiPropertyOptional({ example: 'connection refused', description: 'Why the attempt failed, if it did.' })
  error?: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) durationMs!: number;

  static from(message: WebhookAttemptMessage): WebhookAttemptResponse {
    return {
      at: message.at,
      ...(message.statusCode ? { statusCode: message.statusCode } : {}),
      ...(message.error ? { error: message.error } : {}),
      durationMs: message.durationMs ?? 0,
    };
  }
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'The `Convene-Delivery-Id` header of its requests.' }) id!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ format: 'uuid', description: 'The `Convene-Event-Id` header: the receiver’s dedupe key.' })
  eventId!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ type: [WebhookAttemptResponse], description: 'The latest attempts, oldest first.' })
  attempts!: WebhookAttemptResponse[];
  @ApiPropertyOptional({ format: 'date-time', description: 'When it is tried next (pending only).' })
  nextAttemptAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(message: WebhookDeliveryMessage): WebhookDeliveryResponse {
    return {
      id: message.id,
      webhookId: message.webhookId,
      eventType: message.eventType,
      eventId: message.eventId,
      status: message.status,
      attempts: (message.attempts ?? []).map((attempt) => WebhookAttemptResponse.from(attempt)),
      ...(message.nextAttemptAt ? { nextAttemptAt: message.nextAttemptAt } : {}),
      createdAt: message.createdAt,
    };
  }
}

export class WebhookDeliveryPageResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse], description: 'Newest first.' }) items!: WebhookDeliveryResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: WebhookDeliveryPageMessage): WebhookDeliveryPageResponse {
    return {
      items: (message.items ?? []).map((item) => WebhookDeliveryResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
