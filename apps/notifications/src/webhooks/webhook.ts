import { createHash, randomBytes } from 'node:crypto';
import type {
  WebhookAttemptMessage,
  WebhookDeliveryMessage,
  WebhookDeliveryStatus,
  WebhookEventType,
  WebhookMessage,
} from '@convene/contracts';

export const WEBHOOK_COLLECTIONS = { endpoints: 'webhookEndpoints', deliveries: 'webhookDeliveries' } as const;

/** Endpoints one organizer may have: each domain event costs one delivery per endpoint. */
export const MAX_ENDPOINTS_PER_OWNER = 20;
/** A delivery keeps its latest attempts only (a day of retries is ~30); `attemptCount` counts all. */
export const MAX_KEPT_ATTEMPTS = 25;

export type WebhookEndpointStatus = 'active' | 'disabled';

/** An organizer's endpoint. Instants are ISO strings (Timestamps in Firestore). */
export interface WebhookEndpoint {
  id: string;
  ownerId: string;
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
  /** Signs every delivery; shown to the organizer once, when the endpoint is created. */
  secret: string;
  status: WebhookEndpointStatus;
  disabledReason?: string;
  disabledAt?: string;
  /** Set with `disabledAt` until the organizer was told; a crash in between is caught up by the worker. */
  disableNoticePending?: boolean;
  /** Failed attempts in a row, across deliveries; a success resets it. */
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

/** What the organizer's notification about a disabled endpoint may show: everything but the secret. */
export type WebhookEndpointView = Omit<WebhookEndpoint, 'secret'>;

export interface WebhookAttempt {
  at: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** One domain event for one endpoint. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  ownerId: string;
  eventType: WebhookEventType;
  /** The domain message's envelope id: the receiver's dedupe key. */
  eventId: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  payload: string;
  status: WebhookDeliveryStatus;
  /** The latest MAX_KEPT_ATTEMPTS attempts, oldest first. */
  attempts: WebhookAttempt[];
  attemptCount: number;
  /** Failed attempts since the first attempt or the last redelivery: the backoff's exponent. */
  retryCount: number;
  /** When the worker sends it next (pending only). */
  nextAttemptAt?: string;
  /** Start of the retry window: the first attempt, or the last redelivery. */
  firstAttemptAt?: string;
  /** Why it stopped without succeeding, when that was not an attempt's answer (e.g. endpoint disabled). */
  stoppedReason?: string;
  createdAt: string;
}

/** `whsec_` + 32 random bytes, base64url: 256 bits, the HMAC-SHA256 key size. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Namespace of delivery ids (a random v4 uuid, fixed forever: ids already issued depend on it). */
const DELIVERY_ID_NAMESPACE = Buffer.from('6f1d7c2ab0e54f4f9c3e8d51a2b7c640', 'hex');

/**
 * The delivery of one domain event to one endpoint has one id (a name-based UUID v5), so however often
 * the event arrives, `create()` makes one delivery. A UUID, like every id in the public API.
 */
export function deliveryIdOf(eventId: string, endpointId: string): string {
  const hash = createHash('sha1').update(DELIVERY_ID_NAMESPACE).update(`${eventId}\n${endpointId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The body every attempt of a delivery sends. */
export function webhookPayload(event: {
  eventId: string;
  eventType: WebhookEventType;
  occurredAt: string;
  data: object;
}): string {
  return JSON.stringify({ id: event.eventId, type: event.eventType, occurredAt: event.occurredAt, data: event.data });
}

export function viewOf(endpoint: WebhookEndpoint): WebhookEndpointView {
  const { secret: _secret, ...view } = endpoint;
  return view;
}

export function toWebhookMessage(endpoint: WebhookEndpoint, withSecret = false): WebhookMessage {
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: [...endpoint.eventTypes],
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt,
    secret: withSecret ? endpoint.secret : undefined,
    consecutiveFailures: endpoint.consecutiveFailures,
  };
}

export function toWebhookDeliveryMessage(delivery: WebhookDelivery): WebhookDeliveryMessage {
  return {
    id: delivery.id,
    webhookId: delivery.endpointId,
    eventType: delivery.eventType,
    eventId: delivery.eventId,
    status: delivery.status,
    attempts: delivery.attempts.map((attempt): WebhookAttemptMessage => ({
      at: attempt.at,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    })),
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : undefined,
    createdAt: delivery.createdAt,
  };
}
