import { nextAttemptAt, retryDelayMs, type RetrySchedule } from './webhook-retry-schedule';

const DAY = 86_400_000;
const production: RetrySchedule = { baseMs: 30_000, maxDelayMs: 3_600_000, windowMs: DAY };
const noJitter = () => 1;
const fullJitter = () => 0;

describe('webhook retry schedule', () => {
  it('doubles from the base up to the cap', () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1, production, noJitter));
    expect(delays).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('jitters down by at most a quarter, so no delay exceeds the cap and each step still grows', () => {
    for (let retry = 1; retry < 12; retry++) {
      const longest = retryDelayMs(retry, production, noJitter);
      const shortest = retryDelayMs(retry, production, fullJitter);
      expect(shortest).toBe(Math.round(longest * 0.75));
      const random = retryDelayMs(retry, production);
      expect(random).toBeGreaterThanOrEqual(shortest);
      expect(random).toBeLessThanOrEqual(longest);
      if (longest < production.maxDelayMs) {
        expect(retryDelayMs(retry + 1, production, fullJitter)).toBeGreaterThan(longest);
      }
    }
  });

  it('survives absurd retry numbers', () => {
    expect(retryDelayMs(10_000, production, noJitter)).toBe(production.maxDelayMs);
    expect(retryDelayMs(0, production, noJitter)).toBe(production.baseMs);
  });

  it('keeps retrying for the window after the first attempt, then gives up', () => {
    // Simulate a receiver that always fails, without jitter: count the attempts a day allows.
    const start = 0;
    let at = start;
    let attempts = 1;
    for (let retry = 1; ; retry++) {
      const next = nextAttemptAt(retry, at, start, production, noJitter);
      if (next === undefined) break;
      at = next;
      attempts++;
    }
    expect(at).toBeLessThanOrEqual(start + DAY);
    expect(at + production.maxDelayMs).toBeGreaterThan(start + DAY);
    // 8 attempts in the first ~64 minutes, then hourly for the rest of the day.
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(35);
  });

  it('measures the window from its start, not from the failure', () => {
    const schedule: RetrySchedule = { baseMs: 1000, maxDelayMs: 10_000, windowMs: 60_000 };
    expect(nextAttemptAt(1, 10_000, 0, schedule, noJitter)).toBe(11_000);
    expect(nextAttemptAt(4, 55_000, 0, schedule, noJitter)).toBe(undefined);
    expect(nextAttemptAt(4, 55_000, 50_000, schedule, noJitter)).toBe(63_000);
  });
});
