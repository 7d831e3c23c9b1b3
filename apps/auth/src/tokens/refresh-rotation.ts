import type { RefreshFamily, RefreshTokenRecord } from './refresh-token';

export type RotationDecision =
  | { kind: 'refuse'; reason: 'unknown' | 'expired' | 'revoked' }
  /** The token was already exchanged: someone replays it, so the whole family is revoked. */
  | { kind: 'revoke-family'; reason: 'reused' }
  | { kind: 'rotate'; next: RefreshTokenRecord };

/** The rotation rule, applied by the repository inside its transaction. */
export function decideRotation(
  token: RefreshTokenRecord | undefined,
  family: RefreshFamily | undefined,
  now: Date,
  next: (current: RefreshTokenRecord) => RefreshTokenRecord,
): RotationDecision {
  if (!token || !family) return { kind: 'refuse', reason: 'unknown' };
  if (family.revokedAt) return { kind: 'refuse', reason: 'revoked' };
  if (token.usedAt) return { kind: 'revoke-family', reason: 'reused' };
  if (Date.parse(token.expiresAt) <= now.getTime()) return { kind: 'refuse', reason: 'expired' };
  return { kind: 'rotate', next: next(token) };
}
