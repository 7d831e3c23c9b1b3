/** How subscriptions are provisioned. Defaults suit production; tests shorten the backoff. */
export interface TopologyOptions {
  /** Deliveries before Pub/Sub moves a message to the dead-letter topic. Pub/Sub allows 5..100. */
  readonly maxDeliveryAttempts?: number;
  /** Redelivery backoff after a nack (Pub/Sub allows 0..600 s). */
  readonly retryBackoff?: { readonly minimumMs: number; readonly maximumMs: number };
  readonly ackDeadlineSeconds?: number;
  /** Deadline of each admin call, so an unreachable Pub/Sub fails the ensure instead of hanging 10 min. */
  readonly adminTimeoutMs?: number;
}

export type ResolvedTopologyOptions = Required<TopologyOptions>;

export const DEFAULT_TOPOLOGY_OPTIONS: ResolvedTopologyOptions = {
  maxDeliveryAttempts: 5,
  retryBackoff: { minimumMs: 1_000, maximumMs: 10_000 },
  ackDeadlineSeconds: 30,
  adminTimeoutMs: 10_000,
};

export function resolveTopologyOptions(options: TopologyOptions = {}): ResolvedTopologyOptions {
  const resolved = { ...DEFAULT_TOPOLOGY_OPTIONS, ...stripUndefined(options) };
  const { maxDeliveryAttempts, retryBackoff } = resolved;
  if (!Number.isInteger(maxDeliveryAttempts) || maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100) {
    throw new RangeError(`maxDeliveryAttempts must be an integer in 5..100, got ${maxDeliveryAttempts}`);
  }
  if (
    retryBackoff.minimumMs < 0 ||
    retryBackoff.maximumMs > 600_000 ||
    retryBackoff.minimumMs > retryBackoff.maximumMs
  ) {
    throw new RangeError(`retryBackoff must satisfy 0 <= minimumMs <= maximumMs <= 600000`);
  }
  return resolved;
}

/** google.protobuf.Duration, as the admin API takes it. */
export function toProtoDuration(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
