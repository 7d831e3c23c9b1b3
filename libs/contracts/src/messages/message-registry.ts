import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EventCancelledV1 } from './event-cancelled.v1';
import { EventCapacityChangedV1 } from './event-capacity-changed.v1';
import {
  AttendeeCheckedInV1,
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV1,
  RegistrationWaitlistedV2,
} from './registration-messages.v1';
import { ReviewCreatedV1, ReviewDeletedV1, ReviewHiddenV1, ReviewUpdatedV1 } from './review-messages.v1';
import { NotificationRequestedV1 } from './notification-requested.v1';
import { EventPublishedV1 } from './event-published.v1';
import { EventUpdatedV1 } from './event-updated.v1';
import { UserDeletedV1 } from './user-deleted.v1';
import { UserRegisteredV1 } from './user-registered.v1';

/** A message class: a class-validator-decorated payload, tagged with its type and version. */
export interface MessageClass<T extends object = object> {
  new (): T;
  readonly eventType: string;
  readonly schemaVersion: number;
}

/**
 * Every (eventType, schemaVersion) a consumer may receive. A breaking change adds a class with the next
 * version here; an old version is never edited, so messages still in flight stay readable.
 */
const MESSAGE_CLASSES: readonly MessageClass[] = [
  EventPublishedV1,
  EventCancelledV1,
  EventUpdatedV1,
  UserRegisteredV1,
  UserDeletedV1,
  EventCapacityChangedV1,
  RegistrationConfirmedV1,
  RegistrationWaitlistedV1,
  RegistrationWaitlistedV2,
  RegistrationPromotedV1,
  RegistrationCancelledV1,
  AttendeeCheckedInV1,
  ReviewCreatedV1,
  ReviewUpdatedV1,
  ReviewDeletedV1,
  ReviewHiddenV1,
  NotificationRequestedV1,
];

const byKey = new Map(MESSAGE_CLASSES.map((cls) => [`${cls.eventType}@${cls.schemaVersion}`, cls]));

export function messageClassFor(eventType: string, schemaVersion: string | number): MessageClass | undefined {
  return byKey.get(`${eventType}@${schemaVersion}`);
}

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Parses and validates a message payload with the same class that defines it. */
export function decodeMessage<T extends object = object>(
  eventType: string,
  schemaVersion: string | number,
  data: Buffer | string,
): DecodeResult<T> {
  const cls = messageClassFor(eventType, schemaVersion);
  if (!cls) return { ok: false, reason: `unknown message type ${eventType} v${schemaVersion}` };
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    return { ok: false, reason: 'payload is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'payload is not a JSON object' };
  }
  const instance = plainToInstance(cls, json) as T;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return { ok: false, reason: describeValidationErrors(errors) };
  return { ok: true, message: instance };
}

function describeValidationErrors(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((error) => {
      const path = prefix ? `${prefix}.${error.property}` : error.property;
      const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
      const nested = error.children?.length ? [describeValidationErrors(error.children, path)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}
