import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InboxStore, timestampToIso } from './inbox.store';
import type { StoredNotification } from './notification';
import { Timestamp } from '@google-cloud/firestore';

export type FeedListener = {
  next(notifications: StoredNotification[]): void;
  error(error: Error): void;
};

/** Re-anchor the listener this often, so what Firestore keeps for it stays a few minutes' worth. */
const RENEW_EVERY_MS = 60_000;
/** Look this far back when (re)starting: commit timestamps and this clock may differ a little. */
const MARGIN_MS = 5_000;

/**
 * Every notification this process should relay live, from ONE Firestore listener per process, handed
 * out in memory to the streams of their recipients. A listener per open stream would make Firestore
 * match every write against every listener (measured on the emulator: 20 listeners took a write
 * from 50 ms to 690 ms p50; docs/benchmarks.md, notification latency).
 *
 * The listener watches "stored after T". It runs while someone listens, and is replaced every
 * minute by one anchored at the newest notification seen (minus a margin), the two overlapping until
 * the new one's first snapshot arrived; ids seen in the overlap are not handed out twice. Each stream
 * still filters by its own position, so the overlap and the margin only ever repeat, never skip.
 */
@Injectable()
export class NotificationFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationFeed.name);
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private current?: { stop: () => void };
  private renewTimer?: NodeJS.Timeout;
  /** Ids handed out recently, with their createdAt, to drop repeats of the listeners' overlap. */
  private readonly recent = new Map<string, string>();
  private newest?: string;

  constructor(private readonly inbox: InboxStore) {}

  /** Hands `listener` every notification of `recipientId` stored from now on; returns the unsubscribe. */
  subscribe(recipientId: string, listener: FeedListener): () => void {
    let set = this.listeners.get(recipientId);
    if (!set) this.listeners.set(recipientId, (set = new Set()));
    set.add(listener);
    if (!this.current) this.listen();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(recipientId);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private listen(): void {
    const since = this.anchor();
    let replaced: { stop: () => void } | undefined = this.current;
    let first = true;
    const stop = this.inbox.watchAll(
      since,
      (notifications) => {
        if (first) {
          first = false;
          // The new listener is live: the one it replaces can go.
          replaced?.stop();
          replaced = undefined;
        }
        this.handOut(notifications);
      },
      (error) => this.fail(error),
    );
    this.current = { stop };
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => this.listen(), RENEW_EVERY_MS);
    this.renewTimer.unref();
  }

  private anchor(): string {
    const base = this.newest ? Date.parse(this.newest) : Timestamp.now().toMillis();
    return timestampToIso(Timestamp.fromMillis(base - MARGIN_MS));
  }

  private handOut(notifications: StoredNotification[]): void {
    const byRecipient = new Map<string, StoredNotification[]>();
    for (const notification of notifications) {
      if (this.recent.has(notification.id)) continue;
      this.recent.set(notification.id, notification.createdAt);
      if (!this.newest || notification.createdAt > this.newest) this.newest = notification.createdAt;
      if (!this.listeners.has(notification.recipientId)) continue;
      byRecipient.set(notification.recipientId, [...(byRecipient.get(notification.recipientId) ?? []), notification]);
    }
    this.forgetOld();
    for (const [recipientId, batch] of byRecipient) {
      for (const listener of this.listeners.get(recipientId) ?? []) listener.next(batch);
    }
  }

  /** Ids older than the current anchor can no longer come back from a listener. */
  private forgetOld(): void {
    if (!this.newest || this.recent.size < 10_000) return;
    const cutoff = new Date(Date.parse(this.newest) - RENEW_EVERY_MS - 2 * MARGIN_MS).toISOString();
    for (const [id, createdAt] of this.recent) if (createdAt < cutoff) this.recent.delete(id);
  }

  private fail(error: Error): void {
    this.logger.warn({
      message: 'notification feed failed; open streams end and clients resume',
      error: error.message,
    });
    const everyone = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    this.stop();
    for (const listener of everyone) listener.error(error);
  }

  private stop(): void {
    clearTimeout(this.renewTimer);
    this.current?.stop();
    this.current = undefined;
  }
}
