import { HealthRegistry } from './health.registry';

describe('HealthRegistry', () => {
  it('is ready when every check passes', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'firestore', check: async () => undefined });
    expect(await registry.check()).toEqual({ ready: true, checks: { firestore: { status: 'up' } } });
  });

  it('reports a hanging check as down within the timeout, running checks concurrently', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'firestore', check: () => new Promise<void>(() => undefined) });
    registry.register({ name: 'pubsub', check: () => new Promise<void>(() => undefined) });
    registry.register({ name: 'cache', check: async () => undefined });

    const started = Date.now();
    const report = await registry.check(100);
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(1000); // two 100 ms timeouts, not a hang and not in sequence
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      firestore: { status: 'down', error: 'no answer within 100 ms' },
      pubsub: { status: 'down', error: 'no answer within 100 ms' },
      cache: { status: 'up' },
    });
  });

  it('reports failing checks with their error, including synchronous throws', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'pubsub', check: () => Promise.reject(new Error('NOT_FOUND: topic')) });
    registry.register({
      name: 'sync',
      check: () => {
        throw new Error('thrown');
      },
    });
    const report = await registry.check();
    expect(report.ready).toBe(false);
    expect(report.checks.pubsub).toEqual({ status: 'down', error: 'NOT_FOUND: topic' });
    expect(report.checks.sync).toEqual({ status: 'down', error: 'thrown' });
  });

  it('is not ready once shutting down', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'firestore', check: async () => undefined });
    registry.markShuttingDown();
    const report = await registry.check();
    expect(report.ready).toBe(false);
    expect(report.checks.shutdown).toEqual({ status: 'down', error: 'shutting down' });
  });
});
