import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { InboxStore } from './inbox.store';
import { NotificationFeed } from './notification-feed';
import type { StoredNotification, TimelinePosition } from './notification';

const CATCH_UP_PAGE = 100;

/**
 * A person's notifications as they are stored, for the live stream. Firestore is the source, not the
 * process that wrote them, so any replica serves any user and a gateway replica may relay any stream.
 *
 * It joins the process's feed first (holding what arrives), then sends what was stored after `after`
 * (the SSE Last-Event-ID) — or, without one, starts after the newest existing notification — then
 * what the feed held, then everything the feed brings. Only notifications past the last one sent go
 * out, so the catch-up and the feed never repeat each other and nothing falls between them.
 */
@Injectable()
export class LiveNotifications {
  constructor(
    private readonly inbox: InboxStore,
    private readonly feed: NotificationFeed,
  ) {}

  watch(recipientId: string, after?: TimelinePosition): Observable<StoredNotification> {
    return new Observable<StoredNotification>((subscriber) => {
      let last = after;
      let held: StoredNotification[] | undefined = [];
      const send = (notifications: StoredNotification[]) => {
        for (const notification of [...notifications].sort(byPosition)) {
          if (last && !isAfter(notification, last)) continue;
          last = { createdAt: notification.createdAt, id: notification.id };
          subscriber.next(notification);
        }
      };
      const unsubscribe = this.feed.subscribe(recipientId, {
        next: (notifications) => (held ? held.push(...notifications) : send(notifications)),
        error: (error) => subscriber.error(error),
      });

      const catchUp = async () => {
        if (after) {
          for (;;) {
            const page = await this.inbox.since(recipientId, last, CATCH_UP_PAGE);
            send(page);
            if (page.length < CATCH_UP_PAGE || subscriber.closed) break;
          }
        } else {
          const newest = await this.inbox.newest(recipientId);
          if (newest && (!last || isAfter(newest, last))) last = { createdAt: newest.createdAt, id: newest.id };
        }
        const waiting = held ?? [];
        held = undefined;
        send(waiting);
      };
      catchUp().catch((error: unknown) => subscriber.error(error));

      return unsubscribe;
    });
  }
}

function isAfter(notification: StoredNotification, position: TimelinePosition): boolean {
  if (notification.createdAt !== position.createdAt) return notification.createdAt > position.createdAt;
  return notification.id > position.id;
}

function byPosition(a: StoredNotification, b: StoredNotification): number {
  return a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;
}
