import { Injectable } from '@nestjs/common';
import { Clock } from '@convene/common';
import { WebhookFanout, type WebhookEvent } from '../notices/ports';
import { deliveryIdOf, webhookPayload } from './webhook';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksStore } from './webhooks.store';

/**
 * Turns a domain event into one delivery per active endpoint of its organizer subscribed to its type.
 * The delivery's id comes from (event id, endpoint id) and is `create`d, so a redelivered domain
 * message makes no second delivery. The dispatcher sends them.
 */
@Injectable()
export class FirestoreWebhookFanout extends WebhookFanout {
  constructor(
    private readonly store: WebhooksStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly clock: Clock,
  ) {
    super();
  }

  async publish(event: WebhookEvent): Promise<void> {
    const endpoints = (await this.store.listEndpoints(event.ownerId)).filter(
      (endpoint) => endpoint.status === 'active' && endpoint.eventTypes.includes(event.eventType),
    );
    if (endpoints.length === 0) return;
    const payload = webhookPayload(event);
    const now = this.clock.now().toISOString();
    const created = await Promise.all(
      endpoints.map((endpoint) =>
        this.store.createDelivery({
          id: deliveryIdOf(event.eventId, endpoint.id),
          endpointId: endpoint.id,
          ownerId: event.ownerId,
          eventType: event.eventType,
          eventId: event.eventId,
          payload,
          status: 'pending',
          attempts: [],
          attemptCount: 0,
          retryCount: 0,
          nextAttemptAt: now,
          createdAt: now,
        }),
      ),
    );
    if (created.some(Boolean)) this.dispatcher.kick();
  }
}
