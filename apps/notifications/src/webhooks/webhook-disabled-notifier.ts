import type { WebhookEndpointView } from './webhook';

/**
 * Tells an organizer that one of their webhook endpoints was disabled (and why). Called after the
 * disabling is stored, and again by the delivery worker if the process died before the call
 * succeeded: an implementation should be idempotent per (`endpoint.id`, `endpoint.disabledAt`).
 */
export abstract class WebhookDisabledNotifier {
  abstract notify(ownerId: string, endpoint: WebhookEndpointView, reason: string): Promise<void>;
}
