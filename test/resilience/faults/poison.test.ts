import { randomUUID } from 'node:crypto';
import type { Message } from '@google-cloud/pubsub';
import { deadLetterTopicOf, subscriptionsOf, type Envelope } from '@convene/contracts';
import { createPubSub, MessagePublisher, PubSubTopology } from '@convene/pubsub';
import { registerAccount, registerOrganizer } from '../../support/accounts';
import { appUrl, eventually } from '../../support/gateway';
import { systemFirestore } from '../../support/firestore';
import { createPublishedEvent, registered } from '../../support/registration-fixtures';
import { reportFigures, seconds } from './support/figures';
import { counter } from './support/metrics';

/**
 * Issue 10, "a poison message → dead-letter topic, visible as a metric, others unaffected", on the
 * runner's shared system: two messages no consumer can accept are published to real topics (bad JSON
 * on `event.published`, the wrong shape on `registration.confirmed`), and a real registration follows
 * at once. Each consumer of those topics must nack the poison until Pub/Sub moves it to the
 * subscription's dead-letter topic (where it is kept: pulled here from the dead-letter subscription),
 * count it in convene_pubsub_dead_lettered_total, and meanwhile handle the registration's message.
 */
jest.setTimeout(120_000);

const METRIC = 'convene_pubsub_dead_lettered_total';
const CONSUMER_APPS = { notifications: 'notifications', events: 'events', reviews: 'reviews' } as const;

function envelope(eventType: string): Envelope {
  return {
    eventId: randomUUID(),
    eventType,
    schemaVersion: '1',
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    source: 'registrations',
  };
}

