import { GrpcStatus, hasGrpcCode } from '@convene/common';
import type { PubSub } from '@google-cloud/pubsub';
import { Logger } from '@nestjs/common';
import {
  deadLetterTopicOf,
  Subscriptions,
  subscriptionsFor,
  subscriptionsOf,
  Topics,
  type ServiceName,
  type SubscriptionSpec,
} from '@convene/contracts';
import { backoffDelay } from './backoff';
import {
  resolveTopologyOptions,
  toProtoDuration,
  type ResolvedTopologyOptions,
  type TopologyOptions,
} from './topology-options';

const REPORT_RETRY_BACKOFF = { initialMs: 500, maxMs: 30_000 };

export interface TopologyHooks {
  /**
   * A subscription the registry declares did not exist and was created: whatever it would have held
   * (an emulator restart or an operator's delete forgot it) is lost to its consumer. PubSubModule sends
   * an outbox replay request from here (see outbox-replays.ts). A rejection is logged and tried again.
   */
  readonly onSubscriptionCreated?: (spec: SubscriptionSpec) => Promise<void>;
}

/**
 * Creates, idempotently, what the contracts registry declares: a topic, its subscriptions (each with a
 * dead-letter policy and a redelivery backoff), each dead-letter topic, and a subscription on each
 * dead-letter topic named like it so dead letters are kept and can be inspected.
 *
 * Publishers and subscribers both ensure, so whichever starts first (or first notices that an emulator
 * restart forgot everything) recreates it. An existing subscription is never updated: changing a live
 * subscription's policy is an operator's decision.
 */
export class PubSubTopology {
  readonly options: ResolvedTopologyOptions;
  private readonly logger = new Logger(PubSubTopology.name);
  /** topic → ensure in progress or done. Memoized so the hot publish path costs no admin call. */
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly pubsub: PubSub,
    options: TopologyOptions = {},
    private readonly hooks: TopologyHooks = {},
  ) {
    this.options = resolveTopologyOptions(options);
  }

  ensureTopic(topic: string): Promise<void> {
    let ensuring = this.ensured.get(topic);
    if (!ensuring) {
      ensuring = this.provision(topic);
      this.ensured.set(topic, ensuring);
      // A failed ensure must be retried by the next caller, not replayed from the memo.
      ensuring.catch(() => {
        if (this.ensured.get(topic) === ensuring) this.ensured.delete(topic);
      });
    }
    return ensuring;
  }

  /** Every declared topic, or the given ones. */
  async ensureAll(topics: readonly string[] = Object.values(Topics)): Promise<void> {
    await Promise.all(topics.map((topic) => this.ensureTopic(topic)));
  }

  /** The topics a service consumes (with all their subscriptions). */
  async ensureForService(service: ServiceName): Promise<void> {
    await this.ensureAll([...new Set(subscriptionsFor(service).map((s) => s.topic))]);
  }

  /** Call after NOT_FOUND: the memo is stale (e.g. the emulator restarted), so the next ensure provisions again. */
  forget(topic?: string): void {
    if (topic === undefined) this.ensured.clear();
    else this.ensured.delete(topic);
  }

  private async provision(topic: string): Promise<void> {
    await this.createTopic(topic);
    // Subscriptions before returning: a message published to a topic with no subscription is dropped.
    await Promise.all(subscriptionsOf(topic).map((spec) => this.provisionSubscription(spec)));
    this.logger.debug(`topology ensured for topic ${topic}`);
  }

  private async provisionSubscription(spec: SubscriptionSpec): Promise<void> {
    const deadLetterTopic = deadLetterTopicOf(spec.name);
    await this.createTopic(deadLetterTopic);
    // Named like its topic; no dead-letter policy of its own (dead letters stay until someone looks).
    await this.createSubscription(deadLetterTopic, deadLetterTopic, {});
    const { maxDeliveryAttempts, retryBackoff, ackDeadlineSeconds } = this.options;
    const created = await this.createSubscription(spec.topic, spec.name, {
      ackDeadlineSeconds,
      deadLetterPolicy: { deadLetterTopic: this.pubsub.topic(deadLetterTopic).name, maxDeliveryAttempts },
      retryPolicy: {
        minimumBackoff: toProtoDuration(retryBackoff.minimumMs),
        maximumBackoff: toProtoDuration(retryBackoff.maximumMs),
      },
    });
    if (created) void this.reportCreated(spec, 1);
  }

  private async reportCreated(spec: SubscriptionSpec, attempt: number): Promise<void> {
    if (!this.hooks.onSubscriptionCreated) return;
    try {
      await this.hooks.onSubscriptionCreated(spec);
    } catch (error) {
      const delayMs = backoffDelay(attempt, REPORT_RETRY_BACKOFF);
      this.logger.warn(`reporting the new subscription ${spec.name} failed (${String(error)}); again in ${delayMs} ms`);
      setTimeout(() => void this.reportCreated(spec, attempt + 1), delayMs).unref();
    }
  }

  private async createTopic(name: string): Promise<void> {
    await ignoreAlreadyExists(this.pubsub.createTopic(name, { timeout: this.options.adminTimeoutMs }));
  }

  /** True when this call created it. */
  private createSubscription(topic: string, name: string, metadata: Record<string, unknown>): Promise<boolean> {
    return ignoreAlreadyExists(
      this.pubsub.createSubscription(topic, name, { ...metadata, gaxOpts: { timeout: this.options.adminTimeoutMs } }),
    );
  }
}

/** Another replica (or an earlier run) created it first: that is the state we wanted. True: created now. */
async function ignoreAlreadyExists(creating: Promise<unknown>): Promise<boolean> {
  try {
    await creating;
    return true;
  } catch (error) {
    if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    return false;
  }
}

/** Creates every declared topic and subscription; `npm start` runs it once against fresh emulators. */
/** Ensures every declared topic (with its subscriptions and dead-letter topics); returns the topic ids. */
export async function provisionTopology(pubsub: PubSub, options: TopologyOptions = {}): Promise<string[]> {
  const topology = new PubSubTopology(pubsub, options);
  const topics = [...new Set([...Object.values(Topics), ...Subscriptions.map((s) => s.topic)])];
  await topology.ensureAll(topics);
  return topics;
}
