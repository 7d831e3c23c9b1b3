import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Message } from '@google-cloud/pubsub';
import { deadLetterTopicOf, Topics } from '@convene/contracts';
import { eventPublished, pubsubTestBed, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('poison messages', () => {
  const bed = pubsubTestBed('dead-letter');

  it('dead-letters an invalid payload after the max attempts while valid messages keep flowing', async () => {
    const publisher = bed.publisher();
    const handled: string[] = [];
    // A window of one message: a poison message held in it would block everything else.
    await bed.consume(async (message) => void handled.push(message.id), { maxMessages: 1 });

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
    const inspector = bed.pubsub().subscription(deadLetterSubscription);
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
