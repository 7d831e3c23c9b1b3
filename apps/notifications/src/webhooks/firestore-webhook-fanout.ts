import { Injectable } from '@nestjs/common';
import { Clock, ReadThroughCache } from '@convene/common';
import { WebhookFanout, type WebhookEvent } from '../notices/ports';
import { deliveryIdOf, webhookPayload, type WebhookEndpoint } from './webhook';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksStore } from './webhooks.store';

/**
 * Turns a domain event into one delivery per active endpoint of its organizer subscribed to its type.
 * The delivery's id comes from (event id, endpoint id) and is `create`d, so a redelivered domain
 * message makes no second delivery. The dispatcher sends them.
 */
@Injectable()
export class FirestoreWebhookFanout extends WebhookFanout {
  /**
   * An organizer's endpoints, read once per 2 s rather than once per message (a registration rush is
   * thousands of messages for one organizer). A new, deleted or re-enabled endpoint counts from then.
   */
  private readonly endpoints = new ReadThroughCache<WebhookEndpoint[]>({
    ttlMs: 2000,
    maxEntries: 5000,
    now: Date.now,
  });

  constructor(
    private readonly store: WebhooksStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly clock: Clock,
  ) {
    super();
  }

  async publish(event: WebhookEvent): Promise<void> {
    const owned = await this.endpoints.get(event.ownerId, () => this.store.listEndpoints(event.ownerId));
    const endpoints = (owned ?? []).filter(
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
