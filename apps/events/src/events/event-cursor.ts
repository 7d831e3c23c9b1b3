import { DomainError } from '@convene/common';
import type { EventPosition } from './list-events.query';

/** Opaque to clients: base64url of the last event's position. */
export function encodeCursor(position: EventPosition): string {
  return Buffer.from(JSON.stringify([position.startsAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): EventPosition {
  try {
    const [startsAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof startsAt === 'string' && !Number.isNaN(Date.parse(startsAt)) && typeof id === 'string' && id) {
      return { startsAt, id };
    }
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor: cursor is not one this API issued', {
    errors: [{ field: 'cursor', message: 'cursor is not one this API issued' }],
  });
}
