import type { AttendeePosition } from './attendees.query';
import { invalidField } from './request-fields';

/** Opaque to clients: base64url of the last attendee's position. */
export function encodeAttendeeCursor(position: AttendeePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeAttendeeCursor(cursor: string): AttendeePosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (
      typeof createdAt === 'string' &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      id &&
      !id.includes('/')
    ) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw invalidField('cursor', 'cursor is not one this API issued');
}
