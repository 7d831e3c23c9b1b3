/**
 * An error's message fit for one log line: google-gax appends every retried attempt's error
 * ("Previous errors: [...]"), which turns one outage into kilobytes per line.
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = message.split(' : Previous errors')[0];
  return head.length > 500 ? `${head.slice(0, 500)}…` : head;
}
