import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import {
  GrpcCorrelationInterceptor,
  GrpcErrorFilter,
  GrpcMetricsInterceptor,
  invalidField,
  requireIdentity,
  requireUuid,
} from '@convene/common';
import type {
  ListMyNotificationsRequest,
  MarkAllReadResultMessage,
  MarkReadRequest,
  NotificationMessage,
  NotificationPageMessage,
  PreferencesMessage,
  UnreadCountMessage,
  UpdatePreferencesRequest,
  WatchMyNotificationsRequest,
} from '@convene/contracts';
import { toSwitches } from '../preferences/preferences';
import { PreferencesStore } from '../preferences/preferences.store';
import { InboxStore } from './inbox.store';
import { decodePosition, encodePosition, type StoredNotification } from './notification';
import { LiveNotifications } from './live-notifications';

/** The caller's own inbox and preferences: every method acts on the verified identity only. */
@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class InboxGrpcController {
  constructor(
    private readonly inbox: InboxStore,
    private readonly preferences: PreferencesStore,
    private readonly live: LiveNotifications,
  ) {}

  @GrpcMethod('NotificationsService', 'ListMyNotifications')
  async listMyNotifications(request: ListMyNotificationsRequest, metadata: Metadata): Promise<NotificationPageMessage> {
    const me = requireIdentity(metadata);
    const limit = request.limit || 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidField('limit', 'limit must be 1..100');
    const after = request.cursor ? decodePosition('cursor', request.cursor) : undefined;
    const found = await this.inbox.list(me.userId, { unreadOnly: request.unreadOnly, limit: limit + 1, after });
    const items = found.slice(0, limit);
    return {
      items: items.map(toMessage),
      nextCursor: found.length > limit ? encodePosition(items.at(-1)!) : undefined,
    };
  }

  @GrpcMethod('NotificationsService', 'MarkRead')
  async markRead(request: MarkReadRequest, metadata: Metadata): Promise<NotificationMessage> {
    const me = requireIdentity(metadata);
    requireUuid('id', request.id);
    return toMessage(await this.inbox.markRead(me.userId, request.id));
  }

  @GrpcMethod('NotificationsService', 'MarkAllRead')
  async markAllRead(_request: unknown, metadata: Metadata): Promise<MarkAllReadResultMessage> {
    return { marked: await this.inbox.markAllRead(requireIdentity(metadata).userId) };
  }

  @GrpcMethod('NotificationsService', 'GetUnreadCount')
  async getUnreadCount(_request: unknown, metadata: Metadata): Promise<UnreadCountMessage> {
    return { unread: await this.inbox.unreadCount(requireIdentity(metadata).userId) };
  }

  @GrpcMethod('NotificationsService', 'WatchMyNotifications')
  watchMyNotifications(request: WatchMyNotificationsRequest, metadata: Metadata): Observable<NotificationMessage> {
    const me = requireIdentity(metadata);
    const after = request.after ? decodePosition('after', request.after) : undefined;
    return this.live.watch(me.userId, after).pipe(map(toMessage));
  }

  @GrpcMethod('NotificationsService', 'GetPreferences')
  async getPreferences(_request: unknown, metadata: Metadata): Promise<PreferencesMessage> {
    const stored = await this.preferences.get(requireIdentity(metadata).userId);
    return { switches: toSwitches(stored.preferences), updatedAt: stored.updatedAt ?? '' };
  }

  @GrpcMethod('NotificationsService', 'UpdatePreferences')
  async updatePreferences(request: UpdatePreferencesRequest, metadata: Metadata): Promise<PreferencesMessage> {
    const stored = await this.preferences.update(requireIdentity(metadata).userId, request.switches ?? []);
    return { switches: toSwitches(stored.preferences), updatedAt: stored.updatedAt ?? '' };
  }
}

export function toMessage(notification: StoredNotification): NotificationMessage {
  return {
    id: notification.id,
    kind: notification.kind,
    category: notification.category,
    title: notification.title,
    body: notification.body,
    ...(notification.eventId ? { eventId: notification.eventId } : {}),
    ...(notification.link ? { link: notification.link } : {}),
    createdAt: new Date(Date.parse(notification.createdAt)).toISOString(),
    ...(notification.readAt ? { readAt: notification.readAt } : {}),
    position: encodePosition(notification),
  };
}
