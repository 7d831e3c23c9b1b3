/**
 * Runs work for one key at a time, in arrival order, within this process. Concurrent Firestore
 * transactions on one document deadlock on the emulator and retry against each other in production
 * (FACTS.md), so a burst of scans of one ticket is queued here and each transaction meets a settled
 * document. Across processes the transaction alone keeps the result exact.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (0 when idle: finished keys are forgotten). */
  get size(): number {
    return this.tails.size;
  }
}
