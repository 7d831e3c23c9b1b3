import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock, WorkLoop } from '@convene/common';
import { viewOf, type WebhookDelivery, type WebhookEndpoint } from './webhook';
import { applyAttemptOutcomes, ENDPOINT_DISABLED_REASON, type AttemptOutcome } from './webhook-delivery-policy';
import { WebhookDisabledNotifier } from './webhook-disabled-notifier';
import { WebhookSender } from './webhook-sender';
import { WebhookSettings } from './webhook-settings';
import { WebhooksStore } from './webhooks.store';

/** Deliveries claimed and sent per pass (concurrently). */
const BATCH_SIZE = 50;
/** How often, at most, disabled endpoints whose organizer was not told are looked for. */
const NOTICE_SWEEP_INTERVAL_MS = 60_000;
/** A notice younger than this is probably being sent by the process that disabled the endpoint. */
const NOTICE_GRACE_MS = 60_000;

/**
 * Sends due webhook deliveries: woken when deliveries are created or redelivered, at each retry's
 * due time when it is sooner than the next poll, and by polling (for work another replica created or
 * a dead one left). Each pass claims the due deliveries with a lease, so replicas rarely send the same
 * one twice (receivers dedupe on `Convene-Event-Id` when they do), sends them, and records the
 * outcomes per endpoint in one transaction with the endpoint's failure streak.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly loop: WorkLoop;
  /** Longer than an attempt can take (DNS and the request each within the timeout), plus recording. */
  private readonly leaseMs: number;
  private wakeTimer?: NodeJS.Timeout;
  private wakeAt = Number.POSITIVE_INFINITY;
  private noticesSweptAt = 0;

  constructor(
    private readonly store: WebhooksStore,
    private readonly sender: WebhookSender,
    private readonly notifier: WebhookDisabledNotifier,
    private readonly settings: WebhookSettings,
    private readonly clock: Clock,
  ) {
    this.leaseMs = 2 * settings.timeoutMs + 30_000;
    this.loop = new WorkLoop(() => this.pass(), {
      name: 'webhook deliveries',
      pollIntervalMs: settings.pollIntervalMs,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Before shutdown, so Firestore (closed on shutdown) outlives the last pass. */
  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.wakeTimer);
    await this.loop.stop();
  }

  /** New work: look now instead of at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One pass; true when the batch was full (more may be due). */
  private async pass(): Promise<boolean> {
    await this.sweepDisableNotices();
    const now = this.clock.now();
    const due = await this.store.dueDeliveryIds(now, BATCH_SIZE);
    if (due.length === 0) return false;
    const claimed = await this.store.claim(due, now, this.leaseMs);
    const byEndpoint = new Map<string, WebhookDelivery[]>();
    for (const delivery of claimed) {
      byEndpoint.set(delivery.endpointId, [...(byEndpoint.get(delivery.endpointId) ?? []), delivery]);
    }
    const endpoints = await this.store.getEndpoints([...byEndpoint.keys()]);
    await Promise.all(
      [...byEndpoint].map(([endpointId, deliveries]) =>
        this.deliverTo(endpointId, endpoints.get(endpointId), deliveries).catch((error: unknown) =>
          // The lease expires and they are sent again: an attempt may repeat, none is lost.
          this.logger.warn({ message: 'recording webhook attempts failed', endpointId, error: String(error) }),
        ),
      ),
    );
    return due.length === BATCH_SIZE;
  }

  private async deliverTo(
    endpointId: string,
    endpoint: WebhookEndpoint | undefined,
    deliveries: WebhookDelivery[],
  ): Promise<void> {
    if (!endpoint || endpoint.status !== 'active') {
      const reason = endpoint ? ENDPOINT_DISABLED_REASON : 'the endpoint was deleted';
      await Promise.all(deliveries.map((delivery) => this.store.stopDelivery(delivery.id, reason)));
      return;
    }
    const outcomes: AttemptOutcome[] = await Promise.all(
      deliveries.map(async (delivery) => ({
        deliveryId: delivery.id,
        ...(await this.sender.send(endpoint, delivery)),
      })),
    );
    const applied = await this.store.update(
      endpointId,
      deliveries.map((delivery) => delivery.id),
      (current, read) => {
        const result = applyAttemptOutcomes(current, read, outcomes, this.settings.policy, this.clock.now());
        return { ...result, endpoint: result.endpointChanged ? result.endpoint : undefined, current: result.endpoint };
      },
    );
    if (!applied) return;
    for (const delivery of applied.deliveries) {
      if (delivery.status === 'pending' && delivery.nextAttemptAt) this.wakeBy(Date.parse(delivery.nextAttemptAt));
    }
    const failed = outcomes.filter((outcome) => !outcome.succeeded).length;
    if (failed > 0) {
      this.logger.warn({
        message: 'webhook attempts failed',
        endpointId,
        failed,
        consecutiveFailures: applied.current.consecutiveFailures,
      });
    }
    if (applied.disabled) await this.afterDisabling(applied.current);
  }

  private async afterDisabling(endpoint: WebhookEndpoint): Promise<void> {
    this.logger.warn({
      message: 'webhook endpoint disabled',
      endpointId: endpoint.id,
      ownerId: endpoint.ownerId,
      reason: endpoint.disabledReason,
    });
    await this.store.stopPendingDeliveries(endpoint.id, ENDPOINT_DISABLED_REASON);
    await this.tellOwner(endpoint);
  }

  private async tellOwner(endpoint: WebhookEndpoint): Promise<void> {
    try {
      await this.notifier.notify(endpoint.ownerId, viewOf(endpoint), endpoint.disabledReason ?? 'disabled');
      if (endpoint.disabledAt) await this.store.clearDisableNotice(endpoint.id, endpoint.disabledAt);
    } catch (error) {
      // Still marked pending: the sweep tries again.
      this.logger.warn({ message: 'telling an organizer of a disabled webhook failed', error: String(error) });
    }
  }

  /** Catches up on notices a dead process did not send. */
  private async sweepDisableNotices(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.noticesSweptAt < NOTICE_SWEEP_INTERVAL_MS) return;
    this.noticesSweptAt = now;
    const endpoints = await this.store.endpointsAwaitingDisableNotice(20);
    for (const endpoint of endpoints) {
      if (endpoint.status !== 'disabled' || !endpoint.disabledAt) continue;
      if (now - Date.parse(endpoint.disabledAt) < NOTICE_GRACE_MS) continue;
      await this.tellOwner(endpoint);
    }
  }

  /** Runs a pass at `at` when that is sooner than the next poll would. */
  private wakeBy(at: number): void {
    const delay = at - this.clock.now().getTime();
    if (delay >= this.settings.pollIntervalMs || at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.kick();
      },
      Math.max(0, delay),
    );
    this.wakeTimer.unref();
  }
}
