import type { Notification } from './notification';
import { NotificationsRepository } from './notifications.repository';

export class InMemoryNotificationsRepository extends NotificationsRepository {
  readonly stored: Notification[] = [];
  private readonly erased = new Set<string>();

  async recordOnce(notification: Notification): Promise<boolean> {
    if (this.stored.some((n) => n.sourceEventId === notification.sourceEventId)) return false;
    if (notification.recipientId && this.erased.has(notification.recipientId)) return false;
    this.stored.push(structuredClone(notification));
    return true;
  }

  async findBySourceEventId(sourceEventId: string): Promise<Notification | undefined> {
    return this.stored.find((n) => n.sourceEventId === sourceEventId);
  }

  async eraseRecipient(recipientId: string): Promise<number> {
    this.erased.add(recipientId);
    const before = this.stored.length;
    this.stored.splice(0, this.stored.length, ...this.stored.filter((n) => n.recipientId !== recipientId));
    return before - this.stored.length;
  }
}
