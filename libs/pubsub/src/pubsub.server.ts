import type { Message, PubSub } from '@google-cloud/pubsub';
import { Logger, type LoggerService } from '@nestjs/common';
import { type CustomTransportStrategy, type ReadPacket, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  decodeMessage,
  parseEnvelope,
  subscriptionsFor,
  type ServiceName,
  type SubscriptionSpec,
} from '@convene/contracts';
import { CorrelationContext } from '@convene/common';
import type { BackoffOptions } from './backoff';
import { errorMessage } from './error-message';
import { PubSubContext } from './pubsub.context';
import type { PubSubMetrics } from './pubsub-metrics';
import { SubscriptionConsumer } from './subscription-consumer';
import { PubSubTopology } from './topology';
import type { TopologyOptions } from './topology-options';

export interface PubSubServerOptions {
  readonly pubsub: PubSub;
  /** The consuming service: pattern `p` is consumed from its subscription `<service>.<p>`. */
  readonly service: ServiceName;
  /** Shared with the publisher when built by the module; otherwise built from `topologyOptions`. */
  readonly topology?: PubSubTopology;
  readonly topologyOptions?: TopologyOptions;
  /** Messages each subscription leases at once (default 50). */
  readonly maxMessages?: number;
  /** How long close() lets running handlers finish (default 10 s; keep it below the pod's grace period). */
  readonly drainTimeoutMs?: number;
  /** Backoff between attempts to reopen a broken subscription (default 500 ms doubling to 30 s). */
  readonly reconnectBackoff?: BackoffOptions;
  readonly metrics?: PubSubMetrics;
  readonly logger?: LoggerService;
  /**
   * Fault injection for the resilience suite only (PUBSUB_FAULT_NACK_RATIO): the share (0..1) of
   * messages whose first delivery is nacked before any handler runs, evenly spaced so the share is
   * exact. 0 or absent: off.
   */
  readonly faultNackFirstDeliveryRatio?: number;
}

/**
 * A Nest microservice transport over Pub/Sub. Each `@EventPattern(topic)` handler consumes the
 * subscription the contracts registry declares for this service and topic. A message is acked only
 * after its handler completed; a failure nacks it, so Pub/Sub redelivers it (with backoff) until it
 * succeeds or is dead-lettered. Handlers must therefore be idempotent (see IdempotentConsumer).
 */
/** This transport's id. Without one, Nest would also register an app's @GrpcMethod handlers here. */
export const PUBSUB_TRANSPORT = Symbol('pubsub');

export class PubSubServer extends Server implements CustomTransportStrategy {
  override transportId = PUBSUB_TRANSPORT;
  /** handleEvent below awaits the handler's stream, so Nest must hand failures to us instead of logging them. */
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger: LoggerService;
  private readonly topology: PubSubTopology;
  private readonly consumers: SubscriptionConsumer[] = [];
  /** First deliveries seen, for `faultNackFirstDeliveryRatio`. */
  private firstDeliveries = 0;

  constructor(private readonly options: PubSubServerOptions) {
    super();
    this.logger = options.logger ?? new Logger(PubSubServer.name);
    this.topology = options.topology ?? new PubSubTopology(options.pubsub, options.topologyOptions);
  }

  listen(callback: (error?: unknown) => void): void {
    let specs: SubscriptionSpec[];
    try {
      specs = this.subscriptionsToConsume();
    } catch (error) {
      callback(error);
      return;
    }
    for (const spec of specs) {
      const consumer = new SubscriptionConsumer({
        pubsub: this.options.pubsub,
        topology: this.topology,
        spec,
        maxMessages: this.options.maxMessages ?? 50,
        drainTimeoutMs: this.options.drainTimeoutMs ?? 10_000,
        reconnect: this.options.reconnectBackoff ?? { initialMs: 500, maxMs: 30_000 },
        logger: this.logger,
        onMessage: (message) => this.handleMessage(spec, message),
      });
      this.consumers.push(consumer);
      // Opens in the background and keeps retrying: a Pub/Sub outage at boot must not crash the pod.
      consumer.start();
      this.logger.log(`consuming ${spec.name}`);
    }
    callback();
  }

