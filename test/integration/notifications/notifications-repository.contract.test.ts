import { randomUUID } from 'node:crypto';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { IdempotentConsumer } from '@convene/pubsub';
import { FirestoreNotificationsRepository } from '../../../apps/notifications/src/notifications/firestore-notifications.repository';
import { InMemoryNotificationsRepository } from '../../../apps/notifications/src/notifications/in-memory-notifications.repository';
import type { Notification } from '../../../apps/notifications/src/notifications/notification';
import type { NotificationsRepository } from '../../../apps/notifications/src/notifications/notifications.repository';

function aNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: randomUUID(),
    kind: 'event.published',
    recipientId: null,
    title: 'Open for registration',
    body: 'Starts soon',
    eventId: randomUUID(),
    sourceEventId: randomUUID(),
    correlationId: 'c-1',
    createdAt: '2031-01-01T00:00:00.000Z',
    readAt: null,
    ...overrides,
  };
}

describeRepositoryContract<NotificationsRepository>(
  'NotificationsRepository',
  {
    fake: () => new InMemoryNotificationsRepository(),
    firestore: (db) =>
      new FirestoreNotificationsRepository(db, new IdempotentConsumer(db, { service: 'notifications' })),
  },
  (repository) => {
    it('records a notification once per source message, whatever the notification id', async () => {
      const first = aNotification();
      expect(await repository().recordOnce(first)).toBe(true);
      expect(await repository().recordOnce({ ...first, id: randomUUID() })).toBe(false);
      expect(await repository().findBySourceEventId(first.sourceEventId)).toEqual(first);
    });

    it('records one of several concurrent copies of the same message', async () => {
      const notification = aNotification();
      const results = await Promise.all(
        [1, 2, 3].map(() => repository().recordOnce({ ...notification, id: randomUUID() })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }, 30_000);

    it('finds nothing for an unknown source message', async () => {
      expect(await repository().findBySourceEventId(randomUUID())).toBeUndefined();
    });

    it('erases a recipient’s notifications and refuses new ones for them, whatever the order', async () => {
      const recipientId = randomUUID();
      await repository().recordOnce(aNotification({ recipientId }));
      await repository().recordOnce(aNotification({ recipientId }));
      const other = aNotification({ recipientId: randomUUID() });
      await repository().recordOnce(other);

      expect(await repository().eraseRecipient(recipientId)).toBe(2);
      expect(await repository().eraseRecipient(recipientId)).toBe(0);
      const late = aNotification({ recipientId });
      expect(await repository().recordOnce(late)).toBe(false);
      expect(await repository().findBySourceEventId(late.sourceEventId)).toBeUndefined();
      expect(await repository().findBySourceEventId(other.sourceEventId)).toEqual(other);
    });
  },
);
