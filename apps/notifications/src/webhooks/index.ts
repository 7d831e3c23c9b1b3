import type { Provider } from '@nestjs/common';
import { Clock } from '@convene/common';
import { WebhookFanout } from '../notices/ports';
import { FirestoreWebhookFanout } from './firestore-webhook-fanout';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSender } from './webhook-sender';
import { type WebhookConfig, WebhookSettings, webhookSettingsFrom } from './webhook-settings';
import { WebhookTargetGuard } from './webhook-target-guard';
import { WebhooksGrpcController } from './webhooks.grpc.controller';
import { WebhookService } from './webhooks.service';
import { WebhooksStore } from './webhooks.store';

export { WebhookDisabledNotifier } from './webhook-disabled-notifier';
export { verifyConveneSignature, signConveneSignature, SIGNATURE_HEADER } from './webhook-signature';
export type { WebhookEndpointView } from './webhook';
export type { WebhookConfig } from './webhook-settings';

/**
 * What the notifications module adds for webhooks: `providers: [...webhookProviders(config)]` and
 * `controllers: [...webhookControllers]`. It also needs a `WebhookDisabledNotifier` provider, and
 * FirestoreModule and ObservabilityModule (global) imported. Provides `WebhookFanout`.
 */
export function webhookProviders(config: WebhookConfig): Provider[] {
  const settings = webhookSettingsFrom(config);
  return [
    Clock,
    { provide: WebhookSettings, useValue: settings },
    {
      provide: WebhookTargetGuard,
      useValue: new WebhookTargetGuard({
        allowPrivateTargets: settings.allowPrivateTargets,
        timeoutMs: settings.timeoutMs,
      }),
    },
    WebhooksStore,
    WebhookSender,
    WebhookDispatcher,
    WebhookService,
    { provide: WebhookFanout, useClass: FirestoreWebhookFanout },
  ];
}

export const webhookControllers = [WebhooksGrpcController];
