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
