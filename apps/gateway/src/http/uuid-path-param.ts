import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@convene/common';

/**
 * A uuid path parameter, or 400 naming it (never a Firestore error on a malformed id).
 */
export function uuidPathParam(name: string): ParseUUIDPipe {
  const message = `${name} must be a UUID`;
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new DomainError('VALIDATION_FAILED', `${name}: ${message}`, { errors: [{ field: name, message }] }),
  });
}

export const EventId = uuidPathParam('id');
export const RegistrationId = uuidPathParam('id');
export const UserId = uuidPathParam('userId');
