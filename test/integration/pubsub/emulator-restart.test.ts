import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { createPubSub, MessagePublisher, PubSubTopology } from '@convene/pubsub';
import { startEmulator, type RunningEmulator } from '../../../scripts/lib/emulators.mts';
import { eventPublished, FAST_TOPOLOGY, startConsumer, uniqueProjectId, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

// A private emulator: this test kills it, which would break every other test on the shared one.
describe('Pub/Sub emulator restart', () => {
  const projectId = uniqueProjectId('restart');
  let emulator: RunningEmulator;
  let consumer: INestMicroservice | undefined;
  let publisher: MessagePublisher | undefined;
  let pubsub: PubSub | undefined;

  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await pubsub?.close();
    await emulator?.stop();
  });

  it('recreates topics and subscriptions; the running server consumes again and the publisher publishes again', async () => {
    emulator = await startEmulator('pubsub', { projectId });
    pubsub = createPubSub({ projectId, emulatorHost: emulator.host });
    const topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    publisher = new MessagePublisher(pubsub, topology, { source: 'events', publishTimeoutMs: 3_000 });
    const handled: string[] = [];
    consumer = await startConsumer(pubsub, async (message) => void handled.push(message.id), { topology });

    const before = eventPublished();
    await publisher.publish(before);
    await waitFor('the first message', () => handled.includes(before.id));

    await emulator.stop();
    emulator = await startEmulator('pubsub', { projectId, port: emulator.port });

    // The publisher may first see the channel still reconnecting (UNAVAILABLE); a caller (the outbox relay) retries.
    const after = eventPublished();
    await waitFor('a publish to succeed after the restart', async () => {
      try {
        await publisher!.publish(after, { eventId: `restart-${after.id}` });
        return true;
      } catch {
        return false;
      }
    });
    await waitFor('the server to consume again, without a restart', () => handled.includes(after.id), 30_000);
    const [subscriptionExists] = await pubsub!.subscription('notifications.event.published').exists();
    expect(subscriptionExists).toBe(true);
  });
});
