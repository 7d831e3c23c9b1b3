import type { ValidationError } from 'class-validator';
import { DomainError, type FieldError } from './domain-error';

// The constraint forbidNonWhitelisted reports for a property the DTO does not declare.
const UNKNOWN_PROPERTY_CONSTRAINT = 'whitelistValidation';

/** Turns class-validator's tree into VALIDATION_FAILED with one entry per broken rule, by dotted path. */
export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  const fieldErrors = errors.flatMap((error) => flatten(error, ''));
  const detail =
    fieldErrors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`).join('; ') ||
    'The request is invalid';
  return new DomainError('VALIDATION_FAILED', detail, { errors: fieldErrors });
}

function flatten(error: ValidationError, parentPath: string): FieldError[] {
  const path = joinPath(parentPath, error.property);
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
    constraint === UNKNOWN_PROPERTY_CONSTRAINT
      ? { field: path, message: `${path} is not allowed` }
      : { field: path, message },
  );
  const nested = (error.children ?? []).flatMap((child) => flatten(child, path));
  return [...own, ...nested];
}

function joinPath(parent: string, property: string | undefined): string {
  // A root-level error (e.g. forbidUnknownValues on a non-object body) has no property.
  if (property === undefined || property === '') return parent || 'body';
  return parent ? `${parent}.${property}` : property;
}
