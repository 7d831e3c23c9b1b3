import type { Notification } from './notification';

export abstract class NotificationsRepository {
  /**
   * Stores the notification unless one was already stored for `notification.sourceEventId`.
   * Resolves to false when it was a duplicate (Pub/Sub redelivery, publisher retry).
   */
  abstract recordOnce(notification: Notification): Promise<boolean>;
  abstract findBySourceEventId(sourceEventId: string): Promise<Notification | undefined>;
}
