import type { DomainError, FieldError } from './domain-error';
import { ErrorCodes } from './error-codes';

/** RFC 9457 problem details, plus Convene's stable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  errorId?: string;
  [extra: string]: unknown;
}

export const PROBLEM_JSON = 'application/problem+json';

const PROBLEM_TYPE_BASE = 'https://convene.dev/problems/';

export function problemTypeOf(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

export function toProblemDetails(error: DomainError, instance?: string): ProblemDetails {
  const spec = ErrorCodes[error.code];
  return {
    // Details first, so a details key cannot overwrite the problem's own members.
    ...error.details,
    type: problemTypeOf(error.code),
    title: spec.title,
    status: spec.status,
    detail: error.message,
    code: error.code,
    ...(instance === undefined ? {} : { instance }),
  };
}
