import { EventLanes } from './event-lanes';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('EventLanes', () => {
  it('batches the requests that wait while a batch runs, up to the maximum, in arrival order', async () => {
    const batches: number[][] = [];
    const lanes = new EventLanes<number, string>(async (_event, requests) => {
      batches.push(requests);
      await tick();
      return requests.map((r) => `done ${r}`);
    }, 3);
    const outcomes = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => lanes.submit('e1', n)));
    expect(outcomes).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `done ${n}`));
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
  });

  it('never runs two pieces of work of one event at once, but runs events side by side', async () => {
    let running = 0;
    let maxRunning = 0;
    const started: string[] = [];
    const lanes = new EventLanes<string, void>(async (event) => {
      started.push(event);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await tick();
      running -= 1;
      return [];
    }, 10);
    const job = lanes.run('e1', async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await tick();
      running -= 1;
      return 'job';
    });
    await Promise.all([lanes.submit('e1', 'a'), lanes.submit('e2', 'b'), job]);
    expect(await job).toBe('job');
    expect(maxRunning).toBe(2); // e1 and e2 together; never two of e1
    await lanes.idle();
    expect(lanes.depth).toBe(0);
  });

  it('fails every request of a failed batch, and keeps serving the lane', async () => {
    let calls = 0;
    const lanes = new EventLanes<number, number>(async (_e, requests) => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return requests;
    }, 5);
    await expect(lanes.submit('e', 1)).rejects.toThrow('boom');
    await expect(lanes.submit('e', 2)).resolves.toBe(2);
  });
});
