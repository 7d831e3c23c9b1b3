import { decodePositionCursor, encodePositionCursor } from '@convene/common';

export interface RegistrationPosition {
  eventEndsAt: string;
  id: string;
}

/** Opaque to clients: the last registration's position in "my registrations" (event end, id). */
export function encodeRegistrationCursor(position: RegistrationPosition): string {
  return encodePositionCursor(position.eventEndsAt, position.id);
}

export function decodeRegistrationCursor(cursor: string): RegistrationPosition {
  const { at, id } = decodePositionCursor(cursor);
  return { eventEndsAt: at, id };
}