describe('poison messages', () => {
  const projectId = process.env.GCP_PROJECT_ID!;
  const pubsub = createPubSub({ projectId, emulatorHost: process.env.PUBSUB_EMULATOR_HOST });
  const db = systemFirestore();

  afterAll(async () => {
    await pubsub.close();
    await db.terminate();
  });

  it('go to the dead-letter topic and the metric while the next message is handled', async () => {
    const [organizer, attendee] = await Promise.all([registerOrganizer(), registerAccount()]);
    const event = await createPublishedEvent(organizer, { capacity: 10 });

    const poisons = [
      { envelope: envelope('event.published'), data: '{"id": "3f1c", "title": unquoted' }, // not JSON
      {
        envelope: envelope('registration.confirmed'),
        data: JSON.stringify({ registrationId: 'not-a-uuid', eventId: 42, userId: null, version: -1 }),
      },
    ];
    // Every subscription of the poisoned topics, with the service that consumes it.
    const targets = poisons.flatMap((poison) =>
      subscriptionsOf(poison.envelope.eventType).map((spec) => ({ spec, eventId: poison.envelope.eventId })),
    );
    const metricBefore = new Map<string, number>();
    for (const { spec } of targets)
      metricBefore.set(
        spec.name,
        await counter(appUrl(CONSUMER_APPS[spec.service as keyof typeof CONSUMER_APPS]), METRIC, {
          subscription: spec.name,
        }),
      );

    // The dead-letter subscriptions, read as an operator would: only our poison is taken off them.
    const deadLetters = new Map<string, { at: number; message: Message }>(); // "<subscription> <eventId>" →
    const inspectors = [...new Set(targets.map((t) => deadLetterTopicOf(t.spec.name)))].map((name) => {
      const inspector = pubsub.subscription(name);
      inspector.on('message', (message: Message) => {
        const mine = targets.find(
          (t) => deadLetterTopicOf(t.spec.name) === name && t.eventId === message.attributes.eventId,
        );
        if (!mine) return; // someone else's dead letter: left for them
        deadLetters.set(`${mine.spec.name} ${mine.eventId}`, { at: Date.now(), message });
        message.ack();
      });
      inspector.on('error', () => undefined);
      return inspector;
    });

    const publisher = new MessagePublisher(pubsub, new PubSubTopology(pubsub), { source: 'registrations' });
    let publishedAt: number;
    let registration: any;
    try {
      for (const poison of poisons)
        await publisher.publishRaw(poison.envelope.eventType, 1, poison.data, poison.envelope);
      publishedAt = Date.now();
      // A valid message right behind them, on the same topic and subscriptions: a real registration's.
      registration = await registered(event.id, attendee);
    } finally {
      await publisher.close();
    }
    expect(registration.status).toBe('confirmed');

    // Its effects in each consumer of registration.confirmed: notified, projected as a seat, attendance.
    const handledAt = await eventually(
      async () => {
        const [notified, seat, attendance] = await Promise.all([
          db
            .collection('notifications')
            .where('recipientId', '==', attendee.id)
            .where('kind', '==', 'registration.confirmed')
            .get(),
          db.collection('seatProjections').doc(event.id).collection('registrations').doc(registration.id).get(),
          db.collection('attendance').doc(`${event.id}~${attendee.id}`).get(),
        ]);
        return !notified.empty && seat.exists && attendance.exists ? Date.now() : undefined;
      },
      30_000,
      'the registration published after the poison to be handled',
    );

    try {
      await eventually(
        async () => (targets.every((t) => deadLetters.has(`${t.spec.name} ${t.eventId}`)) ? true : undefined),
        90_000,
        `the poison on all ${targets.length} dead-letter topics`,
      );
    } finally {
      await Promise.all(inspectors.map((inspector) => inspector.close()));
    }
    const metricAfter = new Map<string, number>();
    await eventually(
      async () => {
        for (const { spec } of targets)
          metricAfter.set(
            spec.name,
            await counter(appUrl(CONSUMER_APPS[spec.service as keyof typeof CONSUMER_APPS]), METRIC, {
              subscription: spec.name,
            }),
          );
        return targets.every((t) => metricAfter.get(t.spec.name)! > metricBefore.get(t.spec.name)!) ? true : undefined;
      },
      10_000,
      `${METRIC} to count the poison`,
    ).catch(() => undefined); // the assertion below shows the counts

    const dead = [...deadLetters.values()];
    const firstDeadAt = Math.min(...dead.map((d) => d.at));
    const lastDeadAt = Math.max(...dead.map((d) => d.at));
    const deliveries = dead.map((d) => Number(d.message.attributes.CloudPubSubDeadLetterSourceDeliveryCount ?? NaN));
    reportFigures(
      'poison',
      `${poisons.length} poison messages → ${dead.length} dead letters on ${targets.length} subscriptions ` +
        `(${seconds(firstDeadAt - publishedAt!)}–${seconds(lastDeadAt - publishedAt!)} after publishing` +
        `${deliveries.every(Number.isFinite) ? `, after ${Math.max(...deliveries)} deliveries` : ''}), ` +
        `${METRIC} +${targets.filter((t) => metricAfter.get(t.spec.name)! > metricBefore.get(t.spec.name)!).length}/${targets.length} subscriptions, ` +
        `next message handled ${seconds(handledAt - publishedAt!)} after them (before the first dead letter: ${handledAt < firstDeadAt})`,
      {
        poisonMessages: poisons.length,
        subscriptions: targets.map((t) => t.spec.name),
        deadLetters: dead.length,
        deadLetteredAfterMs: dead.map((d) => d.at - publishedAt!),
        deliveriesBeforeDeadLetter: deliveries,
        metricDelta: Object.fromEntries(
          targets.map((t) => [t.spec.name, metricAfter.get(t.spec.name)! - metricBefore.get(t.spec.name)!]),
        ),
        nextMessageHandledAfterMs: handledAt - publishedAt!,
        nextMessageHandledBeforeFirstDeadLetter: handledAt < firstDeadAt,
      },
    );

    expect(dead.map((d) => d.message.data.toString()).sort()).toEqual(
      targets.map((t) => poisons.find((p) => p.envelope.eventId === t.eventId)!.data).sort(),
    );
    for (const t of targets) expect(metricAfter.get(t.spec.name)).toBe(metricBefore.get(t.spec.name)! + 1);
    // Not held up behind the poison: handled while the poison was still being redelivered.
    expect(handledAt).toBeLessThan(firstDeadAt);
  });
});
