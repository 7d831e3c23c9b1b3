import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ReadinessIndicator } from './readiness-indicator';

export interface ReadinessCheck {
  status: 'up' | 'down';
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

/** Collects the readiness indicators modules register and answers the readiness probe. */
@Injectable()
export class HealthRegistry implements OnModuleDestroy {
  private readonly indicators = new Map<string, ReadinessIndicator>();
  private shuttingDown = false;

  register(indicator: ReadinessIndicator): void {
    this.indicators.set(indicator.name, indicator);
  }

  /** From now on not ready: Kubernetes stops routing here while in-flight work drains. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  // Fallback for a close that did not come through a signal (createHttpApp flips it earlier).
  onModuleDestroy(): void {
    this.markShuttingDown();
  }

  /** Runs every check concurrently, each bounded by the timeout: a hung dependency is "down", not a hung probe. */
  async check(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.indicators.values()].map(
        async (indicator) => [indicator.name, await runBounded(indicator, timeoutMs)] as const,
      ),
    );
    const checks: Record<string, ReadinessCheck> = Object.fromEntries(entries);
    if (this.shuttingDown) checks.shutdown = { status: 'down', error: 'shutting down' };
    const ready = Object.values(checks).every((check) => check.status === 'up');
    return { ready, checks };
  }
}

async function runBounded(indicator: ReadinessIndicator, timeoutMs: number): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // `Promise.resolve().then` so a check that throws synchronously is "down" too.
    await Promise.race([Promise.resolve().then(() => indicator.check()), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
