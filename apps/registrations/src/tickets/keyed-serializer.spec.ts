import { KeyedSerializer } from './keyed-serializer';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedSerializer', () => {
  it('runs work of one key one at a time, in arrival order, even after a failure', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const gate = deferred();
    const first = serializer.run('k', async () => {
      log.push('first start');
      await gate.promise;
      log.push('first end');
      throw new Error('first failed');
    });
    const second = serializer.run('k', async () => {
      log.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('lets different keys run at the same time and forgets keys once idle', async () => {
    const serializer = new KeyedSerializer();
    const gate = deferred();
    const log: string[] = [];
    const a = serializer.run('a', async () => {
      await gate.promise;
      log.push('a');
    });
    await serializer.run('b', async () => log.push('b'));
    expect(log).toEqual(['b']);
    gate.resolve();
    await a;
    await new Promise((r) => setImmediate(r));
    expect(serializer.size).toBe(0);
  });
});
