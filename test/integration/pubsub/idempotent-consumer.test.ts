import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import { IdempotentConsumer } from '@convene/pubsub';
import { emulatorHost, eventPublished, pubsubTestBed, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('idempotent consumer', () => {
  const bed = pubsubTestBed('idempotent');
  let firestore: Firestore;
  let idempotent: IdempotentConsumer;

  beforeAll(() => {
    firestore = createFirestore({ projectId: bed.projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    idempotent = new IdempotentConsumer(firestore, { service: 'notifications' });
  });

  afterAll(async () => {
    await firestore?.terminate();
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
    await bed.consume(async (_message, context) => {
      const { applied } = await countOnce(context.getEnvelope().eventId, key);
      deliveries.push(applied);
    });

    const message = eventPublished();
    const eventId = `dup-${message.id}`;
    for (let i = 0; i < 3; i++) await bed.publisher().publish(message, { eventId });

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
