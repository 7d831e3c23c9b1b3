import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor, requireIdentity } from '@convene/common';
import type {
  CreateWebhookRequest,
  DeletedWebhookMessage,
  DeleteWebhookRequest,
  ListWebhookDeliveriesRequest,
  RedeliverWebhookRequest,
  WebhookDeliveryMessage,
  WebhookDeliveryPageMessage,
  WebhookListMessage,
  WebhookMessage,
} from '@convene/contracts';
import { toWebhookDeliveryMessage, toWebhookMessage } from './webhook';
import { WebhookService } from './webhooks.service';

/** The webhook part of NotificationsService. Every call acts for the identity in the metadata. */
@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class WebhooksGrpcController {
  constructor(private readonly webhooks: WebhookService) {}

  @GrpcMethod('NotificationsService', 'CreateWebhook')
  async createWebhook(request: CreateWebhookRequest, metadata: Metadata): Promise<WebhookMessage> {
    const endpoint = await this.webhooks.create(
      // proto3 optional fields arrive absent (or null) when unset.
      { url: request.url, eventTypes: request.eventTypes ?? [], description: request.description ?? undefined },
      requireIdentity(metadata),
    );
    return toWebhookMessage(endpoint, true);
  }

  @GrpcMethod('NotificationsService', 'ListWebhooks')
  async listWebhooks(_request: unknown, metadata: Metadata): Promise<WebhookListMessage> {
    const endpoints = await this.webhooks.list(requireIdentity(metadata));
    return { items: endpoints.map((endpoint) => toWebhookMessage(endpoint)) };
  }

  @GrpcMethod('NotificationsService', 'DeleteWebhook')
  async deleteWebhook(request: DeleteWebhookRequest, metadata: Metadata): Promise<DeletedWebhookMessage> {
    const endpoint = await this.webhooks.remove(request.id, requireIdentity(metadata));
    return { id: endpoint.id };
  }

  @GrpcMethod('NotificationsService', 'ListWebhookDeliveries')
  async listWebhookDeliveries(
    request: ListWebhookDeliveriesRequest,
    metadata: Metadata,
  ): Promise<WebhookDeliveryPageMessage> {
    const page = await this.webhooks.deliveries(
      request.webhookId,
      { limit: request.limit, cursor: request.cursor ?? undefined },
      requireIdentity(metadata),
    );
    return { items: page.items.map(toWebhookDeliveryMessage), nextCursor: page.nextCursor };
  }

  @GrpcMethod('NotificationsService', 'RedeliverWebhook')
  async redeliverWebhook(request: RedeliverWebhookRequest, metadata: Metadata): Promise<WebhookDeliveryMessage> {
    const delivery = await this.webhooks.redeliver(request.webhookId, request.deliveryId, requireIdentity(metadata));
    return toWebhookDeliveryMessage(delivery);
  }
}
