import { DomainError } from '@convene/common';

export interface RegistrationPosition {
  eventEndsAt: string;
  id: string;
}

/** Opaque to clients: base64url of the last registration's position in "my registrations". */
export function encodeRegistrationCursor(position: RegistrationPosition): string {
  return Buffer.from(JSON.stringify([position.eventEndsAt, position.id])).toString('base64url');
}

export function decodeRegistrationCursor(cursor: string): RegistrationPosition {
  try {
    const [eventEndsAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof eventEndsAt === 'string' && !Number.isNaN(Date.parse(eventEndsAt)) && typeof id === 'string' && id) {
      return { eventEndsAt, id };
    }
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor: cursor is not one this API issued', {
    errors: [{ field: 'cursor', message: 'cursor is not one this API issued' }],
  });
}
