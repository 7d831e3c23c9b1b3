import { eventPublished, pubsubTestBed, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('handler failure', () => {
  const bed = pubsubTestBed('nack');

  it('nacks a failed delivery, which Pub/Sub redelivers until the handler succeeds', async () => {
    const attempts: number[] = [];
    const succeeded: number[] = [];
    await bed.consume(async (_message, context) => {
      attempts.push(context.getDeliveryAttempt());
      if (attempts.length < 3) throw new Error('downstream unavailable');
      succeeded.push(context.getDeliveryAttempt());
    });

    await bed.publisher().publish(eventPublished());

    await waitFor('the handler to succeed', () => succeeded.length === 1);
    expect(attempts).toEqual([1, 2, 3]);
    // Acked after success: no further redelivery within several backoff periods.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(attempts).toHaveLength(3);
  });
});
