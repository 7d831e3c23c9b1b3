export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): doubles from `initialMs`, capped at `maxMs`.
 * No jitter: callers retry one thing each (a subscription, an outbox record), so there is no herd to spread.
 */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  // Cap the exponent too, so a very long outage cannot overflow to Infinity.
  return Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 30));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
