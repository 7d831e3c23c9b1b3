import { ReadThroughCache } from './read-through-cache';

/** A load the test finishes by hand, counting how often it was started. */
function controllableLoad<V>() {
  const started: Array<{ resolve: (value: V | undefined) => void; reject: (error: Error) => void }> = [];
  const load = jest.fn(
    () =>
      new Promise<V | undefined>((resolve, reject) => {
        started.push({ resolve, reject });
      }),
  );
  return { load, started };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadThroughCache', () => {
  let now: number;
  let refreshErrors: unknown[];
  const cache = (ttlMs = 2000, maxEntries = 100) =>
    new ReadThroughCache<string>({
      ttlMs,
      maxEntries,
      now: () => now,
      onRefreshError: (_key, error) => refreshErrors.push(error),
    });

  beforeEach(() => {
    now = 0;
    refreshErrors = [];
  });

  it('serves a value from memory for the first half of its TTL without loading again', async () => {
    const c = cache();
    const load = jest.fn(async () => 'v1');
    expect(await c.get('k', load)).toBe('v1');
    now = 999;
    expect(await c.get('k', load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('answers from memory after half its TTL while one refresh runs in the background', async () => {
    const c = cache();
    await c.get('k', async () => 'v1');
    const { load, started } = controllableLoad<string>();
    now = 1000;
    expect(await c.get('k', load)).toBe('v1');
    expect(await c.get('k', load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1); // one refresh, however many readers
    started[0].resolve('v2');
    await settle();
    expect(await c.get('k', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('never serves a value once its TTL has passed since it was read: the reader waits for a load', async () => {
    const c = cache();
    await c.get('k', async () => 'v1');
    now = 2000;
    const { load, started } = controllableLoad<string>();
    const read = c.get('k', load);
    started[0].resolve('v2');
    expect(await read).toBe('v2');
  });

  it('counts the age from when the load began, not when it ended', async () => {
    const c = cache();
    const { load, started } = controllableLoad<string>();
    const read = c.get('k', load);
    now = 1500; // a slow read
    started[0].resolve('v1');
    await read;
    now = 2000;
    const again = jest.fn(async () => 'v2');
    expect(await c.get('k', again)).toBe('v2');
  });

  it('shares one load among concurrent misses of a key', async () => {
    const c = cache();
    const { load, started } = controllableLoad<string>();
    const reads = [c.get('k', load), c.get('k', load), c.get('k', load)];
    expect(load).toHaveBeenCalledTimes(1);
    started[0].resolve('v1');
    expect(await Promise.all(reads)).toEqual(['v1', 'v1', 'v1']);
  });

  it('neither stores nor shares a load that was running when the key was invalidated', async () => {
    const c = cache();
    const { load, started } = controllableLoad<string>();
    const before = c.get('k', load);
    c.delete('k'); // this replica changed it meanwhile
    const after = c.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    started[0].resolve('old');
    started[1].resolve('new');
    expect(await before).toBe('old');
    expect(await after).toBe('new');
    expect(await c.get('k', async () => 'unexpected')).toBe('new');

    const page = c.get('p', load);
    c.clear();
    started[2].resolve('old page');
    await page;
    expect(await c.get('p', async () => 'new page')).toBe('new page');
  });

  it('keeps neither a missing value nor one `keep` refuses', async () => {
    const c = cache();
    expect(await c.get('missing', async () => undefined)).toBeUndefined();
    expect(await c.get('missing', async () => 'found')).toBe('found');
    await c.get(
      'draft',
      async () => 'draft v1',
      () => false,
    );
    expect(
      await c.get(
        'draft',
        async () => 'draft v2',
        () => false,
      ),
    ).toBe('draft v2');
  });

  it('reports a failed background refresh and serves the value until its TTL', async () => {
    const c = cache();
    await c.get('k', async () => 'v1');
    now = 1500;
    expect(await c.get('k', async () => Promise.reject(new Error('Firestore unavailable')))).toBe('v1');
    await settle();
    expect(refreshErrors).toEqual([new Error('Firestore unavailable')]);
    now = 1999;
    expect(await c.get('k', async () => 'v2')).toBe('v1'); // refreshed again in the background
    await settle();
    expect(await c.get('k', async () => 'v3')).toBe('v2');
  });

  it('hands a failed load to the readers waiting for it, and loads again next time', async () => {
    const c = cache();
    await expect(c.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await c.get('k', async () => 'v1')).toBe('v1');
  });

  it('loads every time when disabled (TTL 0)', async () => {
    const c = cache(0);
    const load = jest.fn(async () => 'v');
    await c.get('k', load);
    await c.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops the entry stored longest ago beyond its size', async () => {
    const c = cache(2000, 2);
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    await c.get('c', async () => 'c');
    expect(await c.get('a', async () => 'a again')).toBe('a again');
    expect(await c.get('c', async () => 'c again')).toBe('c');
  });
});
