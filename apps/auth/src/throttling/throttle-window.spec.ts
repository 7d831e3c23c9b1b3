import { afterFailure, retryAfterSeconds } from './throttle-window';

const WINDOW = 900_000;
const t0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('throttle window arithmetic', () => {
  it('counts failures inside the window and starts a new one after it', () => {
    let window = afterFailure(undefined, t0, WINDOW);
    expect(window).toEqual({ failures: 1, windowStartedAt: t0.toISOString() });
    window = afterFailure(window, at(WINDOW - 1), WINDOW);
    expect(window.failures).toBe(2);
    expect(afterFailure(window, at(WINDOW), WINDOW)).toEqual({
      failures: 1,
      windowStartedAt: at(WINDOW).toISOString(),
    });
  });

  it('blocks at the limit until the window ends, rounding the wait up', () => {
    const window = { failures: 10, windowStartedAt: t0.toISOString() };
    expect(retryAfterSeconds(window, at(0), WINDOW, 10)).toBe(900);
    expect(retryAfterSeconds(window, at(WINDOW - 1500), WINDOW, 10)).toBe(2);
    expect(retryAfterSeconds(window, at(WINDOW), WINDOW, 10)).toBeUndefined();
    expect(retryAfterSeconds({ ...window, failures: 9 }, at(0), WINDOW, 10)).toBeUndefined();
    expect(retryAfterSeconds(undefined, at(0), WINDOW, 10)).toBeUndefined();
  });
});
