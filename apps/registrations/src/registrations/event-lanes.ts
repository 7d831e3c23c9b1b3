/**
 * One lane per event: the work this process does on an event's inventory runs one piece at a time, in
 * arrival order. Registrations waiting in a lane are taken together and committed in one transaction
 * (a batch); other work (a cancellation, a resize, a promotion sweep) runs alone.
 *
 * Why: Firestore takes about one sustained write per second per document and the emulator deadlocks
 * concurrent read-then-write transactions on one document (FACTS.md). Serializing inside the process
 * removes contention between this process's own transactions, and batching turns a crowd of N
 * requests into N / batch transactions. Several processes still sell the same event, each from its
 * own inventory shard (see inventory-plan.ts).
 */
export class EventLanes<R, O> {
  private readonly lanes = new Map<string, Lane<R, O>>();

  constructor(
    private readonly processBatch: (eventId: string, requests: R[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  /** Queues a registration request; resolves with its outcome once its batch committed. */
  submit(eventId: string, request: R): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.lane(eventId).queue.push({ kind: 'batchable', request, resolve, reject });
      this.pump(eventId);
    });
  }

  /** Runs `job` alone in the event's lane, after everything queued before it. */
  run<T>(eventId: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.lane(eventId).queue.push({
        kind: 'job',
        job: job as () => Promise<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.pump(eventId);
    });
  }

  /** How many requests and jobs wait or run, across all events (a gauge). */
  get depth(): number {
    let depth = 0;
    for (const lane of this.lanes.values()) depth += lane.queue.length + (lane.busy ? 1 : 0);
    return depth;
  }

  /** Resolves when every lane is empty (shutdown drain). */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private lane(eventId: string): Lane<R, O> {
    let lane = this.lanes.get(eventId);
    if (!lane) {
      lane = { queue: [], busy: false };
      this.lanes.set(eventId, lane);
    }
    return lane;
  }

  private pump(eventId: string): void {
    const lane = this.lanes.get(eventId);
    if (!lane || lane.busy) return;
    const head = lane.queue[0];
    if (!head) {
      this.lanes.delete(eventId);
      return;
    }
    lane.busy = true;
    const done = () => {
      lane.busy = false;
      this.pump(eventId);
    };
    if (head.kind === 'job') {
      lane.queue.shift();
      head.job().then(head.resolve, head.reject).finally(done);
      return;
    }
    const batch: Batchable<R, O>[] = [];
    while (batch.length < this.maxBatch && lane.queue[0]?.kind === 'batchable') {
      batch.push(lane.queue.shift() as Batchable<R, O>);
    }
    this.processBatch(
      eventId,
      batch.map((item) => item.request),
    )
      .then((outcomes) => batch.forEach((item, i) => item.resolve(outcomes[i])))
      .catch((error: unknown) => batch.forEach((item) => item.reject(error)))
      .finally(done);
  }
}

interface Batchable<R, O> {
  kind: 'batchable';
  request: R;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

interface Job {
  kind: 'job';
  job: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Lane<R, O> {
  queue: (Batchable<R, O> | Job)[];
  busy: boolean;
}
