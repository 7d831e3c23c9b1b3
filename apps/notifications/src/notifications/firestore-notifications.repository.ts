import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { IdempotentConsumer } from '@convene/pubsub';
import type { Notification } from './notification';
import { NotificationsRepository } from './notifications.repository';

const COLLECTION = 'notifications';
const CONSUMER = 'notifications';
/** Tombstones of erased users: `erasedRecipients/{userId}`. */
const ERASED = 'erasedRecipients';
/** Firestore allows 500 writes per batch. */
const ERASE_PAGE = 400;

@Injectable()
export class FirestoreNotificationsRepository extends NotificationsRepository {
  constructor(
    private readonly firestore: Firestore,
    private readonly consumer: IdempotentConsumer,
  ) {
    super();
  }

  async recordOnce(notification: Notification): Promise<boolean> {
    const { applied, result } = await this.consumer.runOnce(CONSUMER, notification.sourceEventId, async (tx) => {
      if (notification.recipientId) {
        const tombstone = await tx.get(this.firestore.collection(ERASED).doc(notification.recipientId));
        if (tombstone.exists) return false;
      }
      tx.create(this.firestore.collection(COLLECTION).doc(notification.id), notification);
      return true;
    });
    return applied && result === true;
  }

  async findBySourceEventId(sourceEventId: string): Promise<Notification | undefined> {
    const snapshot = await this.firestore
      .collection(COLLECTION)
      .where('sourceEventId', '==', sourceEventId)
      .limit(1)
      .get();
    return snapshot.empty ? undefined : (snapshot.docs[0].data() as Notification);
  }

  async eraseRecipient(recipientId: string): Promise<number> {
    // The tombstone first: from then on recordOnce refuses this recipient, so the pages below only
    // shrink. Deleting is idempotent, so a redelivery after a crash half-way just erases the rest.
    await this.firestore.collection(ERASED).doc(recipientId).set({ erasedAt: new Date().toISOString() });
    let erased = 0;
    for (;;) {
      const page = await this.firestore
        .collection(COLLECTION)
        .where('recipientId', '==', recipientId)
        .limit(ERASE_PAGE)
        .get();
      if (page.empty) return erased;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
      erased += page.size;
    }
  }
}
