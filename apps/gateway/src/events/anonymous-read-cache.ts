/**
 * What anonymous visitors read of public events (an event, a listing page), kept for `ttlMs` in this
 * gateway replica. Those reads are the hottest traffic and the same for everyone; each answer from
 * memory spares a gRPC call to events, its decoding and mapping (docs/benchmarks.md, read path).
 * Concurrent misses of one key share one call, and only successful answers are kept. A change made
 * through this replica clears it, so a client reads its own writes; otherwise an answer is at most
 * `ttlMs` older than what events served (events' own read cache bounds that, EVENTS_READ_CACHE_MS).
 * Signed-in readers are never served from here: they may see drafts and staff lists.
 */
export class AnonymousReadCache<V> {
  private readonly entries = new Map<string, { answer: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, read: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.answer;
    const answer = read();
    const stored = { answer, expiresAt: this.now() + this.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, stored);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    answer.catch(() => {
      if (this.entries.get(key) === stored) this.entries.delete(key);
    });
    return answer;
  }

  clear(): void {
    this.entries.clear();
  }
}
