import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { createPubSub, MessagePublisher, PubSubTopology } from '@convene/pubsub';
import {
  eventPublished,
  FAST_TOPOLOGY,
  privatePubSubEmulator,
  startConsumer,
  uniqueProjectId,
  waitFor,
} from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('handler failure', () => {
  const projectId = uniqueProjectId('nack');
  const pubsubEmulator = privatePubSubEmulator(projectId);
  let pubsub: PubSub;
  let publisher: MessagePublisher;
  let consumer: INestMicroservice | undefined;

  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await pubsub?.close();
    await pubsubEmulator.stop();
  });

  it('nacks a failed delivery, which Pub/Sub redelivers until the handler succeeds', async () => {
    pubsub = createPubSub({ projectId, emulatorHost: pubsubEmulator.host() });
    const topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    publisher = new MessagePublisher(pubsub, topology, { source: 'events' });
    const attempts: number[] = [];
    const succeeded: number[] = [];
    consumer = await startConsumer(
      pubsub,
      async (_message, context) => {
        attempts.push(context.getDeliveryAttempt());
        if (attempts.length < 3) throw new Error('downstream unavailable');
        succeeded.push(context.getDeliveryAttempt());
      },
      { topology },
    );

    await publisher.publish(eventPublished());

    await waitFor('the handler to succeed', () => succeeded.length === 1);
    expect(attempts).toEqual([1, 2, 3]);
    // Acked after success: no further redelivery within several backoff periods.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(attempts).toHaveLength(3);
  });
});
