import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { IdempotentConsumer } from '@convene/pubsub';
import type { Notification } from './notification';
import { NotificationsRepository } from './notifications.repository';

const COLLECTION = 'notifications';
const CONSUMER = 'notifications';

@Injectable()
export class FirestoreNotificationsRepository extends NotificationsRepository {
  constructor(
    private readonly firestore: Firestore,
    private readonly consumer: IdempotentConsumer,
  ) {
    super();
  }

  async recordOnce(notification: Notification): Promise<boolean> {
    const { applied } = await this.consumer.runOnce(CONSUMER, notification.sourceEventId, async (tx) => {
      tx.create(this.firestore.collection(COLLECTION).doc(notification.id), notification);
    });
    return applied;
  }

  async findBySourceEventId(sourceEventId: string): Promise<Notification | undefined> {
    const snapshot = await this.firestore
      .collection(COLLECTION)
      .where('sourceEventId', '==', sourceEventId)
      .limit(1)
      .get();
    return snapshot.empty ? undefined : (snapshot.docs[0].data() as Notification);
  }
}
