import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { createFirestore } from '@convene/firestore';
import { createPubSub, IdempotentConsumer, MessagePublisher, PubSubTopology } from '@convene/pubsub';
import {
  emulatorHost,
  eventPublished,
  FAST_TOPOLOGY,
  privatePubSubEmulator,
  startConsumer,
  uniqueProjectId,
  waitFor,
} from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('idempotent consumer', () => {
  const projectId = uniqueProjectId('idempotent');
  const pubsubEmulator = privatePubSubEmulator(projectId);
  let firestore: Firestore;
  let pubsub: PubSub;
  let publisher: MessagePublisher;
  let consumer: INestMicroservice | undefined;
  let idempotent: IdempotentConsumer;

  beforeAll(() => {
    firestore = createFirestore({ projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    pubsub = createPubSub({ projectId, emulatorHost: pubsubEmulator.host() });
    publisher = new MessagePublisher(pubsub, new PubSubTopology(pubsub, FAST_TOPOLOGY), { source: 'events' });
    idempotent = new IdempotentConsumer(firestore, { service: 'notifications' });
  });

  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await pubsub?.close();
    await firestore?.terminate();
    await pubsubEmulator.stop();
  });

  /** The effect under test: a counter and one effect document per applied delivery. */
  function countOnce(eventId: string, key: string) {
    return idempotent.runOnce('welcome-email', eventId, async (tx) => {
      const counter = firestore.collection('counters').doc(key);
      await tx.get(counter);
      tx.set(counter, { applied: FieldValue.increment(1) }, { merge: true });
      tx.create(firestore.collection('effects').doc(), { key, eventId });
      return 'sent';
    });
  }

  async function effectsOf(key: string): Promise<{ counter: number; documents: number }> {
    const counter = (await firestore.collection('counters').doc(key).get()).data()?.applied ?? 0;
    const documents = (await firestore.collection('effects').where('key', '==', key).count().get()).data().count;
    return { counter, documents };
  }

  it('applies a message published three times with the same eventId once', async () => {
    const deliveries: boolean[] = [];
    const key = 'published-thrice';
    consumer = await startConsumer(pubsub, async (_message, context) => {
      const { applied } = await countOnce(context.getEnvelope().eventId, key);
      deliveries.push(applied);
    });

    const message = eventPublished();
    const eventId = `dup-${message.id}`;
    for (let i = 0; i < 3; i++) await publisher.publish(message, { eventId });

    await waitFor('three deliveries', () => deliveries.length === 3);
    expect(deliveries.filter(Boolean)).toHaveLength(1);
    expect(await effectsOf(key)).toEqual({ counter: 1, documents: 1 });
  });

  it('applies three copies processed at the same time once', async () => {
    const key = 'concurrent';
    const outcomes = await Promise.all([1, 2, 3].map(() => countOnce('concurrent-event', key)));
    expect(outcomes.filter((o) => o.applied)).toEqual([{ applied: true, result: 'sent' }]);
    expect(await effectsOf(key)).toEqual({ counter: 1, documents: 1 });
  });
});
