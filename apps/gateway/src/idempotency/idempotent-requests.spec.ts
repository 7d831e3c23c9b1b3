import { Logger } from '@nestjs/common';
import { Clock, DomainError, Metrics } from '@convene/common';
import { idempotencyRecordId } from './idempotency-key';
import type { StoredResponse } from './idempotency.store';
import { IdempotentRequests, type IdempotentRequest } from './idempotent-requests';
import { InMemoryIdempotencyStore } from './in-memory-idempotency.store';

class TestClock extends Clock {
  constructor(private current = Date.parse('2031-01-01T00:00:00.000Z')) {
    super();
  }
  override now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const created: StoredResponse = {
  statusCode: 201,
  contentType: 'application/json; charset=utf-8',
  location: '/v1/registrations/r1',
  body: '{"id":"r1"}',
};

const request: IdempotentRequest = { userId: 'user-1', key: 'key-1', fingerprint: 'fp-1' };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('IdempotentRequests', () => {
  let store: InMemoryIdempotencyStore;
  let clock: TestClock;
  let metrics: Metrics;
  let requests: IdempotentRequests;
  let runs: number;
  let warned: jest.SpyInstance;
  let logged: jest.SpyInstance;

  const run =
    (response = created) =>
    async (): Promise<StoredResponse> => {
      runs += 1;
      return response;
    };

  beforeEach(() => {
    store = new InMemoryIdempotencyStore();
    clock = new TestClock();
    metrics = new Metrics({ service: 'gateway' });
    requests = new IdempotentRequests(store, metrics, clock, { lockMs: 30_000, waitMs: 300, retentionMs: 86_400_000 });
    runs = 0;
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  async function replayCount(): Promise<number> {
    const metric = await metrics.registry.getSingleMetric('convene_idempotency_replays_total')!.get();
    return metric.values[0]?.value ?? 0;
  }

  it('runs the first request, stores its response and replays it to a retry without running again', async () => {
    expect(await requests.execute(request, run())).toEqual({ response: created, replayed: false });
    expect(await requests.execute(request, run({ ...created, body: '{"id":"r2"}' }))).toEqual({
      response: created,
      replayed: true,
    });
    expect(runs).toBe(1);
    expect(await replayCount()).toBe(1);

    const record = await store.find(idempotencyRecordId('user-1', 'key-1'));
    expect(record).toMatchObject({
      state: 'completed',
      userId: 'user-1',
      fingerprint: 'fp-1',
      createdAt: '2031-01-01T00:00:00.000Z',
      lockedUntil: '2031-01-01T00:00:30.000Z',
      expiresAt: '2031-01-02T00:00:00.000Z',
      response: created,
    });
  });

  it('refuses the same key with another request (422) and leaves the stored response alone', async () => {
    await requests.execute(request, run());
    const error = await failure(requests.execute({ ...request, fingerprint: 'fp-other' }, run()));
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(runs).toBe(1);
    expect(await requests.execute(request, run())).toEqual({ response: created, replayed: true });
  });

  it('keeps keys apart per user', async () => {
    await requests.execute(request, run());
    expect(await requests.execute({ ...request, userId: 'user-2', fingerprint: 'fp-2' }, run())).toMatchObject({
      replayed: false,
    });
    expect(runs).toBe(2);
  });

  it('stores nothing when the run throws (a 5xx), so a retry runs again', async () => {
    const unavailable = new DomainError('SERVICE_UNAVAILABLE', 'registrations is down');
    await expect(
      requests.execute(request, async () => {
        runs += 1;
        throw unavailable;
      }),
    ).rejects.toBe(unavailable);
    expect(await store.find(idempotencyRecordId('user-1', 'key-1'))).toBeUndefined();

    expect(await requests.execute(request, run())).toEqual({ response: created, replayed: false });
    expect(runs).toBe(2);
  });

  it('makes a concurrent duplicate wait for the first response, then replays it', async () => {
    const slow = async (): Promise<StoredResponse> => {
      runs += 1;
      await delay(50);
      return created;
    };
    const outcomes = await Promise.all([requests.execute(request, slow), requests.execute(request, slow)]);
    expect(runs).toBe(1);
    expect(outcomes.map((outcome) => outcome.response)).toEqual([created, created]);
    expect(outcomes.map((outcome) => outcome.replayed).sort()).toEqual([false, true]);
  });

  it('answers 409 when the first request is still running after the wait, and runs nothing', async () => {
    let finish = (): void => undefined;
    const first = requests.execute(request, async () => {
      runs += 1;
      await new Promise<void>((resolve) => (finish = resolve));
      return created;
    });
    await delay(5);
    const error = await failure(requests.execute(request, run()));
    expect(error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(runs).toBe(1);
    finish();
    await first;
  });

  it('lets the next request take over a key whose holder died (lock expired), and the late holder cannot overwrite it', async () => {
    // A process took the key and died: its record stays in progress.
    let dieLater = (): void => undefined;
    const dead = requests.execute(request, async () => {
      await new Promise<void>((resolve) => (dieLater = resolve));
      return { ...created, body: '{"id":"late"}' };
    });
    await delay(5);
    clock.advance(30_001);

    expect(await requests.execute(request, run())).toEqual({ response: created, replayed: false });
    expect(runs).toBe(1);

    // Were the first holder alive after all, its completion does not replace the stored response.
    dieLater();
    await dead;
    expect(await requests.execute(request, run())).toEqual({ response: created, replayed: true });
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('was taken over before its response was stored'));
  });

  it('does not take over an expired lock held for another request (422)', async () => {
    await store.create(idempotencyRecordId('user-1', 'key-1'), {
      userId: 'user-1',
      fingerprint: 'fp-other',
      createdAt: clock.now().toISOString(),
      lockedUntil: new Date(clock.now().getTime() - 1).toISOString(),
      expiresAt: new Date(clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect((await failure(requests.execute(request, run()))).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(runs).toBe(0);
  });

  it('forgets a key once its record expired (before the TTL policy deletes it)', async () => {
    await requests.execute(request, run());
    clock.advance(86_400_000);
    expect(await requests.execute({ ...request, fingerprint: 'fp-new' }, run())).toMatchObject({ replayed: false });
    expect(runs).toBe(2);
  });

  it('answers 503 when the store is unreachable, without running the request', async () => {
    jest.spyOn(store, 'create').mockRejectedValue(new Error('14 UNAVAILABLE: no connection'));
    const error = await failure(requests.execute(request, run()));
    expect(logged).toHaveBeenCalled();
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).not.toContain('no connection');
    expect(runs).toBe(0);
  });
});
