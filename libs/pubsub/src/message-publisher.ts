import type { PubSub, Topic } from '@google-cloud/pubsub';
import { Logger, type LoggerService } from '@nestjs/common';
import { decodeMessage, type Envelope, type ServiceName } from '@convene/contracts';
import { CorrelationContext, GrpcStatus, hasGrpcCode } from '@convene/common';
import { buildEnvelope, envelopeToAttributes } from './envelope-attributes';
import { errorMessage } from './error-message';
import { messageClassOf } from './message-class';
import type { PubSubMetrics } from './pubsub-metrics';
import type { PubSubTopology } from './topology';

export interface MessagePublisherOptions {
  readonly source: ServiceName;
  readonly metrics?: PubSubMetrics;
  readonly logger?: LoggerService;
  /**
   * Deadline of one publish (the client does not retry it: see topicFor()). The client's default is
   * 10 minutes, which would freeze an outbox relay for the whole length of an outage.
   */
  readonly publishTimeoutMs?: number;
}

/** Publishes versioned messages with the Convene envelope as attributes. The topic id is the eventType. */
export class MessagePublisher {
  private readonly topics = new Map<string, Topic>();
  private readonly logger: LoggerService;
  private readonly publishTimeoutMs: number;

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: PubSubTopology,
    private readonly options: MessagePublisherOptions,
  ) {
    this.logger = options.logger ?? new Logger(MessagePublisher.name);
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  }

  /** Publishes an instance of a message class; returns its eventId. */
  async publish(message: object, envelope?: Partial<Envelope>): Promise<string> {
    const cls = messageClassOf(message);
    const data = JSON.stringify(message);
    // Refuse here what every consumer would refuse: a bad payload is a bug of this service, not a dead letter.
    const decoded = decodeMessage(cls.eventType, cls.schemaVersion, data);
    if (!decoded.ok) {
      throw new TypeError(`refusing to publish an invalid ${cls.eventType} v${cls.schemaVersion}: ${decoded.reason}`);
    }
    const full = buildEnvelope(
      { eventType: cls.eventType, schemaVersion: cls.schemaVersion, source: this.options.source },
      envelope,
      () => CorrelationContext.currentId(),
    );
    await this.publishRaw(full.eventType, full.schemaVersion, data, full);
    return full.eventId;
  }

  /**
   * Publishes data as is, with a complete envelope (e.g. an outbox record replaying its own). Only
   * `eventType` and `schemaVersion` given here override the envelope's.
   */
  async publishRaw(
    eventType: string,
    schemaVersion: string | number,
    data: Buffer | string,
    envelope: Envelope,
  ): Promise<string> {
    const attributes = envelopeToAttributes({ ...envelope, eventType, schemaVersion: String(schemaVersion) });
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      await this.topology.ensureTopic(eventType);
      try {
        await this.topicFor(eventType).publishMessage({ data: payload, attributes });
      } catch (error) {
        this.doubtTopology(eventType);
        if (!hasGrpcCode(error, GrpcStatus.NOT_FOUND)) throw error;
        // The topic vanished under us (an emulator restart forgets everything): recreate it and retry once.
        this.logger.warn(`topic ${eventType} not found; re-ensuring topology and retrying the publish once`);
        await this.topology.ensureTopic(eventType);
        await this.topicFor(eventType).publishMessage({ data: payload, attributes });
      }
    } catch (error) {
      this.options.metrics?.pubsubPublished.inc({ topic: eventType, outcome: 'failure' });
      this.logger.error(`publish of ${eventType} ${attributes.eventId} failed: ${errorMessage(error)}`);
      throw error;
    }
    this.options.metrics?.pubsubPublished.inc({ topic: eventType, outcome: 'success' });
    return attributes.eventId;
  }

  /**
   * After a failed publish, whatever this process knew about the topic is in doubt, so its next publish
   * provisions again (the topic and every subscription, each create idempotent) before it publishes.
   * Why: Pub/Sub delivers a message only to the subscriptions that exist when it is published. An
   * emulator restart forgets every topic and subscription, and whoever notices first (often a consumer
   * whose stream broke) recreates the topic a moment before its subscriptions: a publish that trusted
   * the old "ensured" landed in that moment and reached nobody. A publisher that was publishing during
   * the outage saw its publishes fail, so it does not trust it any more.
   */
  private doubtTopology(eventType: string): void {
    this.topology.forget(eventType);
    this.topics.delete(eventType);
  }

  /** Sends whatever the client still batches. */
  async flush(): Promise<void> {
    await Promise.all([...this.topics.values()].map((topic) => topic.flush()));
  }

  /** Flushes and forgets the topic objects; the PubSub client itself belongs to whoever created it. */
  async close(): Promise<void> {
    await this.flush();
    this.topics.clear();
  }

  /** One Topic object per topic: it owns the client-side batch queue. */
  private topicFor(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      // No retries inside the client: a publish it retried across an outage would skip the provisioning
      // that doubtTopology() asks for. The caller retries (the outbox relay, with backoff).
      topic = this.pubsub.topic(name, { gaxOpts: { timeout: this.publishTimeoutMs, retry: null } });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
