import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Message, PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { deadLetterTopicOf, Topics } from '@convene/contracts';
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

describe('poison messages', () => {
  const projectId = uniqueProjectId('dead-letter');
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

  it('dead-letters an invalid payload after the max attempts while valid messages keep flowing', async () => {
    pubsub = createPubSub({ projectId, emulatorHost: pubsubEmulator.host() });
    const topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    publisher = new MessagePublisher(pubsub, topology, { source: 'events' });
    const handled: string[] = [];
    // A window of one message: a poison message held in it would block everything else.
    consumer = await startConsumer(pubsub, async (message) => void handled.push(message.id), {
      topology,
      maxMessages: 1,
    });

    const poisonId = randomUUID();
    await publisher.publishRaw(Topics.eventPublished, 1, JSON.stringify({ id: 'not-a-uuid', capacity: -1 }), {
      eventId: poisonId,
      eventType: Topics.eventPublished,
      schemaVersion: '1',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      source: 'events',
    });
    const during = [eventPublished(), eventPublished(), eventPublished()];
    for (const message of during) await publisher.publish(message);

    const deadLetterSubscription = deadLetterTopicOf('notifications.event.published');
    const deadLetters: Message[] = [];
    const inspector = pubsub.subscription(deadLetterSubscription);
    inspector.on('message', (message: Message) => {
      deadLetters.push(message);
      message.ack();
    });
    try {
      await waitFor('the valid messages published with the poison one', () =>
        during.every((m) => handled.includes(m.id)),
      );
      await waitFor('the poison message on the dead-letter topic', () => deadLetters.length > 0, 40_000);
    } finally {
      await inspector.close();
    }
    expect(deadLetters.map((m) => m.attributes.eventId)).toEqual([poisonId]);
    expect(handled).toHaveLength(during.length);

    const after = eventPublished();
    await publisher.publish(after);
    await waitFor('a valid message published after the poison one', () => handled.includes(after.id));
  });
});
