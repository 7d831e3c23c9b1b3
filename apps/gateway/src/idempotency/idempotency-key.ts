import { createHash } from 'node:crypto';
import { DomainError } from '@convene/common';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Visible ASCII (VCHAR, 0x21–0x7E): what a client can copy into a header without any escaping. */
const VALID_KEY = new RegExp(`^[\\x21-\\x7E]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/**
 * The client's key, undefined when it sent none (the route then runs as usual), or 400 naming the
 * header. A header sent twice arrives joined with ", " and is refused (it contains a space).
 */
export function parseIdempotencyKey(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && VALID_KEY.test(header)) return header;
  const message = `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`;
  throw new DomainError('VALIDATION_FAILED', `${IDEMPOTENCY_KEY_HEADER}: ${message}`, {
    errors: [{ field: IDEMPOTENCY_KEY_HEADER, message }],
  });
}

/** The record of one user's key: keys are per user, so nobody can replay another user's response. */
export function idempotencyRecordId(userId: string, key: string): string {
  return sha256(`${userId}\n${key}`);
}

/**
 * What "the same request" means for a key: method, path with query, and the body as parsed JSON with
 * its keys sorted (so spacing or key order a client's serializer chose does not count as another body).
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return sha256(`${method.toUpperCase()} ${url}\n${canonicalJson(body ?? null)}`);
}

/** JSON with object keys sorted at every depth. The input is a parsed JSON body: no cycles, no functions. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
