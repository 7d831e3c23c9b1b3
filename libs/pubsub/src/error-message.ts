/** The gRPC status codes this library reacts to (from google.rpc.Code). */
export const GrpcStatus = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  INVALID_ARGUMENT: 3,
  ABORTED: 10,
} as const;

/** True when `error` carries the given gRPC status code, as Google client errors do. */
export function hasGrpcCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * An error's message fit for one log line: google-gax appends every retried attempt's error
 * ("Previous errors: [...]"), which turns one outage into kilobytes per line.
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = message.split(' : Previous errors')[0];
  return head.length > 500 ? `${head.slice(0, 500)}…` : head;
}
