import { decodePositionCursor, encodePositionCursor } from '@convene/common';
import type { EventPosition } from './list-events.query';

/** Opaque to clients: the last event's position (start time, id). */
export function encodeCursor(position: EventPosition): string {
  return encodePositionCursor(position.startsAt, position.id);
}

export function decodeCursor(cursor: string): EventPosition {
  const { at, id } = decodePositionCursor(cursor);
  return { startsAt: at, id };
}
