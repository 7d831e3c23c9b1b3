import { DomainError } from '@convene/common';
import {
  chooseShard,
  confirmedOf,
  initialShards,
  MAX_SHARDS,
  resizeShards,
  shardCountFor,
  spread,
  type Shard,
} from './inventory-plan';

const total = (shards: Shard[]) => shards.reduce((sum, s) => sum + s.capacity, 0);

describe('inventory plan', () => {
  it('spreads a capacity over shards that differ by at most one seat', () => {
    expect(spread(10, 3)).toEqual([4, 3, 3]);
    expect(spread(0, 2)).toEqual([0, 0]);
    for (const capacity of [1, 49, 50, 51, 100, 500, 1_000_000]) {
      const shards = initialShards(capacity);
      expect(total(shards)).toBe(capacity);
      expect(shards).toHaveLength(shardCountFor(capacity));
      expect(shards.length).toBeLessThanOrEqual(MAX_SHARDS);
    }
  });

  it('keeps every seat given out when resizing, and spreads only the free seats', () => {
    const shards: Shard[] = [
      { index: 0, capacity: 50, taken: 50 },
      { index: 1, capacity: 50, taken: 10 },
    ];
    const smaller = resizeShards(shards, 70);
    expect(total(smaller)).toBe(70);
    expect(confirmedOf(smaller)).toBe(60);
    expect(smaller.every((s) => s.capacity >= s.taken)).toBe(true);

    const larger = resizeShards(shards, 500);
    expect(larger).toHaveLength(shardCountFor(500));
    expect(total(larger)).toBe(500);
    expect(larger[0]).toMatchObject({ taken: 50 });
  });

  it('refuses a capacity below the confirmed count, naming the count', () => {
    const shards: Shard[] = [{ index: 0, capacity: 10, taken: 8 }];
    expect(() => resizeShards(shards, 7)).toThrow(DomainError);
    try {
      resizeShards(shards, 7);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CAPACITY_BELOW_CONFIRMED', details: { confirmed: 8 } });
    }
    expect(total(resizeShards(shards, 8))).toBe(8);
  });

  it('prefers the process home shard, then the shard with the most free seats', () => {
    const shards: Shard[] = [
      { index: 0, capacity: 10, taken: 10 },
      { index: 1, capacity: 10, taken: 2 },
      { index: 2, capacity: 10, taken: 5 },
    ];
    expect(chooseShard(shards, 2)?.index).toBe(2);
    expect(chooseShard(shards, 0)?.index).toBe(1);
    expect(chooseShard(shards, 3)?.index).toBe(1); // home 3 wraps to shard 0, which is full
    expect(chooseShard([{ index: 0, capacity: 1, taken: 1 }], 0)).toBeUndefined();
  });
});
