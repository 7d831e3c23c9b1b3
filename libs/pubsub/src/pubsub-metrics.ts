/**
 * The counters this library increments. `Metrics` from @convene/common satisfies it structurally; plain
 * classes take it as an optional option so they run (and are tested) without the metrics registry.
 */
export interface PubSubMetrics {
  readonly pubsubPublished: { inc(labels: { topic: string; outcome: 'success' | 'failure' }): void };
  readonly pubsubConsumed: { inc(labels: { subscription: string; outcome: 'ack' | 'nack' }): void };
  readonly pubsubDeadLettered: { inc(labels: { subscription: string }): void };
}
