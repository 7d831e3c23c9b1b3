import type { ThrottleWindow } from './throttle-window';

/** Failure counters by opaque key id. No business rules: the service does the window arithmetic. */
export abstract class LoginThrottlesRepository {
  abstract find(id: string): Promise<ThrottleWindow | undefined>;
  /** Reads the counter and stores what `change` makes of it, atomically. */
  abstract update(id: string, change: (current: ThrottleWindow | undefined) => ThrottleWindow): Promise<void>;
  abstract delete(id: string): Promise<void>;
}
