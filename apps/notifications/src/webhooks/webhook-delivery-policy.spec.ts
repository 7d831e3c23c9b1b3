import { applyAttemptOutcomes, type AttemptOutcome, type DeliveryPolicy } from './webhook-delivery-policy';
import { MAX_KEPT_ATTEMPTS, type WebhookDelivery, type WebhookEndpoint } from './webhook';

const policy: DeliveryPolicy = {
  retry: { baseMs: 1000, maxDelayMs: 8000, windowMs: 60_000 },
  disableAfterFailures: 3,
};
const noJitter = () => 1;
const t0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms);

function endpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: 'ep',
    ownerId: 'owner',
    url: 'https://example.com/hook',
    eventTypes: ['registration.confirmed'],
    description: '',
    secret: 'whsec_x',
    status: 'active',
    consecutiveFailures: 0,
    createdAt: at(0).toISOString(),
    updatedAt: at(0).toISOString(),
    ...overrides,
  };
}

function delivery(id: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id,
    endpointId: 'ep',
    ownerId: 'owner',
    eventType: 'registration.confirmed',
    eventId: `event-${id}`,
    payload: '{}',
    status: 'pending',
    attempts: [],
    attemptCount: 0,
    retryCount: 0,
    nextAttemptAt: at(0).toISOString(),
    createdAt: at(0).toISOString(),
    ...overrides,
  };
}

const failure = (deliveryId: string, ms: number, statusCode = 500): AttemptOutcome => ({
  deliveryId,
  attempt: { at: at(ms).toISOString(), statusCode, durationMs: 5 },
  succeeded: false,
});
const success = (deliveryId: string, ms: number): AttemptOutcome => ({
  deliveryId,
  attempt: { at: at(ms).toISOString(), statusCode: 204, durationMs: 5 },
  succeeded: true,
});

describe('applyAttemptOutcomes', () => {
  it('ends a delivery on success and resets the endpoint’s failure streak', () => {
    const applied = applyAttemptOutcomes(
      endpoint({ consecutiveFailures: 2 }),
      [delivery('a', { retryCount: 2 })],
      [success('a', 10)],
      policy,
      at(20),
      noJitter,
    );
    expect(applied.deliveries[0]).toMatchObject({ status: 'succeeded', attemptCount: 1, retryCount: 0 });
    expect(applied.deliveries[0].nextAttemptAt).toBeUndefined();
    expect(applied.deliveries[0].firstAttemptAt).toBe(at(10).toISOString());
    expect(applied.endpoint.consecutiveFailures).toBe(0);
    expect(applied).toMatchObject({ endpointChanged: true, disabled: false });
  });

  it('schedules a failed delivery’s retry on the backoff, counted from the failure', () => {
    const first = applyAttemptOutcomes(endpoint(), [delivery('a')], [failure('a', 0)], policy, at(100), noJitter);
    expect(first.deliveries[0]).toMatchObject({ status: 'pending', retryCount: 1 });
    expect(first.deliveries[0].nextAttemptAt).toBe(at(1100).toISOString());
    const second = applyAttemptOutcomes(
      first.endpoint,
      first.deliveries,
      [failure('a', 1100)],
      policy,
      at(1200),
      noJitter,
    );
    expect(second.deliveries[0].nextAttemptAt).toBe(at(3200).toISOString());
    expect(second.endpoint.consecutiveFailures).toBe(2);
  });

  it('disables the endpoint after N failures in a row across deliveries and stops the rest', () => {
    const applied = applyAttemptOutcomes(
      endpoint({ consecutiveFailures: 1 }),
      [delivery('a'), delivery('b'), delivery('c')],
      [failure('a', 0), failure('b', 1)],
      policy,
      at(10),
      noJitter,
    );
    expect(applied.disabled).toBe(true);
    expect(applied.endpoint).toMatchObject({
      status: 'disabled',
      disabledReason: '3 failed attempts in a row',
      disabledAt: at(10).toISOString(),
      disableNoticePending: true,
    });
    expect(applied.deliveries.map((d) => [d.id, d.status])).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
      ['c', 'failed'],
    ]);
    expect(applied.deliveries.find((d) => d.id === 'c')?.attempts).toEqual([]);
  });

  it('fails a delivery whose next retry falls outside the window, and disables the endpoint', () => {
    const late = delivery('a', { firstAttemptAt: at(0).toISOString(), retryCount: 5, attemptCount: 6 });
    const applied = applyAttemptOutcomes(endpoint(), [late], [failure('a', 59_000)], policy, at(59_000), noJitter);
    expect(applied.deliveries[0]).toMatchObject({ status: 'failed', attemptCount: 7 });
    expect(applied.disabled).toBe(true);
    expect(applied.endpoint.disabledReason).toBe('a delivery kept failing for 1 min');
  });

  it('does not disable twice, nor revive a delivery that was stopped or succeeded meanwhile', () => {
    const applied = applyAttemptOutcomes(
      endpoint({ status: 'disabled', consecutiveFailures: 7, disabledReason: 'earlier' }),
      [delivery('a', { status: 'failed' }), delivery('b', { status: 'succeeded' })],
      [failure('a', 0), failure('b', 1)],
      policy,
      at(10),
      noJitter,
    );
    expect(applied.disabled).toBe(false);
    expect(applied.endpoint.disabledReason).toBe('earlier');
    expect(applied.deliveries.map((d) => d.status)).toEqual(['failed', 'succeeded']);
    expect(applied.endpoint.consecutiveFailures).toBe(9);
  });

  it('keeps only the latest attempts but counts them all', () => {
    const many = delivery('a', {
      attempts: Array.from({ length: MAX_KEPT_ATTEMPTS }, (_, i) => ({ at: at(i).toISOString(), durationMs: 1 })),
      attemptCount: 40,
      firstAttemptAt: at(0).toISOString(),
    });
    const applied = applyAttemptOutcomes(endpoint(), [many], [success('a', 1000)], policy, at(1000), noJitter);
    expect(applied.deliveries[0].attempts).toHaveLength(MAX_KEPT_ATTEMPTS);
    expect(applied.deliveries[0].attempts.at(-1)?.statusCode).toBe(204);
    expect(applied.deliveries[0].attemptCount).toBe(41);
  });

  it('ignores outcomes for deliveries that no longer exist', () => {
    const applied = applyAttemptOutcomes(endpoint(), [], [failure('gone', 0)], policy, at(1), noJitter);
    expect(applied.deliveries).toEqual([]);
    expect(applied.endpointChanged).toBe(false);
  });
});
