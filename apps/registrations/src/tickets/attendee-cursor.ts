import { decodePositionCursor, encodePositionCursor } from '@convene/common';
import type { AttendeePosition } from './attendees.query';

/** Opaque to clients: the last attendee's position (registration time, id). */
export function encodeAttendeeCursor(position: AttendeePosition): string {
  return encodePositionCursor(position.createdAt, position.id);
}

export function decodeAttendeeCursor(cursor: string): AttendeePosition {
  const { at, id } = decodePositionCursor(cursor);
  return { createdAt: at, id };
}
