import type { DeliveryPolicy } from './webhook-delivery-policy';

/** The WEBHOOK_* variables of NotificationsConfig this folder reads. */
export interface WebhookConfig {
  readonly WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean;
  readonly WEBHOOK_RETRY_BASE_MS: number;
  readonly WEBHOOK_RETRY_MAX_DELAY_MS: number;
  readonly WEBHOOK_RETRY_WINDOW_MS: number;
  readonly WEBHOOK_DISABLE_AFTER_FAILURES: number;
  readonly WEBHOOK_TIMEOUT_MS: number;
  readonly WEBHOOK_POLL_MS: number;
}

/** Injection token and typed view of the webhook settings. */
export abstract class WebhookSettings {
  abstract readonly allowPrivateTargets: boolean;
  abstract readonly policy: DeliveryPolicy;
  /** One attempt: DNS, connection, request and the receiver's status line. */
  abstract readonly timeoutMs: number;
  abstract readonly pollIntervalMs: number;
}

export function webhookSettingsFrom(config: WebhookConfig): WebhookSettings {
  return {
    allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    policy: {
      retry: {
        baseMs: config.WEBHOOK_RETRY_BASE_MS,
        maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
        windowMs: config.WEBHOOK_RETRY_WINDOW_MS,
      },
      disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    pollIntervalMs: config.WEBHOOK_POLL_MS,
  };
}
