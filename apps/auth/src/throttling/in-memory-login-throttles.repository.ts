import { LoginThrottlesRepository } from './login-throttles.repository';
import type { ThrottleWindow } from './throttle-window';

/** Unit-test fake with the adapter's semantics. */
export class InMemoryLoginThrottlesRepository extends LoginThrottlesRepository {
  private readonly windows = new Map<string, ThrottleWindow>();

  async find(id: string): Promise<ThrottleWindow | undefined> {
    const window = this.windows.get(id);
    return window && { ...window };
  }

  async update(id: string, change: (current: ThrottleWindow | undefined) => ThrottleWindow): Promise<void> {
    const current = this.windows.get(id);
    this.windows.set(id, { ...change(current && { ...current }) });
  }

  async delete(id: string): Promise<void> {
    this.windows.delete(id);
  }
}
