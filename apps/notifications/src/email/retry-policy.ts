export interface RetryPolicy {
  /** Delay before the first retry; it doubles per attempt up to maxDelayMs. */
  baseMs: number;
  maxDelayMs: number;
  /** Attempts in all (the first included) before a transient failure is recorded as final. */
  maxAttempts: number;
}

/**
 * Delay before retrying after failed attempt number `attempt` (1-based): exponential, capped, with
 * "equal jitter" — at least half the step, so a retry never comes at once, and the rest random, so
 * emails that failed together in an SMTP outage don't all come back at the same instant.
 */
export function retryDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  // The exponent is capped too, so a long outage cannot overflow to Infinity.
  const step = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt - 1), 30));
  return Math.round(step / 2 + (random() * step) / 2);
}
