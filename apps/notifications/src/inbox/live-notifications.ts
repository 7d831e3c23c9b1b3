import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { InboxStore } from './inbox.store';
import type { StoredNotification, TimelinePosition } from './notification';

const CATCH_UP_PAGE = 100;

/**
 * A person's notifications as they are stored, for the live stream. Firestore is the source, not the
 * process that wrote them, so any replica serves any user and a gateway replica may relay any stream.
 *
 * With `after` (the SSE Last-Event-ID) it first sends what was stored since, then listens from the last
 * one sent; without, it listens from the newest existing one. Only notifications past the last one
 * sent go out, so the catch-up and the listener's first snapshot never repeat each other.
 */
@Injectable()
export class LiveNotifications {
  constructor(private readonly inbox: InboxStore) {}

  watch(recipientId: string, after?: TimelinePosition): Observable<StoredNotification> {
    return new Observable<StoredNotification>((subscriber) => {
      let stopped = false;
      let stopListening: (() => void) | undefined;
      let last = after;
      const send = (notifications: StoredNotification[]) => {
        for (const notification of notifications) {
          if (last && !isAfter(notification, last)) continue;
          last = { createdAt: notification.createdAt, id: notification.id };
          subscriber.next(notification);
        }
      };

      const start = async () => {
        if (after) {
          for (;;) {
            const page = await this.inbox.since(recipientId, last, CATCH_UP_PAGE);
            send(page);
            if (page.length < CATCH_UP_PAGE || stopped) break;
          }
        } else {
          const newest = await this.inbox.newest(recipientId);
          if (newest) last = { createdAt: newest.createdAt, id: newest.id };
        }
        if (stopped) return;
        stopListening = this.inbox.watch(recipientId, last, send, (error) => subscriber.error(error));
      };
      start().catch((error: unknown) => subscriber.error(error));

      return () => {
        stopped = true;
        stopListening?.();
      };
    });
  }
}

function isAfter(notification: StoredNotification, position: TimelinePosition): boolean {
  if (notification.createdAt !== position.createdAt) return notification.createdAt > position.createdAt;
  return notification.id > position.id;
}
