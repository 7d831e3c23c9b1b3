import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { Topics } from '@convene/contracts';
import { createPubSub, MessagePublisher, PubSubTopology } from '@convene/pubsub';
import { startEmulator, type RunningEmulator } from '../../../scripts/lib/emulators.mts';
import { eventPublished, FAST_TOPOLOGY, startConsumer, uniqueProjectId, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

// Each test has a private emulator: it kills it, which would break every other test on the shared one.
describe('Pub/Sub emulator restart', () => {
  interface PrivateBed {
    projectId: string;
    emulator: RunningEmulator; // replaced when a test restarts it
    pubsub: PubSub;
    topology: PubSubTopology;
    publisher: MessagePublisher;
    consumer?: INestMicroservice;
  }
  let current: PrivateBed | undefined;

  /** A private emulator, a client of it and a publisher; closed after the test. */
  async function startPrivate(prefix: string): Promise<PrivateBed> {
    const projectId = uniqueProjectId(prefix);
    const emulator = await startEmulator('pubsub', { projectId });
    const pubsub = createPubSub({ projectId, emulatorHost: emulator.host });
    const topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    const publisher = new MessagePublisher(pubsub, topology, { source: 'events', publishTimeoutMs: 3_000 });
    current = { projectId, emulator, pubsub, topology, publisher };
    return current;
  }

  afterEach(async () => {
    await current?.consumer?.close();
    await current?.publisher.close();
    await current?.pubsub.close();
    await current?.emulator.stop();
    current = undefined;
  });

  it('recreates topics and subscriptions; the running server consumes again and the publisher publishes again', async () => {
    const bed = await startPrivate('restart');
    const handled: string[] = [];
    bed.consumer = await startConsumer(bed.pubsub, async (message) => void handled.push(message.id), {
      topology: bed.topology,
    });

    const before = eventPublished();
    await bed.publisher.publish(before);
    await waitFor('the first message', () => handled.includes(before.id));

    await bed.emulator.stop();
    bed.emulator = await startEmulator('pubsub', { projectId: bed.projectId, port: bed.emulator.port });

    // The publisher may first see the channel still reconnecting (UNAVAILABLE); a caller (the outbox relay) retries.
    const after = eventPublished();
    await waitFor('a publish to succeed after the restart', async () => {
      try {
        await bed.publisher.publish(after, { eventId: `restart-${after.id}` });
        return true;
      } catch {
        return false;
      }
    });
    await waitFor('the server to consume again, without a restart', () => handled.includes(after.id), 30_000);
    const [subscriptionExists] = await bed.pubsub.subscription('notifications.event.published').exists();
    expect(subscriptionExists).toBe(true);
  });

  /**
   * The loss a restart can cause: whoever notices first recreates a topic a moment before its
   * subscriptions, and Pub/Sub drops a message published to a topic that has none. A publisher whose
   * publishes failed during the outage must provision the subscriptions again before it publishes, even
   * when it finds the topic already recreated by someone else.
   */
  it('a publisher that failed during the outage recreates the subscriptions before publishing again', async () => {
    const bed = await startPrivate('restart-topic');
    await bed.publisher.publish(eventPublished()); // provisions the topic and its subscriptions

    await bed.emulator.stop();
    await expect(bed.publisher.publish(eventPublished())).rejects.toThrow();
    bed.emulator = await startEmulator('pubsub', { projectId: bed.projectId, port: bed.emulator.port });
    // What a consumer's re-provisioning does first, before it creates the subscriptions.
    const admin = createPubSub({ projectId: bed.projectId, emulatorHost: bed.emulator.host });
    await admin.createTopic(Topics.eventPublished);
    await admin.close();

    const after = eventPublished();
    await waitFor('a publish to succeed after the restart', async () => {
      try {
        await bed.publisher.publish(after);
        return true;
      } catch {
        return false;
      }
    });
    // Subscribing only now: the message is there if the subscription existed when it was published.
    const handled: string[] = [];
    bed.consumer = await startConsumer(bed.pubsub, async (message) => void handled.push(message.id), {
      topology: new PubSubTopology(bed.pubsub, FAST_TOPOLOGY),
    });
    await waitFor('the message published after the restart', () => handled.includes(after.id), 15_000);
  });
});
