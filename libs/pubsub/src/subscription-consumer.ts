import { Duration, type Message, type PubSub, type Subscription } from '@google-cloud/pubsub';
import type { LoggerService } from '@nestjs/common';
import type { SubscriptionSpec } from '@convene/contracts';
import { backoffDelay, type BackoffOptions } from './backoff';
import { errorMessage } from './error-message';
import type { PubSubTopology } from './topology';

export interface SubscriptionConsumerOptions {
  readonly pubsub: PubSub;
  readonly topology: PubSubTopology;
  readonly spec: SubscriptionSpec;
  /** Messages leased at once; a handler that never settles holds one slot until the drain timeout. */
  readonly maxMessages: number;
  readonly drainTimeoutMs: number;
  readonly reconnect: BackoffOptions;
  readonly logger: LoggerService;
  /** Must ack or nack the message itself, and never reject. */
  readonly onMessage: (message: Message) => Promise<void>;
}

/**
 * Keeps one subscription streaming until stopped. The client library gives up on a subscription for
 * good on a non-retryable error (NOT_FOUND after an emulator restart forgot it) and then just closes:
 * this re-ensures the topology and reopens, with capped backoff, for as long as the process runs.
 */
export class SubscriptionConsumer {
  private subscription?: Subscription;
  private reopenTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: SubscriptionConsumerOptions) {}

  start(): void {
    void this.open();
  }

  /** Stops streaming, lets leased messages finish (bounded by the drain timeout), then closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    const deadline = Date.now() + this.options.drainTimeoutMs;
    clearTimeout(this.reopenTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    // WaitForProcessing: the library stops pulling at once, waits for our acks/nacks, flushes them,
    // and nacks what is still running at the timeout so another replica gets it without waiting.
    await subscription?.close().catch((error: unknown) => this.logWarn(`close failed: ${errorMessage(error)}`));
    // Handlers whose messages the close nacked may still run: give them what is left of the drain time.
    await this.waitForHandlers(Math.max(0, deadline - Date.now()));
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const { pubsub, topology, spec, maxMessages, drainTimeoutMs } = this.options;
    try {
      await topology.ensureTopic(spec.topic);
    } catch (error) {
      this.scheduleReopen(`ensuring topology failed: ${errorMessage(error)}`);
      return;
    }
    if (this.stopped) return;
    const subscription = pubsub.subscription(spec.name, {
      // allowExcessMessages false: a pulled batch larger than the window waits instead of flooding us.
      flowControl: { maxMessages, allowExcessMessages: false },
      closeOptions: { behavior: 'WAIT', timeout: Duration.from({ milliseconds: drainTimeoutMs }) },
    });
    subscription.on('error', (error) => this.onBroken(subscription, `error: ${errorMessage(error)}`));
    subscription.on('close', () => this.onBroken(subscription, 'closed unexpectedly'));
    subscription.on('message', (message: Message) => this.track(message));
    this.subscription = subscription;
    if (this.failures > 0)
      this.options.logger.log(`subscription ${spec.name} reopened after ${this.failures} failure(s)`);
    this.failures = 0;
  }

  private track(message: Message): void {
    const handling = this.options.onMessage(message).finally(() => this.inFlight.delete(handling));
    this.inFlight.add(handling);
  }

  private onBroken(subscription: Subscription, reason: string): void {
    // Our own close (stop, or a reopen already under way) also emits 'close': not a failure.
    if (this.stopped || subscription !== this.subscription) return;
    this.subscription = undefined;
    subscription.removeAllListeners('message');
    void subscription.close().catch(() => undefined);
    // Whatever broke it, the cheapest sure fix is to provision again (creates are idempotent).
    this.options.topology.forget(this.options.spec.topic);
    this.scheduleReopen(reason);
  }

  private scheduleReopen(reason: string): void {
    if (this.stopped) return;
    this.failures += 1;
    const delay = backoffDelay(this.failures, this.options.reconnect);
    this.logWarn(`${reason}; reopening in ${delay} ms (attempt ${this.failures})`);
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => void this.open(), delay);
  }

  private async waitForHandlers(budgetMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), budgetMs)));
    const outcome = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => 'drained' as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logWarn(
        `${this.inFlight.size} handler(s) still running after the ${this.options.drainTimeoutMs} ms drain timeout`,
      );
    }
  }

  private logWarn(message: string): void {
    this.options.logger.warn(`subscription ${this.options.spec.name}: ${message}`);
  }
}
