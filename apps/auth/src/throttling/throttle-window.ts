/** Failed logins counted in a fixed window that starts at the first failure. */
export interface ThrottleWindow {
  failures: number;
  windowStartedAt: string;
}

function isOpen(window: ThrottleWindow, now: Date, windowMs: number): boolean {
  return now.getTime() < Date.parse(window.windowStartedAt) + windowMs;
}

/** The window after one more failure: counted in the open window, or the first of a new one. */
export function afterFailure(current: ThrottleWindow | undefined, now: Date, windowMs: number): ThrottleWindow {
  if (current && isOpen(current, now, windowMs)) return { ...current, failures: current.failures + 1 };
  return { failures: 1, windowStartedAt: now.toISOString() };
}

/** Seconds until another attempt is allowed, or undefined if one is allowed now. */
export function retryAfterSeconds(
  current: ThrottleWindow | undefined,
  now: Date,
  windowMs: number,
  maxFailures: number,
): number | undefined {
  if (!current || !isOpen(current, now, windowMs) || current.failures < maxFailures) return undefined;
  const endsAt = Date.parse(current.windowStartedAt) + windowMs;
  return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
}
