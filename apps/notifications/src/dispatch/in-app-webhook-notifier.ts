import { Injectable } from '@nestjs/common';
import { Notices } from '../notices/notice-builder';
import { WebhookDisabledNotifier, type WebhookEndpointView } from '../webhooks';
import { Dispatcher } from './dispatcher';

/**
 * Tells an organizer their webhook endpoint was disabled, in-app and by email (their `webhooks`
 * preferences). Named by the endpoint and the moment it was disabled, so the delivery worker's
 * re-sends after a crash tell them once; a later disabling of the same endpoint is news again.
 */
@Injectable()
export class InAppWebhookDisabledNotifier extends WebhookDisabledNotifier {
  constructor(private readonly dispatcher: Dispatcher) {
    super();
  }

  async notify(ownerId: string, endpoint: WebhookEndpointView, reason: string): Promise<void> {
    const sourceId = `webhook-disabled:${endpoint.id}:${endpoint.disabledAt ?? ''}`;
    await this.dispatcher.tell(Notices.webhookDisabled(sourceId, endpoint.url, reason), [ownerId]);
  }
}
