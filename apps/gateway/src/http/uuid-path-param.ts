import { ParseUUIDPipe } from '@nestjs/common';
import { invalidField } from '@convene/common';

/**
 * A uuid path parameter, or 400 naming it (never a Firestore error on a malformed id).
 */
export function uuidPathParam(name: string): ParseUUIDPipe {
  const message = `${name} must be a UUID`;
  return new ParseUUIDPipe({
    exceptionFactory: () => invalidField(name, message),
  });
}

export const EventId = uuidPathParam('id');
export const RegistrationId = uuidPathParam('id');
export const ReviewId = uuidPathParam('id');
export const UserId = uuidPathParam('userId');
