import { resolveTopologyOptions, toProtoDuration } from './topology-options';

describe('resolveTopologyOptions', () => {
  it('defaults to 5 attempts and a 1 s to 10 s redelivery backoff', () => {
    expect(resolveTopologyOptions({ maxDeliveryAttempts: undefined })).toMatchObject({
      maxDeliveryAttempts: 5,
      retryBackoff: { minimumMs: 1000, maximumMs: 10_000 },
    });
  });

  it('refuses what Pub/Sub would refuse', () => {
    expect(() => resolveTopologyOptions({ maxDeliveryAttempts: 4 })).toThrow(/5\.\.100/);
    expect(() => resolveTopologyOptions({ retryBackoff: { minimumMs: 2000, maximumMs: 1000 } })).toThrow(RangeError);
  });
});

describe('toProtoDuration', () => {
  it('splits milliseconds into seconds and nanos', () => {
    expect(toProtoDuration(1500)).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(toProtoDuration(100)).toEqual({ seconds: 0, nanos: 100_000_000 });
  });
});
