import { createHash } from 'node:crypto';
import { invalidField } from '@convene/common';
import type { NotificationCategory } from '@convene/contracts';
import type { NoticeKind } from '../notices/notice';

/**
 * One thing one person was told, in-app: `notifications/{id}`. The id is derived from what caused it,
 * the recipient and the kind, so processing the cause again (a redelivered message, a fan-out page run
 * again after a crash) finds it written and writes nothing.
 *
 * `createdAt` is the commit's server timestamp: the order in which notifications become visible, which
 * is what the live stream and its resume position follow whatever the writers' clocks say.
 */
export interface StoredNotification {
  id: string;
  recipientId: string;
  kind: NoticeKind;
  category: NotificationCategory;
  title: string;
  body: string;
  eventId?: string;
  link?: string;
  sourceId: string;
  createdAt: string;
  readAt: string | null;
}

export const NOTIFICATIONS_COLLECTION = 'notifications';

/** A uuid-shaped id (v8 layout) from the parts: the same parts always name the same document. */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A notification's place in its recipient's timeline: (createdAt, id), as an opaque string. It is the
 * SSE event id (a reconnecting client sends it back as Last-Event-ID) and the listing's cursor.
 */
export interface TimelinePosition {
  createdAt: string;
  id: string;
}

export function encodePosition(position: TimelinePosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`).toString('base64url');
}

export function decodePosition(field: string, value: string): TimelinePosition {
  const [createdAt, id, extra] = Buffer.from(value, 'base64url').toString().split('|');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (extra !== undefined || !createdAt || Number.isNaN(Date.parse(createdAt)) || !id || !uuid.test(id)) {
    throw invalidField(field, `${field} is not a position this API issued`);
  }
  return { createdAt, id };
}
