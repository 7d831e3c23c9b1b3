export interface RetrySchedule {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** No retry waits longer than this. */
  readonly maxDelayMs: number;
  /** Retries stop this long after the first attempt (or the last redelivery). */
  readonly windowMs: number;
}

/**
 * Delay before retry number `retry` (1-based): `baseMs` doubling, capped at `maxDelayMs`, then
 * scaled into [75 %, 100 %] at random. The jitter spreads the retries of many deliveries that failed
 * together (a receiver's outage) so they do not all come back at once; it only ever shortens, so no
 * wait exceeds the cap, and since each uncapped step doubles, consecutive delays still grow.
 */
export function retryDelayMs(retry: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, retry - 1), 40);
  const capped = Math.min(schedule.maxDelayMs, schedule.baseMs * 2 ** exponent);
  return Math.round(capped * (0.75 + 0.25 * random()));
}

/**
 * When to try again after failed retry number `retry` at `failedAt` (epoch ms), or undefined when that
 * would fall outside the window that began at `windowStartedAt`: the delivery has failed.
 */
export function nextAttemptAt(
  retry: number,
  failedAt: number,
  windowStartedAt: number,
  schedule: RetrySchedule,
  random: () => number = Math.random,
): number | undefined {
  const next = failedAt + retryDelayMs(retry, schedule, random);
  return next <= windowStartedAt + schedule.windowMs ? next : undefined;
}
