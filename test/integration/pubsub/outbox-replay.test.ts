import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import {
  Outbox,
  OUTBOX_REPLAYS_COLLECTION,
  OutboxRelay,
  outboxCollection,
  PubSubTopology,
  replayAfterSubscriptionCreated,
  REPLAY_LOOKBACK_MS,
  type ReplayRequest,
} from '@convene/pubsub';
import { emulatorHost, eventPublished, FAST_TOPOLOGY, pubsubTestBed, waitFor } from './pubsub-test-kit';

jest.setTimeout(60_000);

/**
 * A subscription Pub/Sub forgets (an emulator restart; an operator deleting it) takes the messages it
 * held with it. Whoever recreates it (here its consumer, after NOT_FOUND; as often a publisher after a
 * failed publish) asks the outboxes to send that topic's recent messages again; consumers dedupe on
 * the eventId.
 */
describe('outbox replay after a subscription was lost', () => {
  const bed = pubsubTestBed('outbox-replay');
  let firestore: Firestore;
  let relay: OutboxRelay | undefined;

  afterAll(async () => {
    await relay?.stop();
    await firestore?.terminate();
  });

  it('sends again what the forgotten subscription held, once its consumer has recreated it', async () => {
    firestore = createFirestore({ projectId: bed.projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    relay = new OutboxRelay(firestore, bed.publisher(), {
      service: 'events',
      pollIntervalMs: 200,
      replayCheckIntervalMs: 200,
      retryBackoff: { initialMs: 200, maxMs: 1_000 },
    });
    const outbox = new Outbox(firestore, { service: 'events', relay });
    relay.start();
    const commit = async () => {
      const message = eventPublished();
      const record = await firestore.runTransaction(async (tx) => outbox.enqueue(tx, message));
      outbox.kick();
      return { message, eventId: record.eventId };
    };

    let refuse = false;
    const handled: string[] = []; // eventIds, in the order handled
    await bed.consume(
      async (_payload, context) => {
        if (refuse) throw new Error('not now'); // nacked: it stays in the subscription
        handled.push(context.getEnvelope().eventId);
      },
      {
        // As PubSubModule builds it for an app.
        topology: new PubSubTopology(bed.pubsub(), FAST_TOPOLOGY, {
          onSubscriptionCreated: (spec) => replayAfterSubscriptionCreated(firestore, spec),
        }),
      },
    );
    const first = await commit();
    await waitFor('the first message', () => handled.includes(first.eventId));

    // The second is in the subscription, unacked, when the subscription is deleted.
    refuse = true;
    const second = await commit();
    const secondRecord = outboxCollection(firestore, 'events').doc(second.eventId);
    await waitFor('the second message to be sent', async () => (await secondRecord.get()).get('status') === 'sent');
    const deletedAt = Date.now();
    await bed.pubsub().subscription('notifications.event.published').delete();
    // Filed by the consumer once it recreated the subscription (a request from its start, when it may
    // have created the subscription, is not this one).
    let requests: ReplayRequest[] = [];
    await waitFor('the replay request to be handled', async () => {
      requests = (
        await firestore.collection(OUTBOX_REPLAYS_COLLECTION).where('requestedAt', '>=', new Date(deletedAt)).get()
      ).docs.map((doc) => doc.data() as ReplayRequest);
      return requests.length === 1 && requests[0].replayed !== undefined;
    });
    refuse = false;
    await waitFor('the second message, sent again', () => handled.includes(second.eventId), 30_000);
    expect(requests).toEqual([
      expect.objectContaining({
        topic: 'event.published',
        requestedBy: 'notifications.event.published',
        handledBy: { events: expect.anything() },
        // From REPLAY_LOOKBACK_MS before it was recreated: the first message is sent again too.
        replayed: { events: 2 },
      }),
    ]);
    const request = requests[0];
    expect(request.requestedAt.toMillis()).toBeGreaterThanOrEqual(deletedAt);
    expect(request.requestedAt.toMillis() - request.since.toMillis()).toBeGreaterThanOrEqual(REPLAY_LOOKBACK_MS);
    expect(request.requestedAt.toMillis() - request.since.toMillis()).toBeLessThan(REPLAY_LOOKBACK_MS + 1_000);
    await waitFor(
      'the second record to be sent again',
      async () => (await secondRecord.get()).get('status') === 'sent',
    );
  });
});
