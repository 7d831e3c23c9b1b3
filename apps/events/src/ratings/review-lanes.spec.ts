import { ReviewLanes } from './review-lanes';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ReviewLanes', () => {
  it('runs one review’s jobs one after another, in arrival order, and other reviews’ alongside', async () => {
    const lanes = new ReviewLanes();
    const started: string[] = [];
    const first = deferred();
    const job = (name: string, gate?: Promise<void>) => async () => {
      started.push(name);
      await gate;
      return name;
    };
    const a1 = lanes.run('a', job('a1', first.promise));
    const a2 = lanes.run('a', job('a2'));
    const b1 = lanes.run('b', job('b1'));
    await b1;
    expect(started).toEqual(['a1', 'b1']); // a2 waits for a1, b1 did not
    first.resolve();
    expect(await Promise.all([a1, a2])).toEqual(['a1', 'a2']);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('goes on after a failed job and forgets reviews with nothing left to run', async () => {
    const lanes = new ReviewLanes();
    const failing = deferred();
    const failed = lanes.run('a', () => failing.promise);
    const next = lanes.run('a', async () => 'next');
    failing.reject(new Error('contention'));
    await expect(failed).rejects.toThrow('contention');
    expect(await next).toBe('next');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lanes.size).toBe(0);
  });
});
