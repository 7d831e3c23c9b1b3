import type { Notification } from './notification';
import { NotificationsRepository } from './notifications.repository';

export class InMemoryNotificationsRepository extends NotificationsRepository {
  readonly stored: Notification[] = [];

  async recordOnce(notification: Notification): Promise<boolean> {
    if (this.stored.some((n) => n.sourceEventId === notification.sourceEventId)) return false;
    this.stored.push(structuredClone(notification));
    return true;
  }

  async findBySourceEventId(sourceEventId: string): Promise<Notification | undefined> {
    return this.stored.find((n) => n.sourceEventId === sourceEventId);
  }
}
