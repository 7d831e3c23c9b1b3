import { isUUID } from 'class-validator';
import { DomainError } from '@convene/common';

/** VALIDATION_FAILED naming the field, as the gateway's own validation would. */
export function invalidField(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });
}

/** Ids become Firestore document paths: anything but a uuid is refused before it reaches one. */
export function requireUuid(field: string, value: string): void {
  if (!isUUID(value)) throw invalidField(field, `${field} must be a UUID`);
}
