import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { INestMicroservice } from '@nestjs/common';
import { createFirestore } from '@convene/firestore';
import { createPubSub, MessagePublisher, Outbox, OutboxRelay, outboxCollection, PubSubTopology } from '@convene/pubsub';
import { startEmulator, type RunningEmulator } from '../../../scripts/lib/emulators.mts';
import {
  emulatorHost,
  eventPublished,
  FAST_TOPOLOGY,
  startConsumer,
  uniqueProjectId,
  waitFor,
} from './pubsub-test-kit';

jest.setTimeout(60_000);

describe('transactional outbox', () => {
  const projectId = uniqueProjectId('outbox');
  let emulator: RunningEmulator;
  let firestore: Firestore;
  let pubsub: PubSub;
  let relay: OutboxRelay | undefined;
  let consumer: INestMicroservice | undefined;
  let publisher: MessagePublisher | undefined;

  afterAll(async () => {
    await relay?.stop();
    await consumer?.close();
    await publisher?.close();
    await pubsub?.close();
    await firestore?.terminate();
    await emulator?.stop();
  });

  it('delivers a record committed while Pub/Sub is down once it is back, and marks it sent', async () => {
    firestore = createFirestore({ projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    // A private Pub/Sub emulator, since the test stops it.
    emulator = await startEmulator('pubsub', { projectId });
    pubsub = createPubSub({ projectId, emulatorHost: emulator.host });
    const topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    publisher = new MessagePublisher(pubsub, topology, { source: 'events', publishTimeoutMs: 2_000 });
    relay = new OutboxRelay(firestore, publisher, {
      service: 'events',
      pollIntervalMs: 200,
      leaseMs: 5_000,
      retryBackoff: { initialMs: 200, maxMs: 1_000 },
    });
    const outbox = new Outbox(firestore, { service: 'events', relay });
    relay.start();

    await emulator.stop();

    const message = eventPublished();
    const eventRef = firestore.collection('events').doc(message.id);
    const record = await firestore.runTransaction(async (tx) => {
      tx.create(eventRef, { title: message.title, status: 'published' });
      return outbox.enqueue(tx, message);
    });
    outbox.kick();
    const recordRef = outboxCollection(firestore, 'events').doc(record.eventId);
    await waitFor('a failed attempt to be recorded', async () => ((await recordRef.get()).data()?.attempts ?? 0) >= 1);
    expect((await recordRef.get()).data()).toMatchObject({ status: 'pending', lastError: expect.any(String) });

    emulator = await startEmulator('pubsub', { projectId, port: emulator.port });
    const received: { id: string; eventId: string; source: string }[] = [];
    consumer = await startConsumer(
      pubsub,
      async (payload, context) =>
        void received.push({
          id: payload.id,
          eventId: context.getEnvelope().eventId,
          source: context.getEnvelope().source,
        }),
      { topology },
    );

    await waitFor('the record to be delivered', () => received.length > 0, 40_000);
    expect(received[0]).toEqual({ id: message.id, eventId: record.eventId, source: 'events' });
    await waitFor('the record to be marked sent', async () => (await recordRef.get()).data()?.status === 'sent');
    const sent = (await recordRef.get()).data()!;
    expect(sent.sentAt).toBeDefined();
    // A TTL policy on expiresAt deletes it about a week later.
    const keptMs = sent.expiresAt!.toMillis() - Date.now();
    expect(keptMs).toBeGreaterThan(6 * 86_400_000);
    expect(keptMs).toBeLessThanOrEqual(7 * 86_400_000);
  });
});
