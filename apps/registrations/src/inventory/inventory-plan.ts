import { DomainError } from '@convene/common';

/**
 * An event's seats, split over shards so that several processes can sell the same event without
 * writing the same document: `inventory/{eventId}/shards/{index}` holds `capacity` (seats allotted to
 * the shard) and `taken`. The sum of `taken` is the confirmed count; the sum of `capacity` is the
 * event's capacity. A registration takes a seat from one shard, in the transaction that creates it.
 */
export interface Shard {
  readonly index: number;
  readonly capacity: number;
  readonly taken: number;
}

/** Seats per shard before another shard is added, and the most shards an event gets. */
export const SEATS_PER_SHARD = 50;
export const MAX_SHARDS = 16;

export function shardCountFor(capacity: number): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(capacity / SEATS_PER_SHARD)));
}

export function confirmedOf(shards: readonly Shard[]): number {
  return shards.reduce((sum, shard) => sum + shard.taken, 0);
}

export function freeOf(shard: Shard): number {
  return shard.capacity - shard.taken;
}

/** A new event's shards: the capacity spread as evenly as possible, nothing taken. */
export function initialShards(capacity: number): Shard[] {
  return spread(capacity, shardCountFor(capacity)).map((seats, index) => ({ index, capacity: seats, taken: 0 }));
}

/**
 * The shards after a capacity change: every shard keeps the seats it has given out, and the free seats
 * of the new capacity are spread evenly (shards are added when the capacity grows, never removed).
 * Refused when the new capacity is below the confirmed count: seats already given are never taken back.
 */
export function resizeShards(shards: readonly Shard[], capacity: number): Shard[] {
  const confirmed = confirmedOf(shards);
  if (capacity < confirmed) {
    throw new DomainError(
      'CAPACITY_BELOW_CONFIRMED',
      `capacity ${capacity} is below the ${confirmed} confirmed registrations; cancel some first`,
      { confirmed },
    );
  }
  const count = Math.max(shards.length, shardCountFor(capacity));
  const current = Array.from({ length: count }, (_, index) => shards.find((s) => s.index === index));
  const free = spread(capacity - confirmed, count);
  return current.map((shard, index) => {
    const taken = shard?.taken ?? 0;
    return { index, capacity: taken + free[index], taken };
  });
}

/** `total` split into `parts` integers that differ by at most one, larger first. */
export function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Which shard to take seats from: the process's own shard while it has seats (so two processes selling
 * the same event rarely touch the same document), otherwise the shard with the most free seats.
 */
export function chooseShard(shards: readonly Shard[], home: number): Shard | undefined {
  const own = shards.find((s) => s.index === home % Math.max(1, shards.length));
  if (own && freeOf(own) > 0) return own;
  return shards.filter((s) => freeOf(s) > 0).sort((a, b) => freeOf(b) - freeOf(a) || a.index - b.index)[0];
}
