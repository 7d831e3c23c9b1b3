export interface ReadThroughCacheOptions {
  /** How long after it was read a value may still be served (ms; 0 disables the cache). */
  ttlMs: number;
  /** Most entries kept; the least recently stored goes first. */
  maxEntries: number;
  now: () => number;
  /** A refresh made in the background failed (the entry is then served until its TTL, and loaded again after). */
  onRefreshError?: (key: string, error: unknown) => void;
}

interface Entry<V> {
  value: V;
  /** When the load that produced it started: the value is at least this fresh. */
  readAt: number;
}

/**
 * An in-process read-through cache for hot reads that tolerate `ttlMs` of staleness. A value is never
 * served more than `ttlMs` after the read that produced it began. Once it is half that old, the next
 * request for it starts one refresh in the background and is still answered from memory, so under
 * steady traffic no request waits for storage. Concurrent misses of one key share a single load (no
 * stampede when a popular entry expires). Each replica has its own: another replica's change shows
 * within `ttlMs`; this replica's own changes `delete`/`clear` at once, and a load that was running
 * when they did is neither stored nor shared afterwards.
 */
export class ReadThroughCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V | undefined>>();
  /** Bumped by every invalidation, so a load that started before one does not store its older value. */
  private generation = 0;

  constructor(private readonly options: ReadThroughCacheOptions) {}

  /**
   * The key's value: from memory if read less than `ttlMs` ago, else from `load` (shared with concurrent
   * callers). A loaded value is kept only if `keep` allows it; undefined (not found) is never kept.
   */
  async get(key: string, load: () => Promise<V | undefined>, keep: (value: V) => boolean = () => true) {
    if (this.options.ttlMs <= 0) return load();
    const entry = this.entries.get(key);
    const age = entry ? this.options.now() - entry.readAt : Infinity;
    if (entry && age < this.options.ttlMs) {
      if (age >= this.options.ttlMs / 2 && !this.loading.has(key)) {
        this.load(key, load, keep).catch((error: unknown) => this.options.onRefreshError?.(key, error));
      }
      return entry.value;
    }
    if (entry) this.entries.delete(key);
    return this.load(key, load, keep);
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  private load(key: string, load: () => Promise<V | undefined>, keep: (value: V) => boolean) {
    const running = this.loading.get(key);
    if (running) return running;
    const generation = this.generation;
    const readAt = this.options.now();
    const loaded = load().then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (generation === this.generation) {
          if (value !== undefined && keep(value)) this.store(key, { value, readAt });
          else this.entries.delete(key);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  private store(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
