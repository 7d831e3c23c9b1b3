import type { Notification } from './notification';

export abstract class NotificationsRepository {
  /**
   * Stores the notification unless one was already stored for `notification.sourceEventId` or its
   * recipient was erased. Resolves to false when nothing was stored.
   */
  abstract recordOnce(notification: Notification): Promise<boolean>;
  abstract findBySourceEventId(sourceEventId: string): Promise<Notification | undefined>;
  /**
   * Erases every notification addressed to `recipientId` and remembers the erasure, so a notification
   * for them that arrives later (messages of different topics are not ordered) is never stored.
   * Idempotent. Resolves to how many were erased by this call.
   */
  abstract eraseRecipient(recipientId: string): Promise<number>;
}
