import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { Topics } from '../topics';
import { PROTO_DIR, type GrpcServiceDefinition } from './grpc-services';

export const NotificationsGrpc: GrpcServiceDefinition = {
  package: 'convene.notifications.v1',
  service: 'NotificationsService',
  protoPath: join(PROTO_DIR, 'notifications.proto'),
};

/** What a notification is about; people switch channels per category. */
export const NOTIFICATION_CATEGORIES = [
  'account',
  'registrations',
  'event-updates',
  'reminders',
  'reviews',
  'webhooks',
  'announcements',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

/** In-app includes the live stream (it shows what is stored in-app). */
export const NOTIFICATION_CHANNELS = ['in_app', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The domain events an organizer's webhook endpoint may subscribe to (about their own events). */
export const WEBHOOK_EVENT_TYPES = [
  Topics.eventPublished,
  Topics.eventUpdated,
  Topics.eventCancelled,
  Topics.registrationConfirmed,
  Topics.registrationWaitlisted,
  Topics.registrationPromoted,
  Topics.registrationCancelled,
  Topics.attendeeCheckedIn,
  Topics.reviewCreated,
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_STATUSES = ['active', 'disabled'] as const;
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * A position before every notification: `WatchMyNotifications` from here sends the whole inbox, then
 * what arrives. (Positions are opaque; this one is guaranteed to stay valid.)
 */
export const NOTIFICATION_TIMELINE_START =
  'MTk3MC0wMS0wMVQwMDowMDowMC4wMDAwMDAwMDBafDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA';

export interface ListMyNotificationsRequest {
  unreadOnly: boolean;
  limit: number;
  cursor?: string;
}

export interface NotificationMessage {
  id: string;
  kind: string;
  category: NotificationCategory;
  title: string;
  body: string;
  eventId?: string;
  link?: string;
  createdAt: string;
  readAt?: string;
  position: string;
}

export interface NotificationPageMessage {
  items: NotificationMessage[];
  nextCursor?: string;
}

export interface MarkReadRequest {
  id: string;
}

export interface MarkAllReadResultMessage {
  marked: number;
}

export interface UnreadCountMessage {
  unread: number;
}

export interface WatchMyNotificationsRequest {
  after?: string;
}

export interface ChannelSwitchMessage {
  category: NotificationCategory;
  channel: NotificationChannel;
  enabled: boolean;
}

export interface PreferencesMessage {
  switches: ChannelSwitchMessage[];
  updatedAt: string;
}

export interface UpdatePreferencesRequest {
  switches: ChannelSwitchMessage[];
}

export interface CreateWebhookRequest {
  url: string;
  eventTypes: string[];
  description?: string;
}

export interface WebhookMessage {
  id: string;
  url: string;
  eventTypes: string[];
  description: string;
  status: (typeof WEBHOOK_STATUSES)[number];
  disabledReason?: string;
  createdAt: string;
  secret?: string;
  consecutiveFailures: number;
}

export interface WebhookListMessage {
  items: WebhookMessage[];
}

export interface DeleteWebhookRequest {
  id: string;
}

export interface DeletedWebhookMessage {
  id: string;
}

export interface ListWebhookDeliveriesRequest {
  webhookId: string;
  limit: number;
  cursor?: string;
}

export interface WebhookAttemptMessage {
  at: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDeliveryMessage {
  id: string;
  webhookId: string;
  eventType: string;
  eventId: string;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttemptMessage[];
  nextAttemptAt?: string;
  createdAt: string;
}

export interface WebhookDeliveryPageMessage {
  items: WebhookDeliveryMessage[];
  nextCursor?: string;
}

export interface RedeliverWebhookRequest {
  webhookId: string;
  deliveryId: string;
}

type Empty = Record<string, never>;

/** The client side of NotificationsService as @nestjs/microservices' ClientGrpc exposes it. */
export interface NotificationsServiceClient {
  listMyNotifications(r: ListMyNotificationsRequest, m?: unknown, o?: unknown): Observable<NotificationPageMessage>;
  markRead(r: MarkReadRequest, m?: unknown, o?: unknown): Observable<NotificationMessage>;
  markAllRead(r: Empty, m?: unknown, o?: unknown): Observable<MarkAllReadResultMessage>;
  getUnreadCount(r: Empty, m?: unknown, o?: unknown): Observable<UnreadCountMessage>;
  watchMyNotifications(r: WatchMyNotificationsRequest, m?: unknown, o?: unknown): Observable<NotificationMessage>;
  getPreferences(r: Empty, m?: unknown, o?: unknown): Observable<PreferencesMessage>;
  updatePreferences(r: UpdatePreferencesRequest, m?: unknown, o?: unknown): Observable<PreferencesMessage>;
  createWebhook(r: CreateWebhookRequest, m?: unknown, o?: unknown): Observable<WebhookMessage>;
  listWebhooks(r: Empty, m?: unknown, o?: unknown): Observable<WebhookListMessage>;
  deleteWebhook(r: DeleteWebhookRequest, m?: unknown, o?: unknown): Observable<DeletedWebhookMessage>;
  listWebhookDeliveries(
    r: ListWebhookDeliveriesRequest,
    m?: unknown,
    o?: unknown,
  ): Observable<WebhookDeliveryPageMessage>;
  redeliverWebhook(r: RedeliverWebhookRequest, m?: unknown, o?: unknown): Observable<WebhookDeliveryMessage>;
}
