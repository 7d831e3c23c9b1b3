import { AnonymousReadCache } from './anonymous-read-cache';

describe('AnonymousReadCache', () => {
  let now: number;
  const cache = (maxEntries = 100) => new AnonymousReadCache<string>(1000, maxEntries, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('answers from memory until the TTL has passed since the read began', async () => {
    const c = cache();
    const read = jest.fn(async () => `read at ${now}`);
    expect(await c.get('k', read)).toBe('read at 0');
    now = 999;
    expect(await c.get('k', read)).toBe('read at 0');
    now = 1000;
    expect(await c.get('k', read)).toBe('read at 1000');
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('shares one read among concurrent misses', async () => {
    const c = cache();
    let finish!: (value: string) => void;
    const read = jest.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const answers = Promise.all([c.get('k', read), c.get('k', read), c.get('k', read)]);
    finish('shared');
    expect(await answers).toEqual(['shared', 'shared', 'shared']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('keeps no failure: the next reader asks again', async () => {
    const c = cache();
    await expect(c.get('k', async () => Promise.reject(new Error('EVENT_NOT_FOUND')))).rejects.toThrow();
    expect(await c.get('k', async () => 'published since')).toBe('published since');
  });

  it('forgets everything, reads in flight included, when cleared', async () => {
    const c = cache();
    let finish!: (value: string) => void;
    const before = c.get('k', () => new Promise<string>((resolve) => (finish = resolve)));
    c.clear(); // a change made through this gateway
    const after = c.get('k', async () => 'after the change');
    finish('before the change');
    expect(await before).toBe('before the change');
    expect(await after).toBe('after the change');
    expect(await c.get('k', async () => 'unexpected')).toBe('after the change');
  });

  it('holds at most maxEntries, dropping the one stored longest ago', async () => {
    const c = cache(2);
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    await c.get('c', async () => 'c');
    expect(await c.get('a', async () => 'a again')).toBe('a again');
    expect(await c.get('c', async () => 'c again')).toBe('c');
  });
});
