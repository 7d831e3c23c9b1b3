import { status as GrpcStatus } from '@grpc/grpc-js';

export interface ErrorCodeSpec {
  /** HTTP status the gateway answers with. */
  readonly status: number;
  /** gRPC status a service answers with. */
  readonly grpc: GrpcStatus;
  /** Short, stable human title (the problem's `title`). */
  readonly title: string;
}

/**
 * The one table of stable error codes. Clients depend on these codes: add new ones, never rename.
 * A new domain code is one line here; both transports' filters and the gateway pick it up.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Validation failed' },
  MALFORMED_REQUEST: { status: 400, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Malformed request' },
  UNAUTHENTICATED: { status: 401, grpc: GrpcStatus.UNAUTHENTICATED, title: 'Authentication required' },
  FORBIDDEN: { status: 403, grpc: GrpcStatus.PERMISSION_DENIED, title: 'Forbidden' },
  NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Route not found' },
  EVENT_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Event not found' },
  METHOD_NOT_ALLOWED: { status: 405, grpc: GrpcStatus.UNIMPLEMENTED, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Not acceptable' },
  CONFLICT: { status: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Conflict' },
  EVENT_NOT_DRAFT: { status: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Event is not a draft' },
  EVENT_ALREADY_CANCELLED: { status: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Event already cancelled' },
  PAYLOAD_TOO_LARGE: { status: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Payload too large' },
  URI_TOO_LONG: { status: 414, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Unsupported media type' },
  UNPROCESSABLE: { status: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Unprocessable request' },
  RATE_LIMITED: { status: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Too many requests' },
  HEADERS_TOO_LARGE: {
    status: 431,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    title: 'Request header fields too large',
  },
  INTERNAL: { status: 500, grpc: GrpcStatus.INTERNAL, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, grpc: GrpcStatus.UNAVAILABLE, title: 'Service unavailable' },
  UPSTREAM_TIMEOUT: { status: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED, title: 'Upstream timeout' },
  EMAIL_TAKEN: { status: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Email already registered' },
  INVALID_CREDENTIALS: { status: 401, grpc: GrpcStatus.UNAUTHENTICATED, title: 'Invalid email or password' },
  REFRESH_TOKEN_INVALID: { status: 401, grpc: GrpcStatus.UNAUTHENTICATED, title: 'Invalid refresh token' },
  TOO_MANY_ATTEMPTS: { status: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Too many attempts' },
  USER_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'User not found' },
  REGISTRATION_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Registration not found' },
  ALREADY_REGISTERED: { status: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Already registered' },
  EVENT_FULL: { status: 409, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Event is full' },
  REGISTRATION_NOT_ACTIVE: { status: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Registration not active' },
  CAPACITY_BELOW_CONFIRMED: {
    status: 409,
    grpc: GrpcStatus.FAILED_PRECONDITION,
    title: 'Capacity below the confirmed count',
  },
  ALREADY_CHECKED_IN: { status: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Already checked in' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, grpc: GrpcStatus.ABORTED, title: 'Request with this key in progress' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    grpc: GrpcStatus.FAILED_PRECONDITION,
    title: 'Idempotency key reused with another request',
  },
  REGISTRATION_CLOSED: { status: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Registration closed' },
  TICKET_INVALID: { status: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Ticket not valid' },
  REVIEW_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Review not found' },
  ALREADY_REVIEWED: { status: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Already reviewed' },
  NOT_AN_ATTENDEE: { status: 403, grpc: GrpcStatus.PERMISSION_DENIED, title: 'Only attendees may review' },
  EVENT_NOT_STARTED: { status: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Event has not started' },
  WEBHOOK_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Webhook not found' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Webhook delivery not found' },
  WEBHOOK_LIMIT_REACHED: { status: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Too many webhook endpoints' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ErrorCodes;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCodes, value);
}