  async close(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  }

  /** The transport reports through logs and metrics; it has no event listeners. */
  on(): never {
    throw new Error('PubSubServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.options.pubsub as T;
  }

  /** Like the base class, but awaits the handler's stream so its outcome decides ack or nack. */
  override async handleEvent(pattern: string, packet: ReadPacket, context: PubSubContext): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    const resultOrStream: unknown = await handler(packet.data, context);
    if (isObservable(resultOrStream)) await lastValueFrom(resultOrStream, { defaultValue: undefined });
  }

  private subscriptionsToConsume(): SubscriptionSpec[] {
    const declared = subscriptionsFor(this.options.service);
    return [...this.getHandlers().keys()].map((pattern) => {
      const spec = declared.find((s) => s.topic === pattern);
      if (!spec) {
        throw new Error(
          `no subscription for ${this.options.service} on "${pattern}" in @convene/contracts topics.ts; declare it there`,
        );
      }
      return spec;
    });
  }

  private async handleMessage(spec: SubscriptionSpec, message: Message): Promise<void> {
    if (this.injectsNack(message)) {
      message.nack();
      this.options.metrics?.pubsubConsumed.inc({ subscription: spec.name, outcome: 'nack' });
      return;
    }
    const envelope = parseEnvelope(message.attributes);
    if ('missing' in envelope) return this.reject(spec, message, `missing attributes ${envelope.missing.join(', ')}`);
    if (envelope.eventType !== spec.topic) {
      return this.reject(spec, message, `eventType ${envelope.eventType} does not belong on topic ${spec.topic}`);
    }
    const decoded = decodeMessage(envelope.eventType, envelope.schemaVersion, message.data);
    if (!decoded.ok) return this.reject(spec, message, decoded.reason);

    const context = new PubSubContext([message, envelope]);
    try {
      await CorrelationContext.run(envelope.correlationId, () =>
        this.handleEvent(spec.topic, { pattern: spec.topic, data: decoded.message }, context),
      );
    } catch (error) {
      message.nack();
      this.options.metrics?.pubsubConsumed.inc({ subscription: spec.name, outcome: 'nack' });
      this.logger.warn(
        `${spec.name}: handler failed for ${envelope.eventId} (delivery ${context.getDeliveryAttempt()}), nacked: ${describe(error)}`,
      );
      return;
    }
    message.ack();
    this.options.metrics?.pubsubConsumed.inc({ subscription: spec.name, outcome: 'ack' });
  }

  /**
   * See `faultNackFirstDeliveryRatio`. Evenly spaced over this process's first deliveries (with 0.2,
   * every fifth), so the share is exact rather than sampled. Only first deliveries, so every message
   * is nacked at most once.
   */
  private injectsNack(message: Message): boolean {
    const ratio = this.options.faultNackFirstDeliveryRatio ?? 0;
    if (ratio <= 0 || message.deliveryAttempt !== 1) return false;
    const n = ++this.firstDeliveries;
    return Math.floor(n * ratio) > Math.floor((n - 1) * ratio);
  }

  /**
   * A message no handler can ever accept. Nacked at once (never held, so it cannot starve the flow
   * control window); Pub/Sub dead-letters it after maxDeliveryAttempts.
   */
  private reject(spec: SubscriptionSpec, message: Message, reason: string): void {
    message.nack();
    this.options.metrics?.pubsubConsumed.inc({ subscription: spec.name, outcome: 'nack' });
    const attempt = message.deliveryAttempt || 1;
    const eventId = message.attributes?.eventId ?? message.id;
    if (attempt >= this.topology.options.maxDeliveryAttempts) {
      this.options.metrics?.pubsubDeadLettered.inc({ subscription: spec.name });
      this.logger.error(
        `${spec.name}: invalid message ${eventId} dead-lettered after ${attempt} deliveries: ${reason}`,
      );
    } else {
      this.logger.warn(`${spec.name}: invalid message ${eventId} (delivery ${attempt}) nacked: ${reason}`);
    }
  }
}

/** Nest's RPC exception filter turns errors into plain `{ status, message }` objects. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return errorMessage(error);
}
