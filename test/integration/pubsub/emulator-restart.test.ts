import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { Topics } from '@convene/contracts';
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

/**
 * The loss a restart can cause: whoever notices first recreates a topic a moment before its
 * subscriptions, and Pub/Sub drops a message published to a topic that has none. A publisher whose
 * publishes failed during the outage must provision the subscriptions again before it publishes, even
 * when it finds the topic already recreated by someone else.
 */
describe('Pub/Sub emulator restart, topic recreated by someone else without its subscriptions', () => {
  const projectId = uniqueProjectId('restart-topic');
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

  it('a publisher that failed during the outage recreates the subscriptions before publishing again', async () => {
    emulator = await startEmulator('pubsub', { projectId });
    pubsub = createPubSub({ projectId, emulatorHost: emulator.host });
    publisher = new MessagePublisher(pubsub, new PubSubTopology(pubsub, FAST_TOPOLOGY), {
      source: 'events',
      publishTimeoutMs: 3_000,
    });
    await publisher.publish(eventPublished()); // provisions the topic and its subscriptions

    await emulator.stop();
    await expect(publisher.publish(eventPublished())).rejects.toThrow();
    emulator = await startEmulator('pubsub', { projectId, port: emulator.port });
    // What a consumer's re-provisioning does first, before it creates the subscriptions.
    const admin = createPubSub({ projectId, emulatorHost: emulator.host });
    await admin.createTopic(Topics.eventPublished);
    await admin.close();

    const after = eventPublished();
    await waitFor('a publish to succeed after the restart', async () => {
      try {
        await publisher!.publish(after);
        return true;
      } catch {
        return false;
      }
    });
    // Subscribing only now: the message is there if the subscription existed when it was published.
    const handled: string[] = [];
    consumer = await startConsumer(pubsub, async (message) => void handled.push(message.id), {
      topology: new PubSubTopology(pubsub, FAST_TOPOLOGY),
    });
    await waitFor('the message published after the restart', () => handled.includes(after.id), 15_000);
  });
});
