import { isUUID } from 'class-validator';
import type { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorDetails {
  errors?: FieldError[];
  [key: string]: unknown;
}

/**
 * What services throw (never HttpException): a stable code plus a message fit for the client.
 * Each transport's filter maps the code to its own status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** VALIDATION_FAILED naming the field, as the gateway's own request validation answers (400). */
export function invalidField(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });
}

/** Ids become Firestore document paths: anything but a uuid is refused before it reaches one. */
export function requireUuid(field: string, value: string): void {
  if (!isUUID(value)) throw invalidField(field, `${field} must be a UUID`);
}
