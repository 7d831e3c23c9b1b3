import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'Convene-Signature';

/** How far a signature's timestamp may be from the receiver's clock by default (replay window). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * The Convene-Signature header for `body` sent at `timestampSeconds`. The key is the whole secret
 * string as shown to the organizer (`whsec_…`, UTF-8); the timestamp is signed with the body so a
 * captured request cannot be replayed later with a fresh `t`.
 */
export function signConveneSignature(secret: string, body: string | Buffer, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * For receivers: true when `header` signs exactly `body` (the raw bytes received, before any JSON
 * parsing) with `secret`, and its timestamp is within `toleranceSeconds` of `now`. Every `v1` value is
 * tried (more than one may be sent while a secret is rotated); comparisons are constant-time.
 */
export function verifyConveneSignature(
  secret: string,
  header: string | undefined,
  body: string | Buffer,
  now: Date = new Date(),
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // Check every candidate (no early exit) so timing says nothing about which one matched.
  let matched = false;
  for (const signature of signatures) {
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) matched = true;
  }
  return matched;
}
