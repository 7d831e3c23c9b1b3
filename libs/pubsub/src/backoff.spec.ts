import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 10_000 };

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options))).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped, even after a very long outage', () => {
    expect(backoffDelay(6, options)).toBe(10_000);
    expect(backoffDelay(10_000, options)).toBe(10_000);
  });

  it('treats attempt 0 like the first', () => {
    expect(backoffDelay(0, options)).toBe(500);
  });
});
