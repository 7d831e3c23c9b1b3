/**
 * Runs the work on one review one piece at a time in this process (others run side by side). Two
 * deliveries of one review at once (a redelivery, or its next version close behind) would otherwise
 * read-then-write the same projection document in concurrent transactions, which the Firestore
 * emulator deadlocks until its ~2.8 s lock timeout and production makes retry. Across replicas the
 * transaction (retried on contention) still decides.
 */
export class ReviewLanes {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(job);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Reviews with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
