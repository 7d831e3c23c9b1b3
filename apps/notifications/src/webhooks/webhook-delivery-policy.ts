import { MAX_KEPT_ATTEMPTS, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from './webhook';
import { nextAttemptAt, type RetrySchedule } from './webhook-retry-schedule';

export interface DeliveryPolicy {
  readonly retry: RetrySchedule;
  /** Failed attempts in a row (across the endpoint's deliveries) that disable it. */
  readonly disableAfterFailures: number;
}

/** What one attempt of a delivery got. */
export interface AttemptOutcome {
  deliveryId: string;
  attempt: WebhookAttempt;
  succeeded: boolean;
}

export interface AppliedOutcomes {
  endpoint: WebhookEndpoint;
  endpointChanged: boolean;
  /** The deliveries the outcomes (or the endpoint's disabling) changed. */
  deliveries: WebhookDelivery[];
  /** True when these outcomes disabled the endpoint (it was active before). */
  disabled: boolean;
}

export const ENDPOINT_DISABLED_REASON = 'the endpoint was disabled';

/**
 * Applies the attempts made for one endpoint's deliveries (in the order they were made): a success
 * ends its delivery and resets the endpoint's failure streak; a failure schedules the next retry or,
 * past the window, fails the delivery. The endpoint is disabled after `disableAfterFailures` failures
 * in a row or when one of its deliveries runs out of window; its other pending deliveries then stop.
 * Pure: the store runs it inside the transaction that read these documents.
 */
export function applyAttemptOutcomes(
  endpoint: WebhookEndpoint,
  deliveries: WebhookDelivery[],
  outcomes: AttemptOutcome[],
  policy: DeliveryPolicy,
  now: Date,
  random: () => number = Math.random,
): AppliedOutcomes {
  const next: WebhookEndpoint = { ...endpoint };
  const byId = new Map(deliveries.map((delivery) => [delivery.id, structuredClone(delivery)]));
  const changed = new Set<string>();
  let disabledReason: string | undefined;

  const ordered = [...outcomes].sort((a, b) => a.attempt.at.localeCompare(b.attempt.at));
  for (const { deliveryId, attempt, succeeded } of ordered) {
    const delivery = byId.get(deliveryId);
    if (!delivery) continue;
    changed.add(deliveryId);
    delivery.attempts = [...delivery.attempts, attempt].slice(-MAX_KEPT_ATTEMPTS);
    delivery.attemptCount += 1;
    delivery.firstAttemptAt ??= attempt.at;
    if (succeeded) {
      delivery.status = 'succeeded';
      delivery.nextAttemptAt = undefined;
      delivery.retryCount = 0;
      next.consecutiveFailures = 0;
      continue;
    }
    next.consecutiveFailures += 1;
    delivery.retryCount += 1;
    // Only a pending delivery is retried: it may have succeeded through a concurrent attempt, or been
    // stopped when the endpoint was disabled, while this attempt was in flight.
    if (delivery.status === 'pending') {
      const retryAt = nextAttemptAt(
        delivery.retryCount,
        now.getTime(),
        Date.parse(delivery.firstAttemptAt),
        policy.retry,
        random,
      );
      if (retryAt === undefined) {
        delivery.status = 'failed';
        delivery.nextAttemptAt = undefined;
        disabledReason ??= `a delivery kept failing for ${describeDuration(policy.retry.windowMs)}`;
      } else {
        delivery.nextAttemptAt = new Date(retryAt).toISOString();
      }
    }
    if (next.consecutiveFailures >= policy.disableAfterFailures) {
      disabledReason ??= `${next.consecutiveFailures} failed attempts in a row`;
    }
  }

  const disabled = endpoint.status === 'active' && disabledReason !== undefined;
  if (disabled) {
    next.status = 'disabled';
    next.disabledReason = disabledReason;
    next.disabledAt = now.toISOString();
    next.disableNoticePending = true;
    for (const delivery of byId.values()) {
      if (delivery.status !== 'pending') continue;
      delivery.status = 'failed';
      delivery.nextAttemptAt = undefined;
      delivery.stoppedReason = ENDPOINT_DISABLED_REASON;
      changed.add(delivery.id);
    }
  }
  const endpointChanged = disabled || next.consecutiveFailures !== endpoint.consecutiveFailures;
  if (endpointChanged) next.updatedAt = now.toISOString();
  return {
    endpoint: next,
    endpointChanged,
    deliveries: [...byId.values()].filter((delivery) => changed.has(delivery.id)),
    disabled,
  };
}

export function describeDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
